package org.openswanj.pluto.crypto;

import org.openswanj.alg.CipherMode;
import org.openswanj.alg.DhGroup;
import org.openswanj.alg.Encryption;
import org.openswanj.alg.IanaIds;
import org.openswanj.alg.Integrity;
import org.openswanj.alg.Prf;

/**
 * What this module implements, as rules over the descriptors' facts (Libreswan's idea: one descriptor per
 * algorithm, bound to its implementation). The daemon offers and accepts only supported ones.
 */
public final class CryptoRegistry {
  private CryptoRegistry() {}

  /**
   * True if {@link SkCipher} can protect IKEv2 messages with {@code e}: CBC ciphers (RFC 7296 §3.14) and AEAD
   * (RFC 5282, RFC 7634). AES-CTR for IKE (RFC 5930) and ENCR_NULL are not offered.
   */
  public static boolean supported(Encryption e) {
    return e.implemented() && (e.mode() == CipherMode.CBC || e.mode() == CipherMode.AEAD);
  }

  /** True if {@link Ikev1Cipher} can protect IKEv1 messages with {@code e}: an Oakley CBC cipher (RFC 2409 App. B). */
  public static boolean supportedIkev1(Encryption e) {
    return e.implemented() && e.mode() == CipherMode.CBC && e.ikev1Id() != IanaIds.NONE;
  }

  public static boolean supported(Integrity i) {
    return i.implemented();
  }

  public static boolean supported(Prf p) {
    return p.implemented();
  }

  public static boolean supported(DhGroup g) {
    return g.implemented();
  }
}
