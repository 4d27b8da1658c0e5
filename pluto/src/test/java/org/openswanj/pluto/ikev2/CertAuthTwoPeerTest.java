package org.openswanj.pluto.ikev2;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openswanj.conf.id.Identity;
import org.openswanj.pluto.engine.IkeSettings;
import org.openswanj.pluto.ike.wire.IdPayload;
import org.openswanj.pluto.ike.wire.IkeCodec;
import org.openswanj.pluto.ike.wire.Payload;
import org.openswanj.pluto.net.MemoryNetwork.Datagram;
import org.openswanj.whack.proto.WhackRequest;

/**
 * Certificate authentication, pluto to pluto in one JVM (RFC 7296 §2.15, §3.6, §3.7; RFC 7427): each side has its
 * own ipsec.d with a CA made by the test, the conn names leftcert=/rightcert= and DN IDs, and the exchange runs
 * through whack as a user would start it.
 */
public class CertAuthTwoPeerTest {
  public static final String WEST_DN = "C=CA, O=Test, CN=west";
  public static final String EAST_DN = "C=CA, O=Test, CN=east";

  @TempDir Path dir;

  /** The keys and certificates of one run: a CA, and west and east issued by it (or by {@code eastCa}). */
  public record Pki(TestCa ca, TestCa eastCa, KeyPair westKey, KeyPair eastKey, X509Certificate westCert,
      X509Certificate eastCert) {}

  public static Pki pki(boolean ec, Instant westUntil) throws Exception {
    TestCa ca = new TestCa("C=CA, O=Test, CN=Test CA", TestCa.rsa());
    KeyPair w = ec ? TestCa.ec() : TestCa.rsa();
    KeyPair e = ec ? TestCa.ec() : TestCa.rsa();
    return new Pki(ca, ca, w, e, ca.issue(WEST_DN, w, "west.example.com", TestCa.FROM, westUntil),
        ca.issue(EAST_DN, e, "east.example.com", TestCa.FROM, TestCa.UNTIL));
  }

  public static TwoPlutos plutos(Path dir, Pki p, X509Certificate eastTrusts) throws Exception {
    Path w = dir.resolve("west");
    Path e = dir.resolve("east");
    String ws = TestCa.ipsecD(w, p.ca().cert, "west", p.westCert(), p.westKey());
    String es = TestCa.ipsecD(e, eastTrusts, "east", p.eastCert(), p.eastKey());
    // Openswan's usual setup: both certificates on both hosts
    Files.writeString(w.resolve("certs/east.pem"), TestCa.pem(p.eastCert()));
    Files.writeString(e.resolve("certs/west.pem"), TestCa.pem(p.westCert()));
    return new TwoPlutos(ws, es, IkeSettings.defaults(), w, e);
  }

  public static Map<String, String> conn(String... extra) {
    Map<String, String> m = TwoPlutos.conn("authby", "rsasig", "leftcert", "west.pem", "rightcert", "east.pem",
        "leftid", "%fromcert", "rightid", "C=CA, O=Test, CN=*", "leftsendcert", "always",
        "rightsendcert", "always");
    for (int i = 0; i < extra.length; i += 2) {
      m.put(extra[i], extra[i + 1]);
    }
    return m;
  }

  public static void addBoth(TwoPlutos t, Map<String, String> westConn, Map<String, String> eastConn) {
    TwoPlutos.Recorder a = t.add(t.west, "west-east", westConn);
    assertTrue(a.text().contains("added connection description"), a.text());
    TwoPlutos.Recorder b = t.add(t.east, "west-east", eastConn);
    assertTrue(b.text().contains("added connection description"), b.text());
  }

  @Test
  void rsaCertificatesAuthenticateBothWaysAndStatusNamesThePeer() throws Exception {
    Pki p = pki(false, TestCa.UNTIL);
    TwoPlutos t = plutos(dir, p, p.ca().cert);
    // east: rightid=%fromcert (whatever its certificate proves) and rightca=%same
    addBoth(t, conn(), conn("leftid", "%fromcert", "rightid", EAST_DN, "leftca", "%same"));
    TwoPlutos.Recorder r = t.whack(t.west, new WhackRequest.Initiate("west-east", false));
    assertTrue(r.text().contains("STATE_PARENT_I3") && r.text().contains("IPsec SA established"), r.text());
    assertTrue(r.text().contains("peer=" + EAST_DN + " cert='" + EAST_DN + "' issuer='C=CA, O=Test, CN=Test CA'"),
        r.text());
    IkeSa east = t.east.pluto.engine().ikeSas().get(0);
    assertEquals(Ikev2State.STATE_PARENT_R2, east.state);
    assertEquals(WEST_DN, east.peerId().toString());
    assertEquals(p.westCert(), east.peerCert().orElseThrow());
    String status = t.whack(t.east, new WhackRequest.Status(false)).text();
    assertTrue(status.contains("peer='" + WEST_DN + "' issuer='C=CA, O=Test, CN=Test CA'"), status);
  }

  @Test
  void ecdsaCertificatesAuthenticate() throws Exception {
    Pki p = pki(true, TestCa.UNTIL);
    TwoPlutos t = plutos(dir, p, p.ca().cert);
    addBoth(t, conn(), conn());
    TwoPlutos.Recorder r = t.whack(t.west, new WhackRequest.Initiate("west-east", false));
    assertTrue(r.text().contains("IPsec SA established"), r.text());
    assertEquals(p.eastCert(), t.west.pluto.engine().ikeSas().get(0).peerCert().orElseThrow());
  }

  @Test
  void certificatesTravelInCertPayloadsWhenAskedUnderIfasked() throws Exception {
    Pki p = pki(false, TestCa.UNTIL);
    TwoPlutos t = plutos(dir.resolve("travel"), p, p.ca().cert);
    // neither side has the other's certificate: each asks with CERTREQ (it trusts a CA) and so gets it
    Map<String, String> w = conn("leftsendcert", "ifasked", "rightcert", null);
    Map<String, String> e = conn("rightsendcert", "ifasked", "leftcert", null);
    w.remove("rightcert");
    e.remove("leftcert");
    addBoth(t, w, e);
    TwoPlutos.Recorder r = t.whack(t.west, new WhackRequest.Initiate("west-east", false));
    assertTrue(r.text().contains("IPsec SA established"), r.text());
    assertEquals(p.westCert(), t.east.pluto.engine().ikeSas().get(0).peerCert().orElseThrow());
  }

  @Test
  void sendcertNeverLeavesAPeerWithoutTheCertificateToRefuse() throws Exception {
    Pki p = pki(false, TestCa.UNTIL);
    TwoPlutos t = plutos(dir.resolve("never"), p, p.ca().cert);
    Map<String, String> w = conn("leftsendcert", "never");
    Map<String, String> e = conn();
    w.remove("rightcert");
    e.remove("leftcert");
    addBoth(t, w, e);
    TwoPlutos.Recorder r = t.whack(t.west, new WhackRequest.Initiate("west-east", false));
    assertTrue(r.text().contains("AUTHENTICATION_FAILED"), r.text());
    assertTrue(t.east.pluto.engine().ikeSas().isEmpty());
  }

  @Test
  void initiatorRefusesAResponderCertificateFromAnotherCa() throws Exception {
    Pki p = pki(false, TestCa.UNTIL);
    TestCa other = new TestCa("C=CA, O=Other, CN=Other CA", TestCa.rsa());
    KeyPair e = TestCa.rsa();
    X509Certificate eastByOther = other.issue(EAST_DN, e, "east.example.com", TestCa.FROM, TestCa.UNTIL);
    Pki mixed = new Pki(p.ca(), other, p.westKey(), e, p.westCert(), eastByOther);
    TwoPlutos t = plutos(dir, mixed, p.ca().cert); // east trusts west's CA, west does not trust east's
    addBoth(t, conn(), conn());
    TwoPlutos.Recorder r = t.whack(t.west, new WhackRequest.Initiate("west-east", false));
    assertTrue(r.text().contains("IKE_AUTH response: AUTHENTICATION_FAILED (certificate refused: certificate '"
        + EAST_DN + "' issued by 'C=CA, O=Other, CN=Other CA' does not chain to a trusted CA"), r.text());
    assertTrue(t.west.pluto.engine().ikeSas().isEmpty());
    t.loop.runPending();
    // RFC 7296 §2.21.2: east had established, west's Delete removes its IKE SA too
    assertTrue(t.east.pluto.engine().ikeSas().isEmpty(), "east keeps no IKE SA");
  }

  @Test
  void missingCertificateFileRefusesTheConnWithItsName() throws Exception {
    Pki p = pki(false, TestCa.UNTIL);
    TwoPlutos t = plutos(dir, p, p.ca().cert);
    TwoPlutos.Recorder r = t.add(t.west, "west-east", conn("leftcert", "nosuch.pem"));
    assertTrue(r.text().contains("\"west-east\": leftcert=nosuch.pem: "), r.text());
    assertTrue(r.text().contains("nosuch.pem"), r.text());
    assertTrue(t.west.pluto.connections().isEmpty());
  }

  @Test
  void listingsShowOurCertificateTheCaAndThePeersKey() throws Exception {
    Pki p = pki(false, TestCa.UNTIL);
    TwoPlutos t = plutos(dir.resolve("list"), p, p.ca().cert);
    addBoth(t, conn(), conn());
    String certs = t.whack(t.west, new WhackRequest.ListCerts(true)).text();
    assertTrue(certs.contains("000 List of X.509 End Certificates:"), certs);
    assertTrue(certs.contains("000        subject: '" + WEST_DN + "'"), certs);
    assertTrue(certs.contains("000        issuer:  'C=CA, O=Test, CN=Test CA'"), certs);
    assertTrue(certs.contains("has private key"), certs);
    String cas = t.whack(t.west, new WhackRequest.ListCaCerts(true)).text();
    assertTrue(cas.contains("000 List of X.509 CA Certificates:"), cas);
    assertTrue(cas.contains("000        subject: 'C=CA, O=Test, CN=Test CA'"), cas);
    assertTrue(t.whack(t.west, new WhackRequest.Initiate("west-east", false)).text().contains("IPsec SA established"));
    String all = t.whack(t.west, new WhackRequest.ListAll()).text();
    assertTrue(all.indexOf("List of Public Keys:") < all.indexOf("List of X.509 End Certificates:")
        && all.indexOf("List of X.509 End Certificates:") < all.indexOf("List of X.509 CA Certificates:"), all);
    // our key (with its private half) and east's, learnt from its validated certificate
    assertTrue(all.contains("localf key") && all.contains("dndsec key"), all);
    assertTrue(all.contains("ID_DER_ASN1_DN '" + EAST_DN + "'"), all);
  }

  @Test
  void idrIsSentForAnExactRightidAndNotForAWildcardOne() throws Exception {
    // RFC 7296 §2.9, §3.5: IDr names the one identity the initiator wants; "CN=*" names none, and charon answers
    // an IDr it is not AUTHENTICATION_FAILED
    Map<String, String> east = conn("leftid", "%fromcert", "rightid", EAST_DN, "leftca", "%same");
    // fragmentation=no: the request in one SK payload, opened below with east's keys
    Optional<IdPayload> wildcard = idrSent(dir.resolve("wildcard"), conn("fragmentation", "no"), east);
    assertFalse(wildcard.isPresent(), "IDr sent for rightid=C=CA, O=Test, CN=*: " + wildcard);
    Optional<IdPayload> exact = idrSent(dir.resolve("exact"),
        conn("fragmentation", "no", "rightid", EAST_DN), east);
    assertTrue(exact.isPresent(), "no IDr sent for an exact rightid");
    assertEquals(EAST_DN, Identity.fromWire(Identity.Kind.fromIkeIdType(exact.get().idType().wireValue())
        .orElseThrow(), exact.get().data()).toString());
  }

  /** Brings the conn up, then opens west's IKE_AUTH request with east's keys and returns its IDr, if any. */
  private static Optional<IdPayload> idrSent(Path d, Map<String, String> westConn, Map<String, String> eastConn)
      throws Exception {
    Pki p = pki(false, TestCa.UNTIL);
    TwoPlutos t = plutos(d, p, p.ca().cert);
    addBoth(t, westConn, eastConn);
    TwoPlutos.Recorder r = t.whack(t.west, new WhackRequest.Initiate("west-east", false));
    assertTrue(r.text().contains("IPsec SA established"), r.text());
    IkeSa east = t.east.pluto.engine().ikeSas().get(0);
    Datagram request = t.net.log().stream()
        .filter(g -> g.from().getAddress().equals(t.west.address) && g.bytes()[18] == 35 /* IKE_AUTH */
            && (g.bytes()[19] & 0x20) == 0 /* not a response */)
        .findFirst().orElseThrow();
    assertEquals(46, request.bytes()[16], "IKE_AUTH request in one SK payload, not in fragments");
    List<Payload> inner = IkeCodec.decodeEncrypted(request.bytes(), IkeCodec.decode(request.bytes()),
        Fragments.opener(east));
    return inner.stream().filter(IdPayload.class::isInstance).map(IdPayload.class::cast)
        .filter(IdPayload::responder).findFirst();
  }
}
