package org.openswanj.alg;

import java.util.Locale;
import java.util.Optional;
import java.util.function.Predicate;

/** The look-ups every algorithm enum offers: by config name and by a wire id. */
final class Lookup {
  private Lookup() {}

  static <E> Optional<E> first(E[] values, Predicate<E> p) {
    for (E e : values) {
      if (p.test(e)) {
        return Optional.of(e);
      }
    }
    return Optional.empty();
  }

  static <E extends Algorithm> Optional<E> byName(E[] values, String name) {
    String n = name.toLowerCase(Locale.ROOT);
    return first(values, e -> e.names().config().contains(n));
  }
}
