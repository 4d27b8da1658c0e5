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
      default -> false; // AES-CTR (RFC 5930) and ENCR_NULL are not offered for IKE
    };
  }

  /** True if {@link Ikev1Cipher} can protect IKEv1 messages with {@code e} (RFC 2409 CBC ciphers). */
  public static boolean supportedIkev1(Encryption e) {
    return e == Encryption.DES3_CBC || e == Encryption.AES_CBC;
  }

  public static boolean supported(Integrity i) {
    return switch (i) {
      case HMAC_MD5_96, HMAC_SHA1_96, AES_XCBC_96, HMAC_SHA2_256_128, HMAC_SHA2_384_192, HMAC_SHA2_512_256 -> true;
      default -> false;
    };
  }

  public static boolean supported(Prf p) {
    return switch (p) {
      case HMAC_MD5, HMAC_SHA1, AES128_XCBC, HMAC_SHA2_256, HMAC_SHA2_384, HMAC_SHA2_512 -> true;
      default -> false;
    };
  }

  public static boolean supported(DhGroup g) {
    return switch (g) {
      case MODP768, MODP1024, MODP1536, MODP2048, MODP3072, MODP4096, MODP6144, MODP8192,
          ECP256, ECP384, ECP521, CURVE25519 -> true;
      default -> false;
    };
  }
}
