package org.openswanj.kernel.klips.esp;

import java.nio.ByteBuffer;
import java.security.GeneralSecurityException;
import org.openswanj.alg.CipherMode;
import org.openswanj.alg.Encryption;
import org.openswanj.alg.Integrity;

/**
 * The cryptographic part of one ESP SA: IV, encryption and ICV (RFC 4303 §2). {@link EspCodec} does the
 * header and the padding around it.
 *
 * <p>Thread-safety: {@link #seal} and {@link #open} may be called by several data-path workers at once;
 * each worker thread gets its own JCE {@code Cipher}/{@code Mac} instances.
 */
public abstract class EspTransform {

  /** Cipher block size the padding aligns to (at least 4, RFC 4303 §2.4). */
  public abstract int blockSize();

  /** Bytes of IV carried in each packet. */
  public abstract int ivLength();

  /** Bytes of ICV carried in each packet. */
  public abstract int icvLength();

  /**
   * Encrypts {@code clear}'s remaining bytes (payload, padding, pad length, next header) into {@code wire}
   * after the 8-byte ESP header that starts at {@code headerOffset}: IV, ciphertext, ICV. Advances
   * {@code wire}'s position past the ICV.
   */
  public abstract void seal(long seq, boolean esn, ByteBuffer clear, ByteBuffer wire, int headerOffset)
      throws GeneralSecurityException;

  /**
   * Verifies and decrypts the ESP packet in {@code wire} (position at the SPI, limit at its end) into
   * {@code clear} from its position on; on return {@code clear}'s position is after the plaintext.
   */
  public abstract void open(long seq, boolean esn, ByteBuffer wire, ByteBuffer clear) throws EspException;

  /** Forgets the keys (best effort: JCE keeps its own copy until its objects are collected). */
  public abstract void wipe();

  /**
   * Builds the transform for a cipher and integrity pair.
   *
   * @param encKey for AEAD ciphers the key followed by the 4-byte salt (RFC 4106 §8.1, RFC 7634 §2)
   * @param integrity null for a combined-mode cipher
   * @throws GeneralSecurityException if the pair is not supported or a key has the wrong length
   */
  public static EspTransform create(Encryption cipher, byte[] encKey, Integrity integrity, byte[] integKey)
      throws GeneralSecurityException {
    if (!cipher.implemented() || (integrity != null && !integrity.implemented())) {
      throw new GeneralSecurityException((cipher.implemented() ? integrity : cipher) + " is not implemented");
    }
    if (cipher.aead()) {
      if (integrity != null) {
        throw new GeneralSecurityException(cipher + " is a combined-mode cipher: no integrity algorithm, not " + integrity);
      }
      return new AeadTransform(cipher, encKey);
    }
    if (cipher.mode() != CipherMode.CBC && cipher.mode() != CipherMode.NONE) {
      throw new GeneralSecurityException(cipher + " is not supported by the klips backend");
    }
    if (integrity == null) {
      // RFC 4303 §3.2.2 allows encryption without integrity, but it is unsafe (RFC 8221): refuse it.
      throw new GeneralSecurityException(cipher + " without integrity is refused (RFC 8221 §5)");
    }
    return new CbcHmacTransform(cipher, encKey, integrity, integKey);
  }

  /** Writes the 8-byte AAD (SPI, seq) or, with ESN, 12 bytes (SPI, seq high, seq low): RFC 4106 §5, RFC 7634 §2.1. */
  static int aad(byte[] aad, int spi, long seq, boolean esn) {
    putInt(aad, 0, spi);
    if (esn) {
      putInt(aad, 4, (int) (seq >>> 32));
      putInt(aad, 8, (int) seq);
      return 12;
    }
    putInt(aad, 4, (int) seq);
    return 8;
  }

  static void putInt(byte[] b, int off, int v) {
    b[off] = (byte) (v >>> 24);
    b[off + 1] = (byte) (v >>> 16);
    b[off + 2] = (byte) (v >>> 8);
    b[off + 3] = (byte) v;
  }
}
