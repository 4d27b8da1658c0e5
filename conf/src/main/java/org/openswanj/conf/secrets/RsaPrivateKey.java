package org.openswanj.conf.secrets;

import com.google.common.io.BaseEncoding;
import java.io.ByteArrayOutputStream;
import java.math.BigInteger;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.PublicKey;
import java.security.interfaces.RSAPrivateCrtKey;
import java.security.interfaces.RSAPublicKey;
import java.util.Arrays;
import java.util.Objects;

/**
 * An RSA private key from ipsec.secrets ({@code : RSA { ... }} or a PEM file), with its public half and
 * Openswan's two public names for it: the keyid (first 9 base64 digits of the RFC 3110 key blob) and the
 * CKAID (first 20 bytes of SHA-256 over the same blob, printed in hex).
 */
public final class RsaPrivateKey implements Secret {
  private final RSAPrivateCrtKey privateKey;
  private final RSAPublicKey publicKey;

  public RsaPrivateKey(RSAPrivateCrtKey privateKey, RSAPublicKey publicKey) {
    this.privateKey = Objects.requireNonNull(privateKey, "privateKey");
    this.publicKey = Objects.requireNonNull(publicKey, "publicKey");
  }

  public RSAPrivateCrtKey privateKey() {
    return privateKey;
  }

  public RSAPublicKey publicKey() {
    return publicKey;
  }

  public int modulusBits() {
    return publicKey.getModulus().bitLength();
  }

  /** RFC 3110 §2 public key blob: exponent length, exponent, modulus (as in DNS KEY and leftrsasigkey=). */
  public byte[] rfc3110() {
    byte[] e = unsigned(publicKey.getPublicExponent());
    byte[] n = unsigned(publicKey.getModulus());
    ByteArrayOutputStream out = new ByteArrayOutputStream(n.length + e.length + 3);
    if (e.length <= 255) {
      out.write(e.length);
    } else {
      out.write(0);
      out.write(e.length >> 8);
      out.write(e.length & 0xff);
    }
    out.writeBytes(e);
    out.writeBytes(n);
    return out.toByteArray();
  }

  /** Openswan's keyid, e.g. "AwEAAbU2x": the first 9 base64 digits of {@link #rfc3110()}. */
  public String keyId() {
    return BaseEncoding.base64().encode(rfc3110()).substring(0, 9);
  }

  /** Openswan's CKAID in hex: the first 20 bytes of SHA-256 over {@link #rfc3110()}. */
  public String ckaid() {
    try {
      byte[] h = MessageDigest.getInstance("SHA-256").digest(rfc3110());
      return BaseEncoding.base16().lowerCase().encode(Arrays.copyOf(h, 20));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 missing from the JDK", e);
    }
  }

  /** True if {@code key} is this key's public half (same modulus and exponent). */
  public boolean hasPublicKey(PublicKey key) {
    return key instanceof RSAPublicKey r && r.getModulus().equals(publicKey.getModulus())
        && r.getPublicExponent().equals(publicKey.getPublicExponent());
  }

  @Override
  public SecretKind kind() {
    return SecretKind.RSA;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof RsaPrivateKey k && hasPublicKey(k.publicKey)
        && k.privateKey.getPrivateExponent().equals(privateKey.getPrivateExponent());
  }

  @Override
  public int hashCode() {
    return publicKey.getModulus().hashCode();
  }

  @Override
  public String toString() {
    return "[RSA private key, " + modulusBits() + " bits, keyid " + keyId() + "]";
  }

  private static byte[] unsigned(BigInteger v) {
    byte[] b = v.toByteArray();
    return b.length > 1 && b[0] == 0 ? Arrays.copyOfRange(b, 1, b.length) : b;
  }
}
