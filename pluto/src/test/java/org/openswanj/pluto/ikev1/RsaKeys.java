package org.openswanj.pluto.ikev1;

import java.math.BigInteger;
import java.security.KeyPair;
import java.security.interfaces.RSAPrivateCrtKey;
import java.security.interfaces.RSAPublicKey;
import java.util.Base64;
import org.openswanj.pluto.crypto.RsaAuth;

/** Openswan's forms of a test RSA key: the ipsec.secrets block and the leftrsasigkey= value. */
final class RsaKeys {
  private RsaKeys() {}

  private static String hex(BigInteger b) {
    String h = b.toString(16);
    return "0x" + (h.length() % 2 == 1 ? "0" + h : h);
  }

  static String block(KeyPair kp) {
    RSAPrivateCrtKey k = (RSAPrivateCrtKey) kp.getPrivate();
    return ": RSA {\n\tModulus: " + hex(k.getModulus()) + "\n\tPublicExponent: " + hex(k.getPublicExponent())
        + "\n\tPrivateExponent: " + hex(k.getPrivateExponent()) + "\n\tPrime1: " + hex(k.getPrimeP())
        + "\n\tPrime2: " + hex(k.getPrimeQ()) + "\n\tExponent1: " + hex(k.getPrimeExponentP())
        + "\n\tExponent2: " + hex(k.getPrimeExponentQ()) + "\n\tCoefficient: " + hex(k.getCrtCoefficient()) + "\n\t}\n";
  }

  static String sigkey(KeyPair kp) {
    return "0s" + Base64.getEncoder().encodeToString(RsaAuth.toRfc3110((RSAPublicKey) kp.getPublic()));
  }
}
