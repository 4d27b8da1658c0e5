package org.openswanj.pluto.crypto;

import java.math.BigInteger;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.SecureRandom;
import java.security.spec.NamedParameterSpec;
import java.security.spec.XECPrivateKeySpec;
import java.security.spec.XECPublicKeySpec;
import javax.crypto.KeyAgreement;
import org.openswanj.alg.DhGroup;

/** Curve25519 (RFC 8031, RFC 7748 X25519) over the JCE "XDH" implementation. */
final class X25519Dh implements DhKeyPair {
  private static final int LEN = 32;
  private static final BigInteger BASE_U = BigInteger.valueOf(9);

  private final PrivateKey privateKey;
  private final byte[] publicValue;

  private X25519Dh(PrivateKey privateKey) throws InvalidKeException {
    this.privateKey = privateKey;
    // X25519(k, 9) is the public value (RFC 7748 §6.1); the JCE gives it through a key agreement.
    this.publicValue = agree(privateKey, BASE_U);
  }

  /** 32 random bytes are a valid scalar (RFC 7748 §5 clamps them); no retry loop. */
  static X25519Dh generate(SecureRandom r) {
    byte[] k = new byte[LEN];
    r.nextBytes(k);
    try {
      return fromPrivate(k);
    } finally {
      java.util.Arrays.fill(k, (byte) 0);
    }
  }

  static X25519Dh fromPrivate(byte[] scalar) {
    if (scalar.length != LEN) {
      throw new IllegalArgumentException("X25519 private scalar must be 32 bytes, got " + scalar.length);
    }
    try {
      KeyFactory kf = KeyFactory.getInstance("X25519");
      return new X25519Dh(kf.generatePrivate(new XECPrivateKeySpec(NamedParameterSpec.X25519, scalar)));
    } catch (GeneralSecurityException e) {
      throw new IllegalArgumentException("bad X25519 private scalar", e);
    }
  }

  private static byte[] agree(PrivateKey k, BigInteger u) throws InvalidKeException {
    try {
      PublicKey pub = KeyFactory.getInstance("X25519")
          .generatePublic(new XECPublicKeySpec(NamedParameterSpec.X25519, u));
      KeyAgreement ka = KeyAgreement.getInstance("X25519");
      ka.init(k);
      ka.doPhase(pub, true);
      byte[] out = ka.generateSecret();
      if (new BigInteger(1, out).signum() == 0) {
        throw new InvalidKeException("curve25519: shared secret is all zeros (RFC 8031 §2)");
      }
      return out;
    } catch (InvalidKeException e) {
      throw e;
    } catch (GeneralSecurityException e) {
      // The JCE refuses small-order points with "Point has small order".
      throw new InvalidKeException("curve25519: key agreement refused: " + e.getMessage()
          + " (RFC 8031 §2: all-zero result)");
    }
  }

  @Override
  public DhGroup group() {
    return DhGroup.CURVE25519;
  }

  @Override
  public byte[] publicValue() {
    return publicValue.clone();
  }

  @Override
  public byte[] sharedSecret(byte[] peer) throws InvalidKeException {
    if (peer.length != LEN) {
      throw new InvalidKeException("curve25519: KE data is " + peer.length + " bytes, expected 32 (RFC 8031 §3)");
    }
    // RFC 7748 §5: little-endian u with the top bit masked.
    byte[] be = new byte[LEN];
    for (int i = 0; i < LEN; i++) {
      be[i] = peer[LEN - 1 - i];
    }
    be[0] &= 0x7f;
    return agree(privateKey, new BigInteger(1, be));
  }

  @Override
  public String toString() {
    return "DhKeyPair[curve25519, private value redacted]";
  }
}
