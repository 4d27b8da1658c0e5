package org.openswanj.pluto.crypto;

import org.openswanj.conf.alg.DhGroup;
import org.openswanj.conf.alg.Encryption;
import org.openswanj.conf.alg.Integrity;
import org.openswanj.conf.alg.Prf;

/**
 * Which of the conf.alg descriptors this module implements for IKE (Libreswan's idea: one descriptor per
 * algorithm, bound here to its implementation). The daemon offers and accepts only supported ones.
 */
public final class CryptoRegistry {
  private CryptoRegistry() {}

  /** True if {@link SkCipher} can protect IKEv2 messages with {@code e}. */
  public static boolean supported(Encryption e) {
    return switch (e) {
      case DES3_CBC, AES_CBC, AES_GCM_8, AES_GCM_12, AES_GCM_16, CHACHA20_POLY1305 -> true;
      case AES_CTR, NULL -> false; // RFC 5930 / ENCR_NULL: not used for IKE here
    };
  }

  /** True if {@link Ikev1Cipher} can protect IKEv1 messages with {@code e} (RFC 2409 CBC ciphers). */
  public static boolean supportedIkev1(Encryption e) {
    return e == Encryption.DES3_CBC || e == Encryption.AES_CBC;
  }

  public static boolean supported(Integrity i) {
    return true;
  }

  public static boolean supported(Prf p) {
    return true;
  }

  public static boolean supported(DhGroup g) {
    return true;
  }
}
