package org.openswanj.kernel.klips.esp;

import java.nio.ByteBuffer;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.util.Arrays;
import javax.crypto.Cipher;
import javax.crypto.Mac;
import javax.crypto.spec.IvParameterSpec;
import javax.crypto.spec.SecretKeySpec;
import org.openswanj.alg.Encryption;
import org.openswanj.alg.Integrity;
import org.openswanj.alg.MacImpl;

/**
 * Encrypt-then-MAC ESP: AES-CBC (RFC 3602) or 3DES-CBC or NULL encryption (RFC 2410), with HMAC-SHA1-96
 * (RFC 2404), HMAC-SHA2-256/384/512 (RFC 4868) or HMAC-MD5-96. The ICV covers the ESP header, IV and
 * ciphertext, and with ESN the high-order sequence bits appended but not sent (RFC 4304 §2, RFC 4303
 * §2.2.1). CBC IVs are random per packet (RFC 3602 §3: unpredictable).
 */
final class CbcHmacTransform extends EspTransform {
  private final Encryption cipher;
  private final SecretKeySpec encKey;
  private final SecretKeySpec macKey;
  private final String cipherName;
  private final String macName;
  private final int block;
  private final int iv;
  private final int icv;
  private final ThreadLocal<PerThread> local;

  private static final class PerThread {
    final Cipher cipher;
    final Mac mac;
    final SecureRandom random = new SecureRandom();
    final byte[] iv = new byte[16];
    final byte[] digest = new byte[64];
    final byte[] seqHi = new byte[4];

    PerThread(Cipher cipher, Mac mac) {
      this.cipher = cipher;
      this.mac = mac;
    }
  }

  CbcHmacTransform(Encryption cipher, byte[] encKey, Integrity integrity, byte[] integKey)
      throws GeneralSecurityException {
    this.cipher = cipher;
    this.cipherName = cipher.impl().transformation();
    this.block = Math.max(4, cipher.blockSize()); // RFC 4303 §2.4: ESP pads to at least 4 bytes
    this.iv = cipher.ivSize();
    if (!cipher.acceptsKeyLength(encKey.length * 8)) {
      throw new GeneralSecurityException(cipher + ": encryption key of " + encKey.length + " bytes is the wrong length");
    }
    this.encKey = cipherName == null ? null : new SecretKeySpec(encKey, cipher.impl().keyAlgorithm());
    this.macName = integrity.impl().mac();
    if (macName == null || integrity.impl().construction() != MacImpl.Construction.HMAC) {
      throw new GeneralSecurityException(integrity + " is not supported by the klips backend");
    }
    if (integKey == null || integKey.length != integrity.keySize()) {
      throw new GeneralSecurityException(integrity + ": integrity key of " + (integKey == null ? 0 : integKey.length)
          + " bytes, expected " + integrity.keySize());
    }
    this.macKey = new SecretKeySpec(integKey, macName);
    this.icv = integrity.icvSize();
    newPerThread();
    this.local = ThreadLocal.withInitial(() -> {
      try {
        return newPerThread();
      } catch (GeneralSecurityException e) {
        throw new IllegalStateException(macName + " vanished from the JCE", e);
      }
    });
  }

  private PerThread newPerThread() throws GeneralSecurityException {
    Mac mac = Mac.getInstance(macName);
    mac.init(macKey);
    return new PerThread(cipherName == null ? null : Cipher.getInstance(cipherName), mac);
  }

  @Override
  public int blockSize() {
    return block;
  }

  @Override
  public int ivLength() {
    return iv;
  }

  @Override
  public int icvLength() {
    return icv;
  }

  @Override
  public void seal(long seq, boolean esn, ByteBuffer clear, ByteBuffer wire, int headerOffset)
      throws GeneralSecurityException {
    PerThread t = local.get();
    if (t.cipher == null) {
      wire.put(clear);
    } else {
      t.random.nextBytes(t.iv);
      wire.put(t.iv, 0, iv);
      t.cipher.init(Cipher.ENCRYPT_MODE, encKey, new IvParameterSpec(t.iv, 0, iv));
      t.cipher.doFinal(clear, wire);
    }
    int end = wire.position();
    mac(t, seq, esn, wire, headerOffset, end);
    wire.put(t.digest, 0, icv);
  }

  private void mac(PerThread t, long seq, boolean esn, ByteBuffer wire, int from, int to) {
    ByteBuffer region = wire.duplicate();
    region.limit(to).position(from);
    t.mac.update(region);
    if (esn) {
      putInt(t.seqHi, 0, (int) (seq >>> 32));
      t.mac.update(t.seqHi);
    }
    try {
      t.mac.doFinal(t.digest, 0);
    } catch (javax.crypto.ShortBufferException e) {
      throw new IllegalStateException("digest buffer too small for " + macName, e);
    }
  }

  @Override
  public void open(long seq, boolean esn, ByteBuffer wire, ByteBuffer clear) throws EspException {
    PerThread t = local.get();
    int start = wire.position();
    int end = wire.limit();
    int body = end - start - 8 - iv - icv;
    if (body < 2 || body % block != 0) {
      throw new EspException(EspException.Reason.MALFORMED,
          "ESP packet of " + (end - start) + " bytes: ciphertext is not a whole number of " + block + "-byte blocks");
    }
    mac(t, seq, esn, wire, start, end - icv);
    int diff = 0;
    for (int i = 0; i < icv; i++) {
      diff |= t.digest[i] ^ wire.get(end - icv + i); // constant time
    }
    if (diff != 0) {
      throw new EspException(EspException.Reason.INTEGRITY, "ICV mismatch");
    }
    ByteBuffer ct = wire.duplicate();
    ct.limit(end - icv).position(start + 8 + iv);
    if (t.cipher == null) {
      clear.put(ct);
      return;
    }
    try {
      wire.get(start + 8, t.iv, 0, iv);
      t.cipher.init(Cipher.DECRYPT_MODE, encKey, new IvParameterSpec(t.iv, 0, iv));
      t.cipher.doFinal(ct, clear);
    } catch (GeneralSecurityException e) {
      throw new EspException(EspException.Reason.MALFORMED, "cannot decrypt: " + e.getMessage());
    }
  }

  @Override
  public void wipe() {
    // SecretKeySpec keeps its own copy; the SA drops its reference and the key material in SaSpec is wiped.
  }

  @Override
  public String toString() {
    return cipher + "+" + macName;
  }
}
