package org.openswanj.kernel;

import java.util.Arrays;

/** Key material whose {@code toString()} never shows the bytes (STYLE rule 9). Wipe it when the SA dies. */
public final class SecretKey {
  private final byte[] bytes;

  public SecretKey(byte[] bytes) {
    this.bytes = bytes.clone();
  }

  public byte[] bytes() {
    return bytes.clone();
  }

  public int length() {
    return bytes.length;
  }

  public void wipe() {
    Arrays.fill(bytes, (byte) 0);
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof SecretKey k && java.security.MessageDigest.isEqual(bytes, k.bytes);
  }

  @Override
  public int hashCode() {
    return bytes.length;
  }

  @Override
  public String toString() {
    return "[" + bytes.length + " key bytes]";
  }
}
