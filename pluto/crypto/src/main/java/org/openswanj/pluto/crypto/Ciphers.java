package org.openswanj.pluto.crypto;

import java.nio.ByteBuffer;
import java.security.GeneralSecurityException;
import java.security.Provider;
import java.security.spec.AlgorithmParameterSpec;
import javax.crypto.Cipher;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.IvParameterSpec;
import javax.crypto.spec.SecretKeySpec;
import org.bouncycastle.jce.provider.BouncyCastleProvider;
import org.openswanj.alg.CipherMode;
import org.openswanj.alg.Encryption;

/**
 * One encryption or decryption with an {@link Encryption} descriptor's JCA names: the cipher's own IV and
 * nonce layout, no padding (callers pad as their protocol says). Stateless; a fresh JCA {@code Cipher} per call,
 * so a key and nonce pair is never re-initialised on one object.
 */
final class Ciphers {
  private Ciphers() {}

  /** Bouncy Castle as a JCE provider instance, not registered globally: the JDK's GCM refuses 64-bit tags. */
  private static final class Bc {
    static final Provider PROVIDER = new BouncyCastleProvider();
  }

  /**
   * @param material the key followed by the descriptor's salt ({@link Encryption#saltSize()} bytes)
   * @param iv the explicit IV ({@link Encryption#ivSize()} bytes)
   * @param aad additional authenticated data for AEAD ciphers, ignored otherwise
   */
  static byte[] encrypt(Encryption e, byte[] material, byte[] iv, byte[] aad, byte[] plaintext) {
    try {
      return run(e, Cipher.ENCRYPT_MODE, material, iv, aad, plaintext);
    } catch (GeneralSecurityException ex) {
      throw new IllegalStateException(e.configName() + " encryption failed", ex);
    }
  }

  /** @throws IntegrityException the AEAD tag did not verify, or the input does not fit the cipher */
  static byte[] decrypt(Encryption e, byte[] material, byte[] iv, byte[] aad, byte[] ciphertext)
      throws IntegrityException {
    try {
      return run(e, Cipher.DECRYPT_MODE, material, iv, aad, ciphertext);
    } catch (GeneralSecurityException ex) {
      throw new IntegrityException(e.configName() + " decryption failed: " + ex.getMessage());
    }
  }

  private static byte[] run(Encryption e, int op, byte[] material, byte[] iv, byte[] aad, byte[] in)
      throws GeneralSecurityException {
    if (e.mode() == CipherMode.NONE) {
      return in.clone(); // RFC 2410: ENCR_NULL is the identity
    }
    int keyLen = material.length - e.saltSize();
    if (!e.acceptsKeyLength(keyLen * 8) || iv.length != e.ivSize()) {
      throw new IllegalArgumentException(e.configName() + " takes a " + lengths(e) + "-bit key and a " + e.ivSize()
          + "-byte IV, not " + keyLen * 8 + " and " + iv.length);
    }
    byte[] salt = java.util.Arrays.copyOfRange(material, keyLen, material.length);
    Cipher c = e.icvSize() > 0 && e.icvSize() < 12 ? Cipher.getInstance(e.impl().transformation(), Bc.PROVIDER)
        : Cipher.getInstance(e.impl().transformation());
    c.init(op, new SecretKeySpec(material, 0, keyLen, e.impl().keyAlgorithm()), parameters(e, salt, iv));
    if (e.aead()) {
      c.updateAAD(aad);
    }
    return c.doFinal(in);
  }

  private static AlgorithmParameterSpec parameters(Encryption e, byte[] salt, byte[] iv) {
    byte[] nonce = PrfFunction.concat(salt, iv);
    return switch (e.mode()) {
      // RFC 3686 §4: counter block = nonce ‖ IV ‖ block counter starting at 1
      case CTR -> new IvParameterSpec(ByteBuffer.allocate(16).put(nonce).putInt(1).array());
      // RFC 4106 §4 / RFC 5282 §4: salt ‖ IV; the tag is the ICV, truncated for the 8- and 12-byte variants
      case AEAD -> e == Encryption.CHACHA20_POLY1305 ? new IvParameterSpec(nonce)
          : new GCMParameterSpec(e.icvSize() * 8, nonce);
      case CBC, NONE -> new IvParameterSpec(iv);
    };
  }

  private static String lengths(Encryption e) {
    return java.util.stream.IntStream.of(e.keyLengths()).mapToObj(String::valueOf)
        .collect(java.util.stream.Collectors.joining("/"));
  }
}
