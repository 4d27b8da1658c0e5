package org.openswanj.pluto.ike.wire;

/** Identification types: IPsec DOI (RFC 2407 §4.6.2.1) and IKEv2 (RFC 7296 §3.5) share the numbers. */
public enum IdType {
  ID_IPV4_ADDR(1),
  ID_FQDN(2),
  ID_RFC822_ADDR(3),
  ID_IPV4_ADDR_SUBNET(4),
  ID_IPV6_ADDR(5),
  ID_IPV6_ADDR_SUBNET(6),
  ID_IPV4_ADDR_RANGE(7),
  ID_IPV6_ADDR_RANGE(8),
  ID_DER_ASN1_DN(9),
  ID_DER_ASN1_GN(10),
  ID_KEY_ID(11),
  /** RFC 4595. */
  ID_FC_NAME(12),
  /** RFC 7619. */
  ID_NULL(13),
  UNKNOWN(-1);

  private final int wire;

  IdType(int wire) {
    this.wire = wire;
  }

  public int wireValue() {
    return wire;
  }

  /** Never throws: unregistered values give {@link #UNKNOWN}. */
  public static IdType fromWire(int value) {
    for (IdType t : values()) {
      if (t.wire == value && t != UNKNOWN) {
        return t;
      }
    }
    return UNKNOWN;
  }
}
