package org.openswanj.pluto.ike.wire;

/**
 * Security protocol identifiers. IKEv2 (RFC 7296 §3.3.1) and the IPsec DOI (RFC 2407 §4.4.1: PROTO_ISAKMP=1,
 * PROTO_IPSEC_AH=2, PROTO_IPSEC_ESP=3, PROTO_IPCOMP=4) share the numbers, so one enum serves both.
 */
public enum ProtocolId {
  /** IKEv2 "IKE", IKEv1 PROTO_ISAKMP. */
  IKE(1),
  AH(2),
  ESP(3),
  IPCOMP(4),
  /** RFC 4595. */
  FC_ESP_HEADER(5),
  FC_CT_AUTHENTICATION(6),
  /** Value 0 in a Notify or Delete that concerns no SA. */
  NONE(0),
  UNKNOWN(-1);

  private final int wire;

  ProtocolId(int wire) {
    this.wire = wire;
  }

  public int wireValue() {
    return wire;
  }

  /** Never throws: unregistered values give {@link #UNKNOWN}. */
  public static ProtocolId fromWire(int value) {
    for (ProtocolId p : values()) {
      if (p.wire == value && p != UNKNOWN) {
        return p;
      }
    }
    return UNKNOWN;
  }
}
