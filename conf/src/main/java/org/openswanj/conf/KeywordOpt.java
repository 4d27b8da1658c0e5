package org.openswanj.conf;

import java.util.List;

/** Options of a {@link Keyword} table entry: accepted values, aliases, and flags. */
record KeywordOpt(Kind kind, List<String> items) {
  enum Kind { VALUES, ALIASES, LEFT_RIGHT, OBSOLETE, DUPLICATE_OK }

  /** Has left/right forms (leftsubnet=, rightsubnet=). */
  static final KeywordOpt LR = new KeywordOpt(Kind.LEFT_RIGHT, List.of());
  /** Accepted with a warning, and ignored. */
  static final KeywordOpt OBSOLETE = new KeywordOpt(Kind.OBSOLETE, List.of());
  /** May appear more than once in a section. */
  static final KeywordOpt DUP = new KeywordOpt(Kind.DUPLICATE_OK, List.of());

  static KeywordOpt oneOf(String... v) {
    return new KeywordOpt(Kind.VALUES, List.of(v));
  }

  static KeywordOpt alias(String... a) {
    return new KeywordOpt(Kind.ALIASES, List.of(a));
  }

  static List<String> items(KeywordOpt[] opts, Kind kind) {
    for (KeywordOpt o : opts) {
      if (o.kind == kind) {
        return o.items;
      }
    }
    return List.of();
  }

  static boolean has(KeywordOpt[] opts, Kind kind) {
    for (KeywordOpt o : opts) {
      if (o.kind == kind) {
        return true;
      }
    }
    return false;
  }
}
