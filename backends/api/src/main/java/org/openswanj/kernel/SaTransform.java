package org.openswanj.kernel;

import java.util.Objects;
import org.openswanj.alg.Encryption;
import org.openswanj.alg.Integrity;

/**
 * An ESP SA's algorithms and keys (RFC 4303 §3.2): the cipher with its key and, for non-AEAD ciphers, the
 * integrity algorithm with its key. {@code toString()} never shows key bytes.
 *
 * @param cipher the encryption descriptor
 * @param encKey cipher key; for ciphers with a salt (AEAD, CTR) the salt is the last bytes (RFC 4106 §8.1)
 * @param integrity the integrity descriptor, or {@code null} for a combined-mode (AEAD) cipher
 * @param integKey the integrity key, or {@code null} exactly when {@code integrity} is
 */
public record SaTransform(Encryption cipher, SecretKey encKey, Integrity integrity, SecretKey integKey) {
  public SaTransform {
    Objects.requireNonNull(cipher, "cipher");
    Objects.requireNonNull(encKey, "encKey");
    if ((integrity == null) != (integKey == null)) {
      throw new IllegalArgumentException("integrity " + integrity + " and its key must come together");
    }
  }

  /** An AEAD transform: the key includes the salt. */
  public static SaTransform aead(Encryption cipher, SecretKey key) {
    return new SaTransform(cipher, key, null, null);
  }

  /** Wipes both keys when the SA dies (STYLE rule 9). */
  public void wipe() {
    encKey.wipe();
    if (integKey != null) {
      integKey.wipe();
    }
  }

  /** The kernel's names, e.g. {@code rfc4106(gcm(aes))} or {@code cbc(aes)+hmac(sha256)}. */
  public String describe() {
    return cipher.xfrmName() + (integrity == null ? "" : "+" + integrity.xfrmName());
  }
}
