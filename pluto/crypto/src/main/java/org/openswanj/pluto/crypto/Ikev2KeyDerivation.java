package org.openswanj.pluto.crypto;

import java.nio.ByteBuffer;
import java.util.Arrays;
import org.openswanj.alg.Encryption;
import org.openswanj.alg.Integrity;
import org.openswanj.alg.Prf;

/** The IKEv2 key schedule: RFC 7296 §2.14 (initial), §2.18 (IKE SA rekey), §2.17 (child SAs). */
public final class Ikev2KeyDerivation {
  private Ikev2KeyDerivation() {}

  /**
   * RFC 7296 §2.14: SKEYSEED = prf(Ni | Nr, g^ir); {SK_d | SK_ai | SK_ar | SK_ei | SK_er | SK_pi | SK_pr}
   * = prf+(SKEYSEED, Ni | Nr | SPIi | SPIr).
   *
   * @param integ null for AEAD ciphers
   */
  public static IkeSaKeys initial(Prf prf, Encryption enc, int encKeyBits, Integrity integ, byte[] ni, byte[] nr,
      byte[] gir, long spiI, long spiR) {
    byte[] skeyseed = skeyseed(prf, ni, nr, gir);
    try {
      return expand(prf, skeyseed, enc, encKeyBits, integ, ni, nr, spiI, spiR);
    } finally {
      Arrays.fill(skeyseed, (byte) 0);
    }
  }

  /** RFC 7296 §2.14: SKEYSEED = prf(Ni | Nr, g^ir). */
  static byte[] skeyseed(Prf prf, byte[] ni, byte[] nr, byte[] gir) {
    return PrfFunction.of(prf, nonceKey(prf, ni, nr)).apply(gir);
  }

  /** RFC 7296 §2.18: SKEYSEED = prf(SK_d (old), g^ir (new) | Ni | Nr), then as §2.14 with the new PRF. */
  public static IkeSaKeys rekey(Prf oldPrf, byte[] oldSkD, Prf prf, Encryption enc, int encKeyBits,
      Integrity integ, byte[] ni, byte[] nr, byte[] gir, long spiI, long spiR) {
    byte[] skeyseed = PrfFunction.of(oldPrf, oldSkD).apply(gir, ni, nr);
    try {
      return expand(prf, skeyseed, enc, encKeyBits, integ, ni, nr, spiI, spiR);
    } finally {
      Arrays.fill(skeyseed, (byte) 0);
    }
  }

  /** RFC 7296 §2.17: KEYMAT = prf+(SK_d, Ni | Nr), or prf+(SK_d, g^ir (new) | Ni | Nr) with PFS. */
  public static byte[] childKeymat(Prf prf, byte[] skD, byte[] giRNewOrNull, byte[] ni, byte[] nr, int length) {
    byte[] seed = giRNewOrNull == null ? PrfFunction.concat(ni, nr) : PrfFunction.concat(giRNewOrNull, ni, nr);
    return PrfFunction.of(prf, skD).prfPlus(seed, length);
  }

  /**
   * Encryption key length in bytes, including the 4-byte salt of AES-GCM (RFC 5282 §7.1) and
   * ChaCha20-Poly1305 (RFC 7634 §2); {@code keyBits <= 0} means the algorithm's default.
   */
  public static int encKeyLength(Encryption enc, int keyBits) {
    int bits = keyBits <= 0 ? enc.defaultKeyLength() : keyBits;
    if (!enc.acceptsKeyLength(bits)) {
      throw new IllegalArgumentException(enc.configName() + " does not take a " + bits + "-bit key");
    }
    return bits / 8 + enc.saltSize();
  }

  /**
   * RFC 7296 §2.14: the PRF key for SKEYSEED is Ni | Nr, except for fixed-key-size PRFs (AES-XCBC,
   * RFC 4434) where it is the first 64 bits of Ni followed by the first 64 bits of Nr.
   */
  static byte[] nonceKey(Prf prf, byte[] ni, byte[] nr) {
    if (prf == Prf.AES128_XCBC) {
      return PrfFunction.concat(Arrays.copyOf(ni, 8), Arrays.copyOf(nr, 8));
    }
    return PrfFunction.concat(ni, nr);
  }

  private static IkeSaKeys expand(Prf prf, byte[] skeyseed, Encryption enc, int encKeyBits, Integrity integ,
      byte[] ni, byte[] nr, long spiI, long spiR) {
    if (enc.aead() != (integ == null)) {
      throw new IllegalArgumentException(enc.aead()
          ? enc.configName() + " is AEAD: no integrity algorithm may be given (RFC 5282 §8)"
          : enc.configName() + " needs an integrity algorithm");
    }
    int d = prf.outputSize();
    int a = integ == null ? 0 : integ.keySize();
    int e = encKeyLength(enc, encKeyBits);
    byte[] seed = PrfFunction.concat(ni, nr, ByteBuffer.allocate(16).putLong(spiI).putLong(spiR).array());
    byte[] s = PrfFunction.of(prf, skeyseed).prfPlus(seed, 3 * d + 2 * a + 2 * e);
    try {
      int[] lens = {d, a, a, e, e, d, d};
      SecretBytes[] k = new SecretBytes[lens.length];
      int off = 0;
      for (int i = 0; i < lens.length; i++) {
        k[i] = SecretBytes.copyOfRange(s, off, off + lens[i]);
        off += lens[i];
      }
      return new IkeSaKeys(k[0], k[1], k[2], k[3], k[4], k[5], k[6]);
    } finally {
      Arrays.fill(s, (byte) 0);
    }
  }
}
