package org.openswanj.cluster.state;

import java.util.Objects;

/**
 * Who the IKE SA is between: endpoints as used on the wire (the remote one is the NAT mapping when the peer
 * is behind a NAT), the authenticated identities (RFC 7296 §3.5, as text), what NAT detection found, and whether IKE fragmentation was
 * announced each way (RFC 7383 §2.3).
 */
public record IkePeers(Endpoint local, Endpoint remote, String localId, String remoteId, NatState nat,
    FragmentState fragments) {
  public IkePeers {
    Objects.requireNonNull(local, "local");
    Objects.requireNonNull(remote, "remote");
    Objects.requireNonNull(localId, "localId");
    Objects.requireNonNull(remoteId, "remoteId");
    Objects.requireNonNull(nat, "nat");
    Objects.requireNonNull(fragments, "fragments");
  }
}
