package org.openswanj.cluster.state;

/**
 * IKEv2 fragmentation as negotiated in IKE_SA_INIT (RFC 7383 §2.3): whether we announced
 * IKEV2_FRAGMENTATION_SUPPORTED (so we accept fragments) and whether the peer did (so we may send them).
 */
public enum FragmentState {
  NONE, LOCAL_ONLY, PEER_ONLY, BOTH;

  public static FragmentState of(boolean local, boolean peer) {
    return local ? (peer ? BOTH : LOCAL_ONLY) : (peer ? PEER_ONLY : NONE);
  }

  public boolean local() {
    return this == LOCAL_ONLY || this == BOTH;
  }

  public boolean peer() {
    return this == PEER_ONLY || this == BOTH;
  }
}
