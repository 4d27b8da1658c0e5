package org.openswanj.pluto.ikev2;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.math.BigInteger;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.interfaces.RSAPrivateCrtKey;
import java.security.interfaces.RSAPublicKey;
import java.util.Base64;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.openswanj.pluto.crypto.RsaAuth;
import org.openswanj.pluto.engine.IkeSettings;
import org.openswanj.whack.proto.WhackRequest;

/** authby=rsasig with raw keys (leftrsasigkey=0s…, ": RSA { … }" in ipsec.secrets): RFC 7296 §3.8 method 1. */
class RsaAuthTwoPeerTest {
  private static KeyPair gen() throws Exception {
    return gen(2048);
  }

  private static KeyPair gen(int bits) throws Exception {
    KeyPairGenerator g = KeyPairGenerator.getInstance("RSA");
    g.initialize(bits);
    return g.generateKeyPair();
  }

  private static String hex(BigInteger b) {
    String h = b.toString(16);
    return "0x" + (h.length() % 2 == 1 ? "0" + h : h); // ttodata(3) wants whole bytes
  }

  /** Openswan's ipsec.secrets form of a private key. */
  static String rsaBlock(KeyPair kp) {
    RSAPrivateCrtKey k = (RSAPrivateCrtKey) kp.getPrivate();
    return ": RSA {\n\tModulus: " + hex(k.getModulus()) + "\n\tPublicExponent: " + hex(k.getPublicExponent())
        + "\n\tPrivateExponent: " + hex(k.getPrivateExponent()) + "\n\tPrime1: " + hex(k.getPrimeP())
        + "\n\tPrime2: " + hex(k.getPrimeQ()) + "\n\tExponent1: " + hex(k.getPrimeExponentP())
        + "\n\tExponent2: " + hex(k.getPrimeExponentQ()) + "\n\tCoefficient: " + hex(k.getCrtCoefficient()) + "\n\t}\n";
  }

  static String sigkey(KeyPair kp) {
    return "0s" + Base64.getEncoder().encodeToString(RsaAuth.toRfc3110((RSAPublicKey) kp.getPublic()));
  }

  private static Map<String, String> conn(KeyPair west, KeyPair east) {
    return TwoPlutos.conn("authby", "rsasig", "leftrsasigkey", sigkey(west), "rightrsasigkey", sigkey(east));
  }

  @Test
  void rawRsaKeysAuthenticateBothWays() throws Exception {
    KeyPair w = gen();
    KeyPair e = gen();
    TwoPlutos t = new TwoPlutos(rsaBlock(w), rsaBlock(e), IkeSettings.defaults());
    assertTrue(t.add(t.west, "west-east", conn(w, e)).text().contains("added"));
    assertTrue(t.add(t.east, "west-east", conn(w, e)).text().contains("added"));
    TwoPlutos.Recorder r = t.whack(t.west, new WhackRequest.Initiate("west-east", false));
    assertTrue(r.text().contains("IPsec SA established"), r.text());
    assertEquals(Ikev2State.STATE_PARENT_R2, t.east.pluto.engine().ikeSas().get(0).state);
  }

  @Test
  void wrongPeerKeyFails() throws Exception {
    KeyPair w = gen();
    KeyPair e = gen();
    KeyPair impostor = gen();
    TwoPlutos t = new TwoPlutos(rsaBlock(impostor), rsaBlock(e), IkeSettings.defaults());
    t.add(t.west, "west-east", conn(impostor, e));
    t.add(t.east, "west-east", conn(w, e)); // east expects west's real key
    TwoPlutos.Recorder r = t.whack(t.west, new WhackRequest.Initiate("west-east", false));
    assertTrue(r.text().contains("AUTHENTICATION_FAILED"), r.text());
    assertTrue(t.east.pluto.engine().ikeSas().isEmpty());
    assertTrue(t.west.pluto.engine().ikeSas().isEmpty());
  }

  @Test
  void aPeerKeyUnder2048BitsIsRefusedAndSaysSo() throws Exception {
    KeyPair w = gen(1024);
    KeyPair e = gen();
    TwoPlutos t = new TwoPlutos(rsaBlock(w), rsaBlock(e), IkeSettings.defaults());
    t.add(t.west, "west-east", conn(w, e));
    t.add(t.east, "west-east", conn(w, e));
    TwoPlutos.Recorder r = t.whack(t.west, new WhackRequest.Initiate("west-east", false));
    assertTrue(r.text().contains("AUTHENTICATION_FAILED"), r.text());
    assertTrue(t.east.pluto.engine().ikeSas().isEmpty(), "east keeps nothing for a 1024-bit peer key");
  }
}
