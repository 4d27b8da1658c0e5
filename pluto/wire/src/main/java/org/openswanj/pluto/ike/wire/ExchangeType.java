package org.openswanj.pluto.ike.wire;

/** ISAKMP / IKEv2 exchange types (RFC 2408 §3.1, RFC 2409 §5, RFC 7296 §3.1; IANA "IKEv2 Exchange Types"). */
public enum ExchangeType {
  /** IKEv1 Main Mode (RFC 2408 §4.5 "Identity Protection"). */
  IDENTITY_PROTECTION(2),
  AGGRESSIVE(4),
  INFORMATIONAL_V1(5),
  /** ISAKMP Transaction exchange: Mode Config and XAUTH (draft-ietf-ipsec-isakmp-mode-cfg-05 §3.1). */
  TRANSACTION(6),
  QUICK_MODE(32),
  NEW_GROUP_MODE(33),
  IKE_SA_INIT(34),
  IKE_AUTH(35),
  CREATE_CHILD_SA(36),
  INFORMATIONAL(37),
  /** RFC 9242. */
  IKE_INTERMEDIATE(43),
  UNKNOWN(-1);

  private final int wire;

  ExchangeType(int wire) {
    this.wire = wire;
  }

  public int wireValue() {
    return wire;
  }

  /** Never throws: unregistered values give {@link #UNKNOWN}. */
  public static ExchangeType fromWire(int value) {
    for (ExchangeType t : values()) {
      if (t.wire == value && t != UNKNOWN) {
        return t;
      }
    }
    return UNKNOWN;
  }

  /** True for the exchanges defined by IKEv2 (RFC 7296). */
  public boolean isV2() {
    return wire >= 34 && wire <= 43;
  }
}
