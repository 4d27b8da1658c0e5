package org.openswanj.conf.secrets;

import java.security.MessageDigest;
import java.util.Arrays;

/** A pre-shared key: the exact bytes of the quoted string or of the decoded 0x/0s/0t data. */
public final class Psk implements Secret {
  private final byte[] bytes;

  public Psk(byte[] bytes) {
    this.bytes = bytes.clone();
  }

  public byte[] bytes() {
    return bytes.clone();
  }

  public int length() {
    return bytes.length;
  }

  @Override
  public SecretKind kind() {
    return SecretKind.PSK;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof Psk p && MessageDigest.isEqual(bytes, p.bytes);
  }

  @Override
  public int hashCode() {
    return Arrays.hashCode(bytes);
  }

  @Override
  public String toString() {
    return "[PSK]";
  }
}
