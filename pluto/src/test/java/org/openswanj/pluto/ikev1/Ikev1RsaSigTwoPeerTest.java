package org.openswanj.pluto.ikev1;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.openswanj.pluto.engine.IkeSettings;
import org.openswanj.pluto.ikev2.TwoPlutos;
import org.openswanj.whack.proto.WhackRequest;

/** IKEv1 Main Mode with authby=rsasig and raw keys (RFC 2409 §5.1), Openswan's default, pluto to pluto. */
class Ikev1RsaSigTwoPeerTest {
  private static KeyPair gen() throws Exception {
    KeyPairGenerator g = KeyPairGenerator.getInstance("RSA");
    g.initialize(2048);
    return g.generateKeyPair();
  }

  private static Map<String, String> conn(KeyPair west, KeyPair east) {
    return TwoPlutos.connFor("never", "authby", "rsasig", "leftrsasigkey", RsaKeys.sigkey(west),
        "rightrsasigkey", RsaKeys.sigkey(east), "ike", "aes128-sha1-modp2048", "esp", "aes128-sha1");
  }

  @Test
  void mainModeWithRawRsaKeysEstablishesBothPhases() throws Exception {
    KeyPair w = gen();
    KeyPair e = gen();
    TwoPlutos t = new TwoPlutos(RsaKeys.block(w), RsaKeys.block(e), IkeSettings.defaults());
    assertTrue(t.add(t.west, "west-east", conn(w, e)).text().contains("added"));
    assertTrue(t.add(t.east, "west-east", conn(w, e)).text().contains("added"));
    TwoPlutos.Recorder r = t.whack(t.west, new WhackRequest.Initiate("west-east", false));
    assertTrue(r.text().contains("\"west-east\" #1: STATE_MAIN_I4: ISAKMP SA established {auth=OAKLEY_RSA_SIG"),
        r.text());
    assertTrue(r.text().contains("STATE_QUICK_I2: sent QI2, IPsec SA established"), r.text());
    assertEquals(Ikev1State.STATE_MAIN_R3, t.east.pluto.ikev1().isakmpSas().get(0).state);
  }

  @Test
  void aWrongKeyIsRefusedAndNothingIsEstablished() throws Exception {
    KeyPair w = gen();
    KeyPair e = gen();
    KeyPair impostor = gen();
    TwoPlutos t = new TwoPlutos(RsaKeys.block(impostor), RsaKeys.block(e), IkeSettings.defaults());
    t.add(t.west, "west-east", conn(impostor, e));
    t.add(t.east, "west-east", conn(w, e)); // east expects west's real key
    t.whack(t.west, new WhackRequest.Initiate("west-east", true));
    t.loop.advance(java.time.Duration.ofSeconds(5));
    assertTrue(t.east.pluto.ikev1().isakmpSas().stream().noneMatch(sa -> sa.state.isakmpEstablished()));
    assertTrue(t.west.pluto.ikev1().isakmpSas().stream().noneMatch(sa -> sa.state.isakmpEstablished()));
  }

  @Test
  void mainModeWithCertificatesChecksTheChainBothWays(@org.junit.jupiter.api.io.TempDir java.nio.file.Path dir)
      throws Exception {
    var p = org.openswanj.pluto.ikev2.CertAuthTwoPeerTest.pki(false, org.openswanj.pluto.ikev2.TestCa.UNTIL);
    TwoPlutos t = org.openswanj.pluto.ikev2.CertAuthTwoPeerTest.plutos(dir, p, p.ca().cert);
    Map<String, String> c = org.openswanj.pluto.ikev2.CertAuthTwoPeerTest.conn("ikev2", "never", "ike",
        "aes128-sha2_256-modp2048", "esp", "aes128-sha1");
    Map<String, String> w = new java.util.LinkedHashMap<>(c);
    w.remove("rightcert"); // west learns east's certificate from its CERT payload
    org.openswanj.pluto.ikev2.CertAuthTwoPeerTest.addBoth(t, w, c);
    TwoPlutos.Recorder r = t.whack(t.west, new WhackRequest.Initiate("west-east", false));
    assertTrue(r.text().contains("STATE_MAIN_I4: ISAKMP SA established {auth=OAKLEY_RSA_SIG"), r.text());
    assertTrue(r.text().contains("IPsec SA established"), r.text());
    assertEquals(p.eastCert(), t.west.pluto.ikev1().isakmpSas().get(0).peerCert);
    assertEquals(p.westCert(), t.east.pluto.ikev1().isakmpSas().get(0).peerCert);
    String status = t.whack(t.west, new WhackRequest.Status(false)).text();
    assertTrue(status.contains("STATE_MAIN_I4") && status.contains("peer='"
        + org.openswanj.pluto.ikev2.CertAuthTwoPeerTest.EAST_DN + "' issuer='C=CA, O=Test, CN=Test CA'"), status);
    // as in Openswan 2.6, --listpubkeys shows the key of the peer's validated certificate
    String keys = t.whack(t.west, new WhackRequest.ListPubkeys()).text();
    assertTrue(keys.contains("dndsec key") && keys.contains("ID_DER_ASN1_DN '"
        + org.openswanj.pluto.ikev2.CertAuthTwoPeerTest.EAST_DN + "'"), keys);
  }

  @Test
  void mainModeRefusesACertificateFromAnUntrustedCa(@org.junit.jupiter.api.io.TempDir java.nio.file.Path dir)
      throws Exception {
    var p = org.openswanj.pluto.ikev2.CertAuthTwoPeerTest.pki(false, org.openswanj.pluto.ikev2.TestCa.UNTIL);
    var other = new org.openswanj.pluto.ikev2.TestCa("C=CA, O=Other, CN=Other CA",
        org.openswanj.pluto.ikev2.TestCa.rsa());
    TwoPlutos t = org.openswanj.pluto.ikev2.CertAuthTwoPeerTest.plutos(dir, p, other.cert);
    Map<String, String> c = org.openswanj.pluto.ikev2.CertAuthTwoPeerTest.conn("ikev2", "never", "ike",
        "aes128-sha2_256-modp2048", "esp", "aes128-sha1");
    org.openswanj.pluto.ikev2.CertAuthTwoPeerTest.addBoth(t, c, c);
    t.whack(t.west, new WhackRequest.Initiate("west-east", true));
    t.loop.advance(java.time.Duration.ofSeconds(5));
    assertTrue(t.east.pluto.ikev1().isakmpSas().stream().noneMatch(sa -> sa.state.isakmpEstablished()));
    assertTrue(t.west.pluto.ikev1().isakmpSas().stream().noneMatch(sa -> sa.state.isakmpEstablished()));
  }
}
