package org.openswanj.cluster.codec;

import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.util.Arrays;
import javax.crypto.AEADBadTagException;
import javax.crypto.Cipher;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;
import org.openswanj.cluster.codec.RecordException.Reason;

/**
 * The cluster key (AES-256-GCM, NIST SP 800-38D) that seals every record's key material before it reaches
 * etcd. Nonces are 96 random bits: safe below 2^32 records per key (SP 800-38D §8.3), far more SA writes than
 * a cluster makes between key changes. {@code toString()} shows no key bytes.
 */
public final class ClusterKey {
  public static final int KEY_BYTES = 32;
  static final int NONCE_BYTES = 12;
  private static final int TAG_BITS = 128;

  private final SecretKeySpec key;
  private final SecureRandom random;

  /** {@code key}: 32 bytes, e.g. from an ipsec.secrets entry; copied, the caller may wipe its array. */
  public ClusterKey(byte[] key, SecureRandom random) {
    if (key.length != KEY_BYTES) {
      throw new IllegalArgumentException("cluster key must be " + KEY_BYTES + " bytes (AES-256), got "
          + key.length);
    }
    this.key = new SecretKeySpec(key, "AES");
    this.random = random;
  }

  /** Nonce followed by ciphertext and tag. */
  byte[] seal(byte[] plain, byte[] aad) {
    byte[] nonce = new byte[NONCE_BYTES];
    random.nextBytes(nonce);
    try {
      Cipher c = Cipher.getInstance("AES/GCM/NoPadding");
      c.init(Cipher.ENCRYPT_MODE, key, new GCMParameterSpec(TAG_BITS, nonce));
      c.updateAAD(aad);
      byte[] ct = c.doFinal(plain);
      byte[] out = Arrays.copyOf(nonce, NONCE_BYTES + ct.length);
      System.arraycopy(ct, 0, out, NONCE_BYTES, ct.length);
      return out;
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("AES-GCM unavailable in this JDK", e);
    }
  }

  byte[] open(byte[] sealed, byte[] aad, String what) throws RecordException {
    if (sealed.length < NONCE_BYTES + TAG_BITS / 8) {
      throw new RecordException(Reason.TRUNCATED, what + ": sealed keys: " + sealed.length + " bytes, too short");
    }
    try {
      Cipher c = Cipher.getInstance("AES/GCM/NoPadding");
      c.init(Cipher.DECRYPT_MODE, key, new GCMParameterSpec(TAG_BITS, sealed, 0, NONCE_BYTES));
      c.updateAAD(aad);
      return c.doFinal(sealed, NONCE_BYTES, sealed.length - NONCE_BYTES);
    } catch (AEADBadTagException e) {
      throw new RecordException(Reason.NOT_AUTHENTIC, what + ": sealed keys fail authentication (another "
          + "cluster key, a record moved to another etcd key, or tampered)");
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("AES-GCM unavailable in this JDK", e);
    }
  }

  @Override
  public String toString() {
    return "[cluster key]";
  }
}
