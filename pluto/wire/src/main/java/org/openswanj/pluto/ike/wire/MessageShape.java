package org.openswanj.pluto.ike.wire;

import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Predicate;

/**
 * One allowed shape of a message: for each payload type a minimum and maximum count, plus an optional condition
 * on the whole list. Types not named may not appear; unknown non-critical payloads are always allowed (RFC 7296
 * §2.5). NAT-D/NAT-OA draft types count as their RFC 3947 types.
 */
final class MessageShape {
  static final int MANY = Integer.MAX_VALUE;

  private final String name;
  private final Map<PayloadType, int[]> counts = new EnumMap<>(PayloadType.class);
  private Predicate<List<Payload>> condition = p -> true;
  private String conditionText = "";

  MessageShape(String name) {
    this.name = name;
  }

  String name() {
    return name;
  }

  MessageShape one(PayloadType... types) {
    for (PayloadType t : types) {
      counts.put(t, new int[] {1, 1});
    }
    return this;
  }

  MessageShape optional(PayloadType... types) {
    for (PayloadType t : types) {
      counts.put(t, new int[] {0, 1});
    }
    return this;
  }

  MessageShape any(PayloadType... types) {
    for (PayloadType t : types) {
      counts.put(t, new int[] {0, MANY});
    }
    return this;
  }

  MessageShape range(PayloadType t, int min, int max) {
    counts.put(t, new int[] {min, max});
    return this;
  }

  MessageShape when(String text, Predicate<List<Payload>> c) {
    this.condition = c;
    this.conditionText = text;
    return this;
  }

  private static PayloadType canonical(PayloadType t) {
    return t == PayloadType.NAT_D_DRAFT ? PayloadType.NAT_D : t == PayloadType.NAT_OA_DRAFT ? PayloadType.NAT_OA : t;
  }

  /** Empty if the payloads fit this shape, else the first reason they do not. */
  Optional<String> mismatch(List<Payload> payloads) {
    Map<PayloadType, Integer> seen = new EnumMap<>(PayloadType.class);
    for (Payload p : payloads) {
      if (p instanceof UnknownPayload) {
        continue;
      }
      PayloadType t = canonical(p.payloadType());
      if (!counts.containsKey(t)) {
        return Optional.of("unexpected " + t + " payload");
      }
      seen.merge(t, 1, Integer::sum);
    }
    for (Map.Entry<PayloadType, int[]> e : counts.entrySet()) {
      int n = seen.getOrDefault(e.getKey(), 0);
      if (n < e.getValue()[0]) {
        return Optional.of("missing " + e.getKey() + " payload");
      }
      if (n > e.getValue()[1]) {
        return Optional.of(n + " " + e.getKey() + " payloads, at most " + e.getValue()[1] + " allowed");
      }
    }
    if (!condition.test(payloads)) {
      return Optional.of(conditionText);
    }
    return Optional.empty();
  }
}
