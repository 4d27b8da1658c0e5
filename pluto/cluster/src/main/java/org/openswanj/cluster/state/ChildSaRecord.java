package org.openswanj.cluster.state;

import java.util.Objects;

/**
 * What a standby needs to install a Child SA pair in its own backend.
 *
 * @param outboundSeqHighWater the highest outbound ESP sequence number the active node may have used when it
 *     published (a reservation: it publishes again before sending past it); see {@code TakeoverPlanner}
 * @param inboundSeqHighWater the same for the peer's packets: at least the number of packets the active node had
 *     received on the inbound SA when it published, plus a reservation it publishes again before passing; a new
 *     node refuses numbers up to it once the peer has advanced its counter past it (RFC 6311 §5.2)
 */
public record ChildSaRecord(ChildSaRef ref, TrafficSelectors selectors, ChildAlgorithms algorithms, ChildKeys keys,
    SaTimes times, long outboundSeqHighWater, long inboundSeqHighWater) implements SaRecord {
  public ChildSaRecord {
    Objects.requireNonNull(ref, "ref");
    Objects.requireNonNull(selectors, "selectors");
    Objects.requireNonNull(algorithms, "algorithms");
    Objects.requireNonNull(keys, "keys");
    Objects.requireNonNull(times, "times");
    if (outboundSeqHighWater < 0 || inboundSeqHighWater < 0) {
      throw new IllegalArgumentException("sequence high-water " + outboundSeqHighWater + "/" + inboundSeqHighWater
          + " < 0");
    }
  }

  /** A record with no inbound high-water (version 1, or nothing received yet). */
  public ChildSaRecord(ChildSaRef ref, TrafficSelectors selectors, ChildAlgorithms algorithms, ChildKeys keys,
      SaTimes times, long outboundSeqHighWater) {
    this(ref, selectors, algorithms, keys, times, outboundSeqHighWater, 0);
  }

  @Override
  public String keySuffix() {
    return String.format("child/%s/%08x", ref.spis().proto().name().toLowerCase(java.util.Locale.ROOT),
        ref.spis().inbound());
  }
}
