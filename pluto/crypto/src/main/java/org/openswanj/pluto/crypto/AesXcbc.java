package org.openswanj.pluto.crypto;

import java.security.GeneralSecurityException;
import java.util.Arrays;
import javax.crypto.Cipher;
import javax.crypto.spec.SecretKeySpec;

/**
 * AES-XCBC-MAC (RFC 3566 §4), the core of AES-XCBC-MAC-96 and AES-XCBC-PRF-128 (RFC 4434). Neither the
 * JDK nor Bouncy Castle provides it, so it is written here on top of JCE AES/ECB. Not thread-safe.
 */
final class AesXcbc {
  private static final int BLOCK = 16;
  private final Cipher k1;
  private final byte[] k2;
  private final byte[] k3;

  /** @param key exactly 16 bytes (RFC 3566 §4) */
  AesXcbc(byte[] key) {
    if (key.length != BLOCK) {
      throw new IllegalArgumentException("AES-XCBC key must be 16 bytes, got " + key.length);
    }
    try {
      Cipher k = Cipher.getInstance("AES/ECB/NoPadding");
      k.init(Cipher.ENCRYPT_MODE, new SecretKeySpec(key, "AES"));
      byte[] key1 = k.doFinal(constant(0x01));
      k2 = k.doFinal(constant(0x02));
      k3 = k.doFinal(constant(0x03));
      k1 = Cipher.getInstance("AES/ECB/NoPadding");
      k1.init(Cipher.ENCRYPT_MODE, new SecretKeySpec(key1, "AES"));
      Arrays.fill(key1, (byte) 0);
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("JCE lacks AES/ECB", e);
    }
  }

  private static byte[] constant(int b) {
    byte[] c = new byte[BLOCK];
    Arrays.fill(c, (byte) b);
    return c;
  }

  /** The full 128-bit MAC of {@code msg}. */
  byte[] mac(byte[] msg) {
    byte[] e = new byte[BLOCK];
    int n = Math.max(1, (msg.length + BLOCK - 1) / BLOCK);
    try {
      for (int i = 0; i < n - 1; i++) {
        xor(e, msg, i * BLOCK, BLOCK);
        e = k1.doFinal(e);
      }
      int off = (n - 1) * BLOCK;
      int rest = msg.length - off;
      xor(e, msg, off, rest);
      if (rest == BLOCK) {
        xor(e, k2, 0, BLOCK);
      } else {
        e[rest] ^= (byte) 0x80; // RFC 3566 §4 (b): pad with a single 1 bit then 0 bits
        xor(e, k3, 0, BLOCK);
      }
      return k1.doFinal(e);
    } catch (GeneralSecurityException ex) {
      throw new IllegalStateException("AES/ECB failed", ex);
    }
  }

  private static void xor(byte[] acc, byte[] src, int off, int len) {
    for (int i = 0; i < len; i++) {
      acc[i] ^= src[off + i];
    }
  }
}
