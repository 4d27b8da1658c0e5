package org.openswanj.cluster.state;

import java.util.Objects;

/**
 * What a standby needs to continue an IKEv1 ISAKMP SA (RFC 2409 §5) without a new Main or Aggressive Mode: its
 * cookies ({@code ref.spis()}: CKY-I, CKY-R, RFC 2408 §3.1) and role, the peers as used on the wire (after NAT-T's
 * float to port 4500, RFC 3947 §4), the phase 1 suite, the keys and phase 1 IV, lifetimes, and DPD state. Its IPsec
 * SAs are {@link ChildSaRecord}s whose parent is these cookies. As an XAUTH/ModeConfig server, the user
 * and the address given are in {@link IsakmpFeatures}.
 */
public record IsakmpSaRecord(IkeSaRef ref, IkePeers peers, IsakmpAlgorithms algorithms, IsakmpKeys keys,
    SaTimes times, IsakmpFeatures features) implements SaRecord {
  public IsakmpSaRecord {
    Objects.requireNonNull(ref, "ref");
    Objects.requireNonNull(peers, "peers");
    Objects.requireNonNull(algorithms, "algorithms");
    Objects.requireNonNull(keys, "keys");
    Objects.requireNonNull(times, "times");
    Objects.requireNonNull(features, "features");
  }

  @Override
  public String keySuffix() {
    return "isakmp/" + ref.spis().hex();
  }
}
