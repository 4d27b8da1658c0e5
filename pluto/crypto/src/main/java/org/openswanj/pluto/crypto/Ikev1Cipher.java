package org.openswanj.pluto.crypto;

import java.util.Arrays;
import org.openswanj.alg.Encryption;

/**
 * CBC encryption of IKEv1 message bodies (everything after the ISAKMP header) with 3DES or AES
 * (RFC 2409 Appendix B, RFC 3602). The IV of the next message is the last ciphertext block
 * ({@link #lastBlock}). Stateless; keys are passed per call.
 */
public final class Ikev1Cipher {
  private Ikev1Cipher() {}

  /** RFC 2409 App. B: pads with 0x00 bytes up to the block size, then encrypts. */
  public static byte[] encrypt(Encryption enc, byte[] key, byte[] iv, byte[] plaintext) {
    check(enc, key, iv);
    int b = enc.blockSize();
    byte[] padded = Arrays.copyOf(plaintext, (plaintext.length + b - 1) / b * b);
    return Ciphers.encrypt(enc, key, iv, null, padded);
  }

  /**
   * Decrypts a body; the padding stays (payload lengths say where the data ends).
   *
   * @throws IntegrityException if the body is not a whole number of blocks
   */
  public static byte[] decrypt(Encryption enc, byte[] key, byte[] iv, byte[] ciphertext) throws IntegrityException {
    check(enc, key, iv);
    if (ciphertext.length == 0 || ciphertext.length % enc.blockSize() != 0) {
      throw new IntegrityException("IKEv1 encrypted body of " + ciphertext.length + " bytes is not a multiple of the "
          + enc.configName() + " block size " + enc.blockSize());
    }
    return Ciphers.decrypt(enc, key, iv, null, ciphertext);
  }

  /** The last cipher block: the IV for the next message in the same exchange (RFC 2409 App. B). */
  public static byte[] lastBlock(byte[] ciphertext, int blockSize) {
    return Arrays.copyOfRange(ciphertext, ciphertext.length - blockSize, ciphertext.length);
  }

  private static void check(Encryption enc, byte[] key, byte[] iv) {
    if (!CryptoRegistry.supportedIkev1(enc)) {
      throw new IllegalArgumentException(enc.configName() + " is not an IKEv1 cipher");
    }
    if (iv.length != enc.blockSize()) {
      throw new IllegalArgumentException("IV must be " + enc.blockSize() + " bytes, got " + iv.length);
    }
    if (!enc.acceptsKeyLength(key.length * 8)) {
      throw new IllegalArgumentException(enc.configName() + " does not take a " + key.length + "-byte key");
    }
  }
}
