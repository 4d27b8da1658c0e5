package org.openswanj.pluto.crypto;

import java.io.IOException;
import java.math.BigInteger;
import java.security.GeneralSecurityException;
import java.security.InvalidKeyException;
import java.security.KeyFactory;
import java.security.Signature;
import java.security.interfaces.RSAPrivateKey;
import java.security.interfaces.RSAPublicKey;
import java.security.spec.RSAPublicKeySpec;
import java.util.Arrays;
import java.util.Base64;
import java.util.Optional;
import org.bouncycastle.asn1.ASN1Encoding;
import org.bouncycastle.asn1.ASN1ObjectIdentifier;
import org.bouncycastle.asn1.DERNull;
import org.bouncycastle.asn1.x509.AlgorithmIdentifier;

/**
 * RSA authentication: RFC 7296 §3.8 method 1 (RSASSA-PKCS1-v1_5, SHA-1 DigestInfo) and RFC 7427 method 14
 * (Digital Signature with an AlgorithmIdentifier); RFC 3110 public key blobs as in Openswan's
 * {@code leftrsasigkey=0s...}.
 */
public final class RsaAuth {
  private RsaAuth() {}

  /** RSASSA-PKCS1-v1_5 over {@code signedOctets} with hash {@code h}; method 1 is {@link HashAlg#SHA1}. */
  public static byte[] sign(RSAPrivateKey k, byte[] signedOctets, HashAlg h) {
    try {
      Signature s = Signature.getInstance(h.jcaRsaSignature());
      s.initSign(k);
      s.update(signedOctets);
      return s.sign();
    } catch (GeneralSecurityException e) {
      throw new IllegalArgumentException("RSA signing with " + h + " failed: " + e.getMessage(), e);
    }
  }

  /** False for a wrong or malformed signature; never throws on peer data. */
  public static boolean verify(RSAPublicKey k, byte[] signedOctets, byte[] signature, HashAlg h) {
    try {
      Signature s = Signature.getInstance(h.jcaRsaSignature());
      s.initVerify(k);
      s.update(signedOctets);
      return s.verify(signature);
    } catch (GeneralSecurityException e) {
      return false;
    }
  }

  /**
   * RFC 7427 §3: Authentication Data for method 14 = ASN.1 length (1 byte) ‖ AlgorithmIdentifier DER ‖
   * signature, with shaXWithRSAEncryption and NULL parameters (RFC 7427 App. A.1).
   */
  public static byte[] signMethod14(RSAPrivateKey k, byte[] signedOctets, HashAlg h) {
    byte[] algId = algorithmIdentifier(h);
    return PrfFunction.concat(new byte[] {(byte) algId.length}, algId, sign(k, signedOctets, h));
  }

  /** Verifies method-14 Authentication Data; false if malformed, unknown algorithm or bad signature. */
  public static boolean verifyMethod14(RSAPublicKey k, byte[] signedOctets, byte[] authData) {
    if (authData.length < 1) {
      return false;
    }
    int len = authData[0] & 0xff;
    if (authData.length < 1 + len) {
      return false;
    }
    byte[] algId = Arrays.copyOfRange(authData, 1, 1 + len);
    Optional<HashAlg> h = hashOf(algId);
    return h.isPresent() && verify(k, signedOctets, Arrays.copyOfRange(authData, 1 + len, authData.length), h.get());
  }

  static byte[] algorithmIdentifier(HashAlg h) {
    try {
      return new AlgorithmIdentifier(new ASN1ObjectIdentifier(h.rsaSignatureOid()), DERNull.INSTANCE)
          .getEncoded(ASN1Encoding.DER);
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
  }

  private static Optional<HashAlg> hashOf(byte[] algId) {
    for (HashAlg h : HashAlg.values()) {
      if (Arrays.equals(algorithmIdentifier(h), algId)) {
        return Optional.of(h);
      }
    }
    return Optional.empty();
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
