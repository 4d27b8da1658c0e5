package org.openswanj.pluto.ike.wire;

/** IKEv2 authentication methods (RFC 7296 §3.8, RFC 4754, RFC 7427 §3). */
public enum AuthMethod {
  RSA_DIGITAL_SIGNATURE(1),
  SHARED_KEY_MESSAGE_INTEGRITY_CODE(2),
  DSS(3),
  ECDSA_256(9),
  ECDSA_384(10),
  ECDSA_521(11),
  /** RFC 6467 generic secure password methods. */
  GENERIC_SECURE_PASSWORD(12),
  /** RFC 7619. */
  NULL_AUTHENTICATION(13),
  DIGITAL_SIGNATURE(14),
  UNKNOWN(-1);

  private final int wire;

  AuthMethod(int wire) {
    this.wire = wire;
  }

  public int wireValue() {
    return wire;
  }

  /** Never throws: unregistered values give {@link #UNKNOWN}. */
  public static AuthMethod fromWire(int value) {
    for (AuthMethod m : values()) {
      if (m.wire == value && m != UNKNOWN) {
        return m;
      }
    }
    return UNKNOWN;
  }
}
