package org.openswanj.pluto.crypto;

import java.math.BigInteger;
import java.security.AlgorithmParameters;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.PrivateKey;
import java.security.SecureRandom;
import java.security.spec.ECFieldFp;
import java.security.spec.ECGenParameterSpec;
import java.security.spec.ECParameterSpec;
import java.security.spec.ECPoint;
import java.security.spec.ECPrivateKeySpec;
import java.security.spec.ECPublicKeySpec;
import java.util.Arrays;
import javax.crypto.KeyAgreement;
import org.openswanj.alg.DhGroup;

/** NIST prime-curve groups 19-21 (RFC 5903) over the JCE "EC"/"ECDH" implementations. */
final class EcpDh implements DhKeyPair {
  private final DhGroup group;
  private final ECParameterSpec params;
  private final PrivateKey privateKey;
  private final byte[] publicValue;

  private EcpDh(DhGroup group, ECParameterSpec params, PrivateKey privateKey, ECPoint w) {
    this.group = group;
    this.params = params;
    this.privateKey = privateKey;
    int half = group.publicValueSize() / 2;
    // RFC 5903 §7: KE data is x ‖ y, each the field size.
    this.publicValue = PrfFunction.concat(
        DiffieHellman.toFixed(w.getAffineX(), half), DiffieHellman.toFixed(w.getAffineY(), half));
  }

  private static String curveName(DhGroup g) {
    if (g.kind() != DhGroup.Kind.ECP) {
      throw new IllegalArgumentException(g + " is not an ECP group");
    }
    return g.curve();
  }

  static ECParameterSpec parameters(DhGroup g) {
    try {
      AlgorithmParameters ap = AlgorithmParameters.getInstance("EC");
      ap.init(new ECGenParameterSpec(curveName(g)));
      return ap.getParameterSpec(ECParameterSpec.class);
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("JCE lacks curve " + curveName(g), e);
    }
  }

  /** d = 1 + (random mod (n - 1)), drawn with 64 extra bits (FIPS 186-4 B.4.1); no retry loop. */
  static EcpDh generate(DhGroup g, SecureRandom r) {
    BigInteger n = parameters(g).getOrder();
    byte[] raw = new byte[(n.bitLength() + 7) / 8 + 8];
    r.nextBytes(raw);
    BigInteger d = new BigInteger(1, raw).mod(n.subtract(BigInteger.ONE)).add(BigInteger.ONE);
    return fromPrivate(g, DiffieHellman.toFixed(d, (n.bitLength() + 7) / 8));
  }

  static EcpDh fromPrivate(DhGroup g, byte[] d) {
    ECParameterSpec spec = parameters(g);
    BigInteger s = new BigInteger(1, d);
    if (s.signum() == 0 || s.compareTo(spec.getOrder()) >= 0) {
      throw new IllegalArgumentException(g.configName() + " private value must be in [1, n-1]");
    }
    try {
      PrivateKey priv = KeyFactory.getInstance("EC").generatePrivate(new ECPrivateKeySpec(s, spec));
      // The JCE has no public scalar multiply; Bouncy Castle computes w = d·G.
      org.bouncycastle.math.ec.ECPoint q = org.bouncycastle.jce.ECNamedCurveTable
          .getParameterSpec(curveName(g)).getG().multiply(s).normalize();
      ECPoint w = new ECPoint(q.getAffineXCoord().toBigInteger(), q.getAffineYCoord().toBigInteger());
      return new EcpDh(g, spec, priv, w);
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
      throw new InvalidKeException(group.configName() + ": KE data is " + peer.length + " bytes, expected " + len
          + " (x ‖ y, RFC 5903 §7)");
    }
    BigInteger x = new BigInteger(1, Arrays.copyOfRange(peer, 0, len / 2));
    BigInteger y = new BigInteger(1, Arrays.copyOfRange(peer, len / 2, len));
    checkOnCurve(x, y);
    try {
      KeyAgreement ka = KeyAgreement.getInstance("ECDH");
      ka.init(privateKey);
      ka.doPhase(KeyFactory.getInstance("EC").generatePublic(new ECPublicKeySpec(new ECPoint(x, y), params)), true);
      return DiffieHellman.toFixed(new BigInteger(1, ka.generateSecret()), len / 2);
    } catch (GeneralSecurityException e) {
      throw new InvalidKeException(group.configName() + ": key agreement refused: " + e.getMessage());
    }
  }

  /** RFC 5903 §9 / RFC 6989 §2.3: the peer's point must lie on the curve (cofactor is 1 for these). */
  private void checkOnCurve(BigInteger x, BigInteger y) throws InvalidKeException {
    BigInteger p = ((ECFieldFp) params.getCurve().getField()).getP();
    if (x.compareTo(p) >= 0 || y.compareTo(p) >= 0) {
      throw new InvalidKeException(group.configName() + ": peer point coordinate not below the field prime");
    }
    BigInteger lhs = y.multiply(y).mod(p);
    BigInteger rhs = x.pow(3).add(params.getCurve().getA().multiply(x)).add(params.getCurve().getB()).mod(p);
    if (!lhs.equals(rhs)) {
      throw new InvalidKeException(group.configName() + ": peer public value is not a point on the curve");
    }
  }

  @Override
  public String toString() {
    return "DhKeyPair[" + group.configName() + ", private value redacted]";
  }
}
