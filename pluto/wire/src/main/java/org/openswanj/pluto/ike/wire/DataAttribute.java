package org.openswanj.pluto.ike.wire;

/** A data attribute (RFC 2408 §3.3): TV (AF=1, 16-bit value) or TLV (variable value; {@code value} then holds it as an unsigned big-endian number when it fits in 4 bytes, else 0). */
public record DataAttribute(int type, boolean tv, int value, byte[] variable) {
  public DataAttribute {
    variable = variable == null ? new byte[0] : variable;
  }

  /** A TV (basic) attribute. */
  public static DataAttribute tv(int type, int value) {
    return new DataAttribute(type, true, value, new byte[0]);
  }

  /** A TLV (variable) attribute. */
  public static DataAttribute tlv(int type, byte[] value) {
    int n = 0;
    if (value.length <= 4) {
      for (byte b : value) {
        n = (n << 8) | (b & 0xff);
      }
    }
    return new DataAttribute(type, false, n, value);
  }

  /** The value as a long, for TV or a TLV of up to 8 bytes (life durations, RFC 2409 App. A). */
  public long longValue() {
    if (tv) {
      return value;
    }
    long n = 0;
    for (int i = Math.max(0, variable.length - 8); i < variable.length; i++) {
      n = (n << 8) | (variable[i] & 0xff);
    }
    return n;
  }
}
