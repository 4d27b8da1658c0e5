package org.openswanj.pluto.crypto;

import java.math.BigInteger;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.SecureRandom;
import javax.crypto.interfaces.DHPrivateKey;
import javax.crypto.KeyAgreement;
import javax.crypto.spec.DHParameterSpec;
import javax.crypto.spec.DHPrivateKeySpec;
import javax.crypto.spec.DHPublicKeySpec;
import org.bouncycastle.crypto.agreement.DHStandardGroups;
import org.bouncycastle.crypto.params.DHParameters;
import org.openswanj.alg.DhGroup;

/** MODP groups (RFC 2409 §6.1-6.2, RFC 3526) over the JCE "DH" KeyAgreement. */
final class ModpDh implements DhKeyPair {
  /** Private exponent size: twice the strength of the largest group is ample (RFC 3526 §8). */
  private static final int MAX_EXPONENT_BITS = 512;

  private final DhGroup group;
  private final DHParameterSpec params;
  private final DHPrivateKey privateKey;
  private final byte[] publicValue;

  private ModpDh(DhGroup group, DHParameterSpec params, DHPrivateKey privateKey, BigInteger y) {
    this.group = group;
    this.params = params;
    this.privateKey = privateKey;
    this.publicValue = DiffieHellman.toFixed(y, group.publicValueSize());
  }

  /** The group's prime and generator; Bouncy Castle carries the RFC constants. */
  static DHParameterSpec parameters(DhGroup g) {
    DHParameters p = switch (g) {
      case MODP768 -> DHStandardGroups.rfc2409_768;
      case MODP1024 -> DHStandardGroups.rfc2409_1024;
      case MODP1536 -> DHStandardGroups.rfc3526_1536;
      case MODP2048 -> DHStandardGroups.rfc3526_2048;
      case MODP3072 -> DHStandardGroups.rfc3526_3072;
      case MODP4096 -> DHStandardGroups.rfc3526_4096;
      case MODP6144 -> DHStandardGroups.rfc3526_6144;
      case MODP8192 -> DHStandardGroups.rfc3526_8192;
      default -> throw new IllegalArgumentException(g + " is not a MODP group");
    };
    int bits = Math.min(p.getP().bitLength() - 1, MAX_EXPONENT_BITS);
    return new DHParameterSpec(p.getP(), p.getG(), bits);
  }

  /**
   * The private exponent comes straight from {@code r} (no retry loop), so an injected deterministic
   * source can never stall generation: x = 2 + (random mod (p - 3)), at most 512 bits.
   */
  static ModpDh generate(DhGroup g, SecureRandom r) {
    DHParameterSpec spec = parameters(g);
    byte[] raw = new byte[spec.getL() / 8 + 8];
    r.nextBytes(raw);
    BigInteger bound = BigInteger.ONE.shiftLeft(spec.getL()).min(spec.getP().subtract(BigInteger.valueOf(3)));
    BigInteger x = new BigInteger(1, raw).mod(bound).add(BigInteger.TWO);
    return fromPrivate(g, DiffieHellman.toFixed(x, (x.bitLength() + 7) / 8));
  }

  static ModpDh fromPrivate(DhGroup g, byte[] x) {
    DHParameterSpec spec = parameters(g);
    BigInteger xi = new BigInteger(1, x);
    try {
      KeyFactory kf = KeyFactory.getInstance("DH");
      DHPrivateKey priv = (DHPrivateKey) kf.generatePrivate(new DHPrivateKeySpec(xi, spec.getP(), spec.getG()));
      return new ModpDh(g, spec, priv, spec.getG().modPow(xi, spec.getP()));
    } catch (GeneralSecurityException e) {
      throw new IllegalArgumentException("bad " + g + " private value", e);
    }
  }

  @Override
  public DhGroup group() {
    return group;
  }

  @Override
  public byte[] publicValue() {
    return publicValue.clone();
  }

  @Override
  public byte[] sharedSecret(byte[] peer) throws InvalidKeException {
    int len = group.publicValueSize();
    if (peer.length != len) {
      throw new InvalidKeException(group.configName() + ": KE data is " + peer.length + " bytes, expected " + len);
    }
    BigInteger p = params.getP();
    BigInteger y = new BigInteger(1, peer);
    // RFC 7296 §3.4 / RFC 6989 §2.1: reject 0, 1, p-1 and anything >= p.
    if (y.compareTo(BigInteger.ONE) <= 0 || y.compareTo(p.subtract(BigInteger.ONE)) >= 0) {
      throw new InvalidKeException(group.configName() + ": peer public value must satisfy 1 < y < p-1");
    }
    try {
      KeyFactory kf = KeyFactory.getInstance("DH");
      KeyAgreement ka = KeyAgreement.getInstance("DH");
      ka.init(privateKey);
      ka.doPhase(kf.generatePublic(new DHPublicKeySpec(y, p, params.getG())), true);
      // RFC 7296 §2.14: g^ir padded with zeros to the length of the modulus.
      return DiffieHellman.toFixed(new BigInteger(1, ka.generateSecret()), len);
    } catch (GeneralSecurityException e) {
      throw new InvalidKeException(group.configName() + ": key agreement refused: " + e.getMessage());
    }
  }

  @Override
  public String toString() {
    return "DhKeyPair[" + group.configName() + ", private value redacted]";
  }
}
