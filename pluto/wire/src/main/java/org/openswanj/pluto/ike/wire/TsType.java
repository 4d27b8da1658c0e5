package org.openswanj.pluto.ike.wire;

/** Traffic selector types (RFC 7296 §3.13.1). */
public enum TsType {
  TS_IPV4_ADDR_RANGE(7, 4),
  TS_IPV6_ADDR_RANGE(8, 16),
  UNKNOWN(-1, 0);

  private final int wire;
  private final int addressLength;

  TsType(int wire, int addressLength) {
    this.wire = wire;
    this.addressLength = addressLength;
  }

  public int wireValue() {
    return wire;
  }

  /** Bytes per address: 4 or 16. */
  public int addressLength() {
    return addressLength;
  }

  /** Never throws: unregistered values give {@link #UNKNOWN}. */
  public static TsType fromWire(int value) {
    for (TsType t : values()) {
      if (t.wire == value && t != UNKNOWN) {
        return t;
      }
    }
    return UNKNOWN;
  }
}
