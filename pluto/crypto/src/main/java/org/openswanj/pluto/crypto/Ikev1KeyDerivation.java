package org.openswanj.pluto.crypto;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.util.Arrays;
import org.openswanj.alg.Prf;

/**
 * IKEv1 derivations, RFC 2409. The negotiated hash gives both the PRF (its HMAC, §4) and the IV hash
 * (Appendix B); {@link Prf} names it.
 */
public final class Ikev1KeyDerivation {
  private Ikev1KeyDerivation() {}

  /** §5: SKEYID = prf(pre-shared-key, Ni_b | Nr_b). */
  public static byte[] skeyidPsk(Prf prf, byte[] psk, byte[] niB, byte[] nrB) {
    return PrfFunction.of(prf, psk).apply(niB, nrB);
  }

  /** §5: for signatures, SKEYID = prf(Ni_b | Nr_b, g^xy). */
  public static byte[] skeyidSignature(Prf prf, byte[] niB, byte[] nrB, byte[] gxy) {
    return PrfFunction.of(prf, PrfFunction.concat(niB, nrB)).apply(gxy);
  }

  /**
   * §5: SKEYID_d = prf(SKEYID, g^xy | CKY-I | CKY-R | 0), SKEYID_a = prf(SKEYID, SKEYID_d | g^xy | CKY-I |
   * CKY-R | 1), SKEYID_e = prf(SKEYID, SKEYID_a | g^xy | CKY-I | CKY-R | 2); cipher key per Appendix B.
   */
  public static Ikev1Phase1Keys phase1(Prf prf, byte[] skeyid, byte[] gxy, byte[] ckyI, byte[] ckyR,
      int encKeyLen) {
    PrfFunction f = PrfFunction.of(prf, skeyid);
    byte[] d = f.apply(gxy, ckyI, ckyR, new byte[] {0});
    byte[] a = f.apply(d, gxy, ckyI, ckyR, new byte[] {1});
    byte[] e = f.apply(a, gxy, ckyI, ckyR, new byte[] {2});
    byte[] key = cipherKey(prf, e, encKeyLen);
    Ikev1Phase1Keys keys = new Ikev1Phase1Keys(SecretBytes.of(skeyid), SecretBytes.of(d), SecretBytes.of(a),
        SecretBytes.of(e), SecretBytes.of(key));
    for (byte[] b : new byte[][] {d, a, e, key}) {
      Arrays.fill(b, (byte) 0);
    }
    return keys;
  }

  /**
   * Appendix B: if SKEYID_e is shorter than the key, Ka = K1 | K2 | ..., K1 = prf(SKEYID_e, 0),
   * Kn = prf(SKEYID_e, Kn-1); the key is the first {@code len} bytes.
   */
  static byte[] cipherKey(Prf prf, byte[] skeyidE, int len) {
    if (skeyidE.length >= len) {
      return Arrays.copyOf(skeyidE, len);
    }
    PrfFunction f = PrfFunction.of(prf, skeyidE);
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    byte[] k = f.apply(new byte[] {0});
    out.writeBytes(k);
    while (out.size() < len) {
      k = f.apply(k);
      out.writeBytes(k);
    }
    return Arrays.copyOf(out.toByteArray(), len);
  }

  /** §5: HASH_I = prf(SKEYID, g^xi | g^xr | CKY-I | CKY-R | SAi_b | IDii_b). */
  public static byte[] hashI(Prf prf, byte[] skeyid, byte[] gxi, byte[] gxr, byte[] ckyI, byte[] ckyR,
      byte[] saiB, byte[] idiiB) {
    return PrfFunction.of(prf, skeyid).apply(gxi, gxr, ckyI, ckyR, saiB, idiiB);
  }

  /** §5: HASH_R = prf(SKEYID, g^xr | g^xi | CKY-R | CKY-I | SAi_b | IDir_b). */
  public static byte[] hashR(Prf prf, byte[] skeyid, byte[] gxi, byte[] gxr, byte[] ckyI, byte[] ckyR,
      byte[] saiB, byte[] idirB) {
    return PrfFunction.of(prf, skeyid).apply(gxr, gxi, ckyR, ckyI, saiB, idirB);
  }

  /** Appendix B: phase 1 IV = hash(g^xi | g^xr), truncated to the cipher block size. */
  public static byte[] phase1Iv(Prf prf, byte[] gxi, byte[] gxr, int blockSize) {
    return Arrays.copyOf(hash(prf, gxi, gxr), blockSize);
  }

  /**
   * Appendix B: the first IV of a Quick Mode or Informational exchange = hash(last phase 1 CBC block |
   * M-ID), truncated to the block size.
   */
  public static byte[] phase2Iv(Prf prf, byte[] lastPhase1Block, int messageId, int blockSize) {
    return Arrays.copyOf(hash(prf, lastPhase1Block, ByteBuffer.allocate(4).putInt(messageId).array()),
        blockSize);
  }

  /** §5.5: HASH(1) = prf(SKEYID_a, M-ID | message after HASH(1)). */
  public static byte[] quickHash1(Prf prf, byte[] skeyidA, int messageId, byte[] rest) {
    return PrfFunction.of(prf, skeyidA).apply(mid(messageId), rest);
  }

  /** §5.5: HASH(2) = prf(SKEYID_a, M-ID | Ni_b | message after HASH(2)). */
  public static byte[] quickHash2(Prf prf, byte[] skeyidA, int messageId, byte[] niB, byte[] rest) {
    return PrfFunction.of(prf, skeyidA).apply(mid(messageId), niB, rest);
  }

  /** §5.5: HASH(3) = prf(SKEYID_a, 0 | M-ID | Ni_b | Nr_b). */
  public static byte[] quickHash3(Prf prf, byte[] skeyidA, int messageId, byte[] niB, byte[] nrB) {
    return PrfFunction.of(prf, skeyidA).apply(new byte[] {0}, mid(messageId), niB, nrB);
  }

  /**
   * §5.5: KEYMAT = K1 | K2 | ..., K1 = prf(SKEYID_d, [g(qm)^xy |] protocol | SPI | Ni_b | Nr_b),
   * Kn = prf(SKEYID_d, Kn-1 | [g(qm)^xy |] protocol | SPI | Ni_b | Nr_b).
   *
   * @param spi the 4-byte SPI of the SA being keyed (the receiver's choice), in network order
   */
  public static byte[] quickModeKeymat(Prf prf, byte[] skeyidD, byte[] gqmOrNull, int protocol, int spi,
      byte[] niB, byte[] nrB, int length) {
    byte[] tail = PrfFunction.concat(gqmOrNull == null ? new byte[0] : gqmOrNull, new byte[] {(byte) protocol},
        ByteBuffer.allocate(4).putInt(spi).array(), niB, nrB);
    PrfFunction f = PrfFunction.of(prf, skeyidD);
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    byte[] k = new byte[0];
    while (out.size() < length) {
      k = f.apply(k, tail);
      out.writeBytes(k);
    }
    return Arrays.copyOf(out.toByteArray(), length);
  }

  private static byte[] mid(int messageId) {
    return ByteBuffer.allocate(4).putInt(messageId).array();
  }

  static byte[] hash(Prf prf, byte[]... parts) {
    String name = prf.impl().digest();
    if (name == null) {
      throw new IllegalArgumentException("IKEv1 has no " + prf + " hash");
    }
    try {
      MessageDigest md = MessageDigest.getInstance(name);
      for (byte[] p : parts) {
        md.update(p);
      }
      return md.digest();
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("JCE lacks " + name, e);
    }
  }
}
