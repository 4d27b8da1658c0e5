package org.openswanj.pluto.ike.wire;

/** The message type of an attribute payload (draft-ietf-ipsec-isakmp-mode-cfg-05 §3.2). */
public enum CfgType {
  ISAKMP_CFG_REQUEST(1),
  ISAKMP_CFG_REPLY(2),
  ISAKMP_CFG_SET(3),
  ISAKMP_CFG_ACK(4),
  UNKNOWN(-1);

  private final int wire;

  CfgType(int wire) {
    this.wire = wire;
  }

  public int wireValue() {
    return wire;
  }

  /** Never throws: reserved (0, 5-127) and private (128-255) values give {@link #UNKNOWN}. */
  public static CfgType fromWire(int value) {
    for (CfgType t : values()) {
      if (t.wire == value && t != UNKNOWN) {
        return t;
      }
    }
    return UNKNOWN;
  }
}
