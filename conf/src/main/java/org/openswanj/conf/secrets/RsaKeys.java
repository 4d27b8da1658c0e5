package org.openswanj.conf.secrets;

import java.math.BigInteger;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.interfaces.RSAPrivateCrtKey;
import java.security.interfaces.RSAPublicKey;
import java.security.spec.RSAPrivateCrtKeySpec;
import java.security.spec.RSAPublicKeySpec;

/** Builds RSA keys from their parts and runs Openswan's sanity checks (RSA_private_key_sanity). */
final class RsaKeys {
  private RsaKeys() {}

  static RsaPrivateKey fromParts(BigInteger[] v) throws SecretsException {
    // v: n, e, d, p, q, dP, dQ, qInv, in the order of the BIND 8.2 fields.
    sanity(v[0], v[1], v[2], v[3], v[4], v[5], v[6], v[7]);
    try {
      KeyFactory kf = KeyFactory.getInstance("RSA");
      RSAPrivateCrtKey priv = (RSAPrivateCrtKey) kf.generatePrivate(
          new RSAPrivateCrtKeySpec(v[0], v[1], v[2], v[3], v[4], v[5], v[6], v[7]));
      RSAPublicKey pub = (RSAPublicKey) kf.generatePublic(new RSAPublicKeySpec(v[0], v[1]));
      return new RsaPrivateKey(priv, pub);
    } catch (GeneralSecurityException | ClassCastException e) {
      throw new SecretsException("RSA key rejected by the JDK: " + e.getClass().getSimpleName());
    }
  }

  static RsaPrivateKey fromCrt(RSAPrivateCrtKey k) throws SecretsException {
    return fromParts(new BigInteger[] {k.getModulus(), k.getPublicExponent(), k.getPrivateExponent(),
        k.getPrimeP(), k.getPrimeQ(), k.getPrimeExponentP(), k.getPrimeExponentQ(), k.getCrtCoefficient()});
  }

  /** The same checks, in the same order, as Openswan; the message names the check, never a value. */
  private static void sanity(BigInteger n, BigInteger e, BigInteger d, BigInteger p, BigInteger q,
      BigInteger dP, BigInteger dQ, BigInteger qInv) throws SecretsException {
    BigInteger one = BigInteger.ONE;
    if (n.signum() <= 0 || e.signum() <= 0 || p.signum() <= 0 || q.signum() <= 0) {
      fail("a field is zero");
    }
    if (n.bitLength() < 512) {
      fail("modulus is only " + n.bitLength() + " bits");
    }
    if (!n.equals(p.multiply(q))) {
      fail("n != p * q");
    }
    BigInteger p1 = p.subtract(one);
    BigInteger q1 = q.subtract(one);
    if (p1.mod(e).signum() == 0) {
      fail("e divides p-1");
    }
    if (q1.mod(e).signum() == 0) {
      fail("e divides q-1");
    }
    BigInteger lcm = p1.multiply(q1).divide(p1.gcd(q1));
    if (!d.multiply(e).mod(lcm).equals(one)) {
      fail("(d * e) mod (lcm(p-1, q-1)) != 1");
    }
    if (!d.mod(p1).equals(dP)) {
      fail("dP is not congruent to d mod (p-1)");
    }
    if (!d.mod(q1).equals(dQ)) {
      fail("dQ is not congruent to d mod (q-1)");
    }
    if (!q.multiply(qInv).mod(p).equals(one)) {
      fail("qInv is not congruent to (q^-1) mod p");
    }
  }

  private static void fail(String why) throws SecretsException {
    throw new SecretsException("RSA private key failed a sanity check: " + why);
  }
}
