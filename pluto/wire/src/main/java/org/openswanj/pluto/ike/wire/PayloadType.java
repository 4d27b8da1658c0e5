package org.openswanj.pluto.ike.wire;

/** Next Payload values: ISAKMP (RFC 2408 §3.1, RFC 3947) and IKEv2 (RFC 7296 §3.2, RFC 7383). */
public enum PayloadType {
  NONE(0),
  // IKEv1 (RFC 2408 §3.1)
  SA_V1(1),
  PROPOSAL(2),
  TRANSFORM(3),
  KE_V1(4),
  ID_V1(5),
  CERT_V1(6),
  CR_V1(7),
  HASH(8),
  SIG(9),
  NONCE_V1(10),
  N_V1(11),
  D_V1(12),
  VID_V1(13),
  /** Mode Config attribute payload (draft-ietf-ipsec-isakmp-mode-cfg). */
  ATTRIBUTE_V1(14),
  /** RFC 3947 §3.2 / §5.2. */
  NAT_D(20),
  NAT_OA(21),
  /** draft-ietf-ipsec-nat-t-ike-02/03 private values, still sent by older peers. */
  NAT_D_DRAFT(130),
  NAT_OA_DRAFT(131),
  // IKEv2 (RFC 7296 §3.2)
  SA(33),
  KE(34),
  IDI(35),
  IDR(36),
  CERT(37),
  CERTREQ(38),
  AUTH(39),
  NONCE(40),
  NOTIFY(41),
  DELETE(42),
  VENDOR_ID(43),
  TSI(44),
  TSR(45),
  SK(46),
  CP(47),
  EAP(48),
  /** RFC 7383 §2.5. */
  SKF(53),
  UNKNOWN(-1);

  private final int wire;

  PayloadType(int wire) {
    this.wire = wire;
  }

  public int wireValue() {
    return wire;
  }

  /** Never throws: unregistered values give {@link #UNKNOWN}. */
  public static PayloadType fromWire(int value) {
    for (PayloadType t : values()) {
      if (t.wire == value && t != UNKNOWN) {
        return t;
      }
    }
    return UNKNOWN;
  }

  /** The name used in messages and logs: the RFC's short name where there is one. */
  public String shortName() {
    return name();
  }
}
