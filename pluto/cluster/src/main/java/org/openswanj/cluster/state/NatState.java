package org.openswanj.cluster.state;

/** Which side NAT-D found behind a NAT (RFC 7296 §2.23); decides UDP encapsulation and keepalives. */
public enum NatState {
  NONE,
  LOCAL_BEHIND_NAT,
  REMOTE_BEHIND_NAT,
  BOTH_BEHIND_NAT;

  public boolean encapsulate() {
    return this != NONE;
  }
}
