package org.openswanj.pluto.crypto;

import java.io.ByteArrayOutputStream;
import java.security.GeneralSecurityException;
import java.util.Arrays;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.openswanj.alg.MacImpl;
import org.openswanj.alg.Prf;

/**
 * An IKE pseudo-random function keyed once (RFC 7296 §2.13), and prf+ over it. Not thread-safe: one
 * instance per computation; {@code toString()} never shows the key.
 */
public final class PrfFunction {
  private final Prf alg;
  private final Mac hmac;
  private final AesXcbc xcbc;

  private PrfFunction(Prf alg, Mac hmac, AesXcbc xcbc) {
    this.alg = alg;
    this.hmac = hmac;
    this.xcbc = xcbc;
  }

  /** Keys {@code alg} with {@code key} (any length; RFC 4434 §2 for AES128-XCBC, RFC 2104 for HMAC). */
  public static PrfFunction of(Prf alg, byte[] key) {
    if (alg.impl().construction() == MacImpl.Construction.AES_XCBC) {
      return new PrfFunction(alg, null, new AesXcbc(xcbcKey(key)));
    }
    String name = alg.impl().mac();
    if (name == null) {
      throw new IllegalArgumentException("no implementation for " + alg);
    }
    try {
      Mac mac = Mac.getInstance(name);
      // HMAC pads keys with zeros to the block size, so an empty key equals the key {0x00}; JCE refuses
      // empty keys, hence the substitute.
      mac.init(new SecretKeySpec(key.length == 0 ? new byte[1] : key, name));
      return new PrfFunction(alg, mac, null);
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("JCE lacks " + name, e);
    }
  }

  /** RFC 4434 §2: 16-byte keys are used as-is, shorter ones zero-padded, longer ones condensed. */
  private static byte[] xcbcKey(byte[] key) {
    if (key.length == 16) {
      return key;
    }
    if (key.length < 16) {
      return Arrays.copyOf(key, 16);
    }
    return new AesXcbc(new byte[16]).mac(key);
  }

  public Prf algorithm() {
    return alg;
  }

  /** Output size, bytes. */
  public int outputSize() {
    return alg.outputSize();
  }

  /** prf(K, data[0] | data[1] | ...). */
  public byte[] apply(byte[]... data) {
    if (hmac != null) {
      for (byte[] d : data) {
        hmac.update(d);
      }
      return hmac.doFinal();
    }
    return xcbc.mac(concat(data));
  }

  /**
   * RFC 7296 §2.13: prf+(K, S) = T1 | T2 | ..., T1 = prf(K, S | 0x01), Tn = prf(K, Tn-1 | S | n).
   * At most 255 blocks.
   */
  public byte[] prfPlus(byte[] seed, int length) {
    int blocks = (length + outputSize() - 1) / outputSize();
    if (length < 0 || blocks > 255) {
      throw new IllegalArgumentException("prf+ can give 0.." + 255 * outputSize() + " bytes, asked " + length);
    }
    ByteArrayOutputStream out = new ByteArrayOutputStream(blocks * outputSize());
    byte[] t = new byte[0];
    for (int n = 1; n <= blocks; n++) {
      t = apply(t, seed, new byte[] {(byte) n});
      out.writeBytes(t);
    }
    return Arrays.copyOf(out.toByteArray(), length);
  }

  static byte[] concat(byte[]... parts) {
    int len = 0;
    for (byte[] p : parts) {
      len += p.length;
    }
    byte[] out = new byte[len];
    int off = 0;
    for (byte[] p : parts) {
      System.arraycopy(p, 0, out, off, p.length);
      off += p.length;
    }
    return out;
  }

  @Override
  public String toString() {
    return "PrfFunction[" + alg + ", key redacted]";
  }
}
