package org.openswanj.pluto.crypto;

import java.util.Arrays;

/**
 * Key material. {@link #toString()} never shows the bytes; {@link #wipe()} zeroes them when the SA dies.
 * Not thread-safe: owned by whoever holds the SA.
 */
public final class SecretBytes {
  private final byte[] value;
  private boolean wiped;

  private SecretBytes(byte[] value) {
    this.value = value;
  }

  /** Copies {@code bytes}; the caller may wipe its own array afterwards. */
  public static SecretBytes of(byte[] bytes) {
    return new SecretBytes(bytes.clone());
  }

  static SecretBytes copyOfRange(byte[] src, int from, int to) {
    return new SecretBytes(Arrays.copyOfRange(src, from, to));
  }

  /** A copy of the key bytes. */
  public byte[] bytes() {
    if (wiped) {
      throw new IllegalStateException("key material already wiped");
    }
    return value.clone();
  }

  public int length() {
    return value.length;
  }

  public boolean isWiped() {
    return wiped;
  }

  public void wipe() {
    Arrays.fill(value, (byte) 0);
    wiped = true;
  }

  @Override
  public String toString() {
    return wiped ? "SecretBytes[wiped]" : "SecretBytes[" + value.length + " bytes, redacted]";
  }
}
