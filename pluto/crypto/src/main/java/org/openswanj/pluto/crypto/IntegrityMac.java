package org.openswanj.pluto.crypto;

import java.security.GeneralSecurityException;
import java.util.Arrays;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.openswanj.alg.Integrity;
import org.openswanj.alg.MacImpl;

/**
 * A keyed integrity transform giving the truncated ICV (RFC 2404, RFC 4868 §2.6, RFC 3566). Not
 * thread-safe; {@code toString()} never shows the key.
 */
public final class IntegrityMac {
  private final Integrity alg;
  private final Mac hmac;
  private final AesXcbc xcbc;

  private IntegrityMac(Integrity alg, Mac hmac, AesXcbc xcbc) {
    this.alg = alg;
    this.hmac = hmac;
    this.xcbc = xcbc;
  }

  /** @param key exactly {@code alg.keySize()} bytes (RFC 7296 §3.3.5: integrity keys are fixed size) */
  public static IntegrityMac of(Integrity alg, byte[] key) {
    if (key.length != alg.keySize()) {
      throw new IllegalArgumentException(alg + " needs a " + alg.keySize() + "-byte key, got " + key.length);
    }
    if (alg.impl().construction() == MacImpl.Construction.AES_XCBC) {
      return new IntegrityMac(alg, null, new AesXcbc(key));
    }
    String name = alg.impl().mac();
    if (name == null) {
      throw new IllegalArgumentException("no implementation for " + alg);
    }
    try {
      Mac mac = Mac.getInstance(name);
      mac.init(new SecretKeySpec(key, name));
      return new IntegrityMac(alg, mac, null);
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("JCE lacks " + name, e);
    }
  }

  public Integrity algorithm() {
    return alg;
  }

  public int icvSize() {
    return alg.icvSize();
  }

  /** The truncated ICV over data[0] | data[1] | .... */
  public byte[] icv(byte[]... data) {
    byte[] full;
    if (hmac != null) {
      for (byte[] d : data) {
        hmac.update(d);
      }
      full = hmac.doFinal();
    } else {
      full = xcbc.mac(PrfFunction.concat(data));
    }
    return Arrays.copyOf(full, alg.icvSize());
  }

  @Override
  public String toString() {
    return "IntegrityMac[" + alg + ", key redacted]";
  }
}
