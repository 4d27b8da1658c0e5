package org.openswanj.cluster.state;

import java.util.Objects;

/**
 * What a standby needs to install a Child SA pair in its own backend.
 *
 * @param outboundSeqHighWater the highest outbound ESP sequence number the active node may have used when it
 *     published (a reservation: it publishes again before sending past it); see {@code TakeoverPlanner}
 */
public record ChildSaRecord(ChildSaRef ref, TrafficSelectors selectors, ChildAlgorithms algorithms, ChildKeys keys,
    SaTimes times, long outboundSeqHighWater) implements SaRecord {
  public ChildSaRecord {
    Objects.requireNonNull(ref, "ref");
    Objects.requireNonNull(selectors, "selectors");
    Objects.requireNonNull(algorithms, "algorithms");
    Objects.requireNonNull(keys, "keys");
    Objects.requireNonNull(times, "times");
    if (outboundSeqHighWater < 0) {
      throw new IllegalArgumentException("sequence high-water " + outboundSeqHighWater + " < 0");
    }
  }

  @Override
  public String keySuffix() {
    return String.format("child/%s/%08x", ref.spis().proto().name().toLowerCase(java.util.Locale.ROOT),
        ref.spis().inbound());
  }
}
