package org.openswanj.cluster.state;

import java.util.Objects;

/** What a standby needs to continue an IKE SA without renegotiating it. */
public record IkeSaRecord(IkeSaRef ref, IkePeers peers, IkeAlgorithms algorithms, IkeKeys keys, SaTimes times,
    IkeMessageIds messageIds) implements SaRecord {
  public IkeSaRecord {
    Objects.requireNonNull(ref, "ref");
    Objects.requireNonNull(peers, "peers");
    Objects.requireNonNull(algorithms, "algorithms");
    Objects.requireNonNull(keys, "keys");
    Objects.requireNonNull(times, "times");
    Objects.requireNonNull(messageIds, "messageIds");
  }

  @Override
  public String keySuffix() {
    return "ike/" + ref.spis().hex();
  }
}
