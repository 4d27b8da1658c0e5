package org.openswanj.pluto.crypto;

import java.math.BigInteger;
import java.security.GeneralSecurityException;
import java.security.InvalidKeyException;
import java.security.KeyFactory;
import java.security.interfaces.RSAPrivateKey;
import java.security.interfaces.RSAPublicKey;
import java.security.spec.RSAPublicKeySpec;
import java.util.Arrays;
import java.util.Base64;
import org.openswanj.pluto.crypto.sig.KeyPolicy;
import org.openswanj.pluto.crypto.sig.RsaPkcs1Signature;
import org.openswanj.pluto.crypto.sig.SigningException;

/**
 * RSA authentication as the engines call it today: RFC 7296 §3.8 method 1 (RSASSA-PKCS1-v1_5, SHA-1 DigestInfo);
 * RFC 3110 public key blobs as in Openswan's {@code leftrsasigkey=0s...}.
 */
public final class RsaAuth {
  private RsaAuth() {}

  /** Until the engines move to Ikev2SignatureAuth: RFC 3110 keys as they are checked today (no size minimum). */
  private static final KeyPolicy LEGACY = new KeyPolicy(0, KeyPolicy.Sha1Signatures.ALLOWED);

  /**
   * RSASSA-PKCS1-v1_5 over {@code signedOctets} with hash {@code h}; method 1 is {@link HashAlg#SHA1}. New code
   * calls {@link org.openswanj.pluto.crypto.sig.Ikev2SignatureAuth}, which also applies the key policy.
   */
  public static byte[] sign(RSAPrivateKey k, byte[] signedOctets, HashAlg h) {
    try {
      return new RsaPkcs1Signature(h).sign(k, signedOctets, LEGACY);
    } catch (SigningException e) {
      throw new IllegalArgumentException(e.getMessage(), e);
    }
  }

  /** False for a wrong or malformed signature; never throws on peer data. */
  public static boolean verify(RSAPublicKey k, byte[] signedOctets, byte[] signature, HashAlg h) {
    return new RsaPkcs1Signature(h).verify(k, signedOctets, signature, LEGACY).isValid();
  }

  /**
   * RFC 3110 §2: exponent length (1 byte, or 0 then 2 bytes), exponent, modulus.
   *
   * @throws InvalidKeyException with a message saying what is wrong with the blob
   */
  public static RSAPublicKey fromRfc3110(byte[] b) throws InvalidKeyException {
    if (b.length < 3) {
      throw new InvalidKeyException("RFC 3110 RSA key blob too short (" + b.length + " bytes)");
    }
    int off = 1;
    int elen = b[0] & 0xff;
    if (elen == 0) {
      elen = ((b[1] & 0xff) << 8) | (b[2] & 0xff);
      off = 3;
    }
    if (elen == 0 || off + elen >= b.length) {
      throw new InvalidKeyException("RFC 3110 RSA key blob: exponent length " + elen + " leaves no modulus in "
          + b.length + " bytes");
    }
    BigInteger e = new BigInteger(1, Arrays.copyOfRange(b, off, off + elen));
    BigInteger n = new BigInteger(1, Arrays.copyOfRange(b, off + elen, b.length));
    if (n.bitLength() < 512 || !n.testBit(0) || e.compareTo(BigInteger.ONE) <= 0) {
      throw new InvalidKeyException("RFC 3110 RSA key blob: implausible key (modulus " + n.bitLength()
          + " bits, exponent " + e + ")");
    }
    try {
      return (RSAPublicKey) KeyFactory.getInstance("RSA").generatePublic(new RSAPublicKeySpec(n, e));
    } catch (GeneralSecurityException ex) {
      throw new InvalidKeyException("RFC 3110 RSA key blob rejected: " + ex.getMessage(), ex);
    }
  }

  public static byte[] toRfc3110(RSAPublicKey k) {
    byte[] e = unsigned(k.getPublicExponent());
    byte[] n = unsigned(k.getModulus());
    byte[] len = e.length <= 255 ? new byte[] {(byte) e.length}
        : new byte[] {0, (byte) (e.length >> 8), (byte) e.length};
    return PrfFunction.concat(len, e, n);
  }

  /** Openswan's key id: the first nine base64 digits of the RFC 3110 blob (e.g. "AQOnwiBPt"). */
  public static String keyId(RSAPublicKey k) {
    return Base64.getEncoder().encodeToString(toRfc3110(k)).substring(0, 9);
  }

  private static byte[] unsigned(BigInteger v) {
    byte[] raw = v.toByteArray();
    return raw.length > 1 && raw[0] == 0 ? Arrays.copyOfRange(raw, 1, raw.length) : raw;
  }
}
