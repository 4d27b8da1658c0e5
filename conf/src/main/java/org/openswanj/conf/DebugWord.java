package org.openswanj.conf;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * Openswan 2.6's debug words, declared once for {@code plutodebug=}, {@code ipsec pluto --debug-WORD} and
 * {@code ipsec whack --debug-WORD}: the bits of lib/libopenswan/constants.c {@code debug_bit_names} in their order,
 * each with the aliases Openswan's three parsers accepted (pluto's {@code --debug-crypto}, {@code --debug-nat-t};
 * whack's {@code --debug-netkey}, {@code --debug-xfrm}; keywords.c's {@code natt}). {@link #NONE} and {@link #ALL}
 * are the two words that are not bits.
 */
public enum DebugWord {
  RAW("raw"),
  CRYPT("crypt", "crypto"),
  PARSING("parsing"),
  EMITTING("emitting"),
  CONTROL("control"),
  LIFECYCLE("lifecycle"),
  KLIPS("klips", "netkey", "xfrm"),
  DNS("dns"),
  OPPO("oppo"),
  CONTROLMORE("controlmore"),
  PFKEY("pfkey"),
  NATTRAVERSAL("nattraversal", "natt", "nat_t", "nat-t"),
  X509("x509"),
  DPD("dpd"),
  OPPOINFO("oppoinfo"),
  WHACKWATCH("whackwatch"),
  PRIVATE("private");

  /** Clears every bit. */
  public static final String NONE = "none";
  /** Sets every bit but {@link #WHACKWATCH} and {@link #PRIVATE} (Openswan's DBG_ALL = RAW..OPPOINFO). */
  public static final String ALL = "all";

  private final List<String> names;

  DebugWord(String... names) {
    this.names = List.of(names);
  }

  /** The name Openswan prints ({@code debug_bit_names}). */
  public String canonical() {
    return names.get(0);
  }

  public List<String> names() {
    return names;
  }

  /** True if {@code all} turns it on: private data and whack watching must be asked for by name. */
  public boolean inAll() {
    return this != WHACKWATCH && this != PRIVATE;
  }

  public static Optional<DebugWord> byName(String word) {
    String w = word.toLowerCase(Locale.ROOT);
    for (DebugWord d : values()) {
      if (d.names.contains(w)) {
        return Optional.of(d);
      }
    }
    return Optional.empty();
  }

  /** The canonical spelling of {@code word} ({@code none} and {@code all} stay), or empty if it is no debug word. */
  public static Optional<String> canonical(String word) {
    String w = word.toLowerCase(Locale.ROOT);
    if (w.equals(NONE) || w.equals(ALL)) {
      return Optional.of(w);
    }
    return byName(w).map(DebugWord::canonical);
  }

  /** Every accepted spelling: {@code none}, {@code all}, then each bit's names in bit order. */
  public static List<String> words() {
    List<String> out = new ArrayList<>(List.of(NONE, ALL));
    for (DebugWord d : values()) {
      out.addAll(d.names);
    }
    return Collections.unmodifiableList(out);
  }
}
