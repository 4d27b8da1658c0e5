package org.openswanj.pluto.oe;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/** Every key learned from DNS and not yet expired, newest record kept per (source, key). Thread-safe. */
final class LearnedKeys {
  private record Id(KeySource source, PeerKey key) {
    static Id of(LearnedKey k) {
      KeySource s = k.source();
      return new Id(new KeySource(s.rrType(), s.owner(), Instant.EPOCH, s.dnssec()), k.key());
    }
  }

  private final Map<Id, LearnedKey> keys = new ConcurrentHashMap<>();

  void add(LearnedKey k) {
    keys.merge(Id.of(k), k, (old, neu) -> neu.source().expires().isAfter(old.source().expires()) ? neu : old);
  }

  /** The keys whose records have not expired at {@code now}, by owner name then type. */
  List<LearnedKey> current(Instant now) {
    keys.values().removeIf(k -> !k.source().expires().isAfter(now));
    List<LearnedKey> out = new ArrayList<>(keys.values());
    out.sort(Comparator.comparing((LearnedKey k) -> k.source().owner()).thenComparing(k -> k.source().typeName())
        .thenComparing(k -> k.key().keyId()));
    return out;
  }
}
