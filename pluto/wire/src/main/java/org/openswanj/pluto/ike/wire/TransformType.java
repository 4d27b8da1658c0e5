package org.openswanj.pluto.ike.wire;

/** IKEv2 transform types (RFC 7296 §3.3.2). */
public enum TransformType {
  ENCR(1),
  PRF(2),
  INTEG(3),
  DH(4),
  ESN(5),
  UNKNOWN(-1);

  private final int wire;

  TransformType(int wire) {
    this.wire = wire;
  }

  public int wireValue() {
    return wire;
  }

  /** Never throws: unregistered values give {@link #UNKNOWN}. */
  public static TransformType fromWire(int value) {
    for (TransformType t : values()) {
      if (t.wire == value && t != UNKNOWN) {
        return t;
      }
    }
    return UNKNOWN;
  }
}
