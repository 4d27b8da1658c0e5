package org.openswanj.conf.secrets;

import java.security.MessageDigest;
import java.util.Arrays;

/** A static XAUTH password ({@code @user : XAUTH "password"}). */
public final class XauthPassword implements Secret {
  private final byte[] bytes;

  public XauthPassword(byte[] bytes) {
    this.bytes = bytes.clone();
  }

  public byte[] bytes() {
    return bytes.clone();
  }

  @Override
  public SecretKind kind() {
    return SecretKind.XAUTH;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof XauthPassword p && MessageDigest.isEqual(bytes, p.bytes);
  }

  @Override
  public int hashCode() {
    return Arrays.hashCode(bytes);
  }

  @Override
  public String toString() {
    return "[XAUTH]";
  }
}
