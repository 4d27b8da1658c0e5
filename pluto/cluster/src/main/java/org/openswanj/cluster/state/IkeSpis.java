package org.openswanj.cluster.state;

/** The IKE SA's identity: initiator and responder SPIs (RFC 7296 §3.1). */
public record IkeSpis(long initiator, long responder) {
  /** Hex form used in etcd keys and logs, {@code 0123456789abcdef-fedcba9876543210}. */
  public String hex() {
    return String.format("%016x-%016x", initiator, responder);
  }
}
