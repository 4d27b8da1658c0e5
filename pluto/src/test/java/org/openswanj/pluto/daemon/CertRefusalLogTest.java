package org.openswanj.pluto.daemon;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openswanj.pluto.engine.IkeSettings;
import org.openswanj.pluto.ikev2.CertAuthTwoPeerTest;
import org.openswanj.pluto.ikev2.TestCa;
import org.openswanj.pluto.ikev2.TwoPlutos;
import org.openswanj.whack.proto.WhackRequest;

/** A refused certificate is one line in the responder's log that says which certificate and why; no SA stays. */
class CertRefusalLogTest {
  @TempDir Path dir;

  @AfterEach
  void quietLog() {
    Logging.configure(new Logging.Target.Stderr(false), List.of());
  }

  @Test
  void unknownCaIsRefusedWithOneLineAndNoSaOnEitherSide() throws Exception {
    Path log = dir.resolve("pluto.log");
    Logging.configure(new Logging.Target.File(log), List.of());
    CertAuthTwoPeerTest.Pki p = CertAuthTwoPeerTest.pki(false, TestCa.UNTIL);
    TestCa other = new TestCa("C=CA, O=Other, CN=Other CA", TestCa.rsa());
    TwoPlutos t = CertAuthTwoPeerTest.plutos(dir, p, other.cert);
    CertAuthTwoPeerTest.addBoth(t, CertAuthTwoPeerTest.conn(), CertAuthTwoPeerTest.conn());
    TwoPlutos.Recorder r = t.whack(t.west, new WhackRequest.Initiate("west-east", false));
    assertTrue(r.text().contains("AUTHENTICATION_FAILED"), r.text());
    assertTrue(t.east.pluto.engine().ikeSas().isEmpty());
    assertTrue(t.west.pluto.engine().ikeSas().isEmpty());
    // whack --metrics: east refused the chain, west was told AUTHENTICATION_FAILED
    List<String> east = t.whack(t.east, new WhackRequest.Metrics()).lines.stream().map(l -> l.substring(4)).toList();
    assertEquals(java.util.Optional.of(1L), OpenMetricsLines.value(east,
        "pluto_ike_handshakes_failed_total{ike_version=\"2\",reason=\"cert_refused\"}"), String.join("\n", east));
    List<String> west = t.whack(t.west, new WhackRequest.Metrics()).lines.stream().map(l -> l.substring(4)).toList();
    assertEquals(java.util.Optional.of(1L), OpenMetricsLines.value(west,
        "pluto_ike_handshakes_failed_total{ike_version=\"2\",reason=\"auth_failed\"}"), String.join("\n", west));
    String text = Files.readString(log);
    assertTrue(text.contains("failed to authenticate (certificate refused: certificate '" + CertAuthTwoPeerTest.WEST_DN
        + "' issued by 'C=CA, O=Test, CN=Test CA' does not chain to a trusted CA in ipsec.d/cacerts)"), text);
  }

  @Test
  void expiredCertificateIsRefused() throws Exception {
    Path log = dir.resolve("pluto.log");
    Logging.configure(new Logging.Target.File(log), List.of());
    CertAuthTwoPeerTest.Pki p = CertAuthTwoPeerTest.pki(false, Instant.parse("2025-06-01T00:00:00Z")); // the loop's clock says 2026-01-01
    TwoPlutos t = CertAuthTwoPeerTest.plutos(dir, p, p.ca().cert);
    CertAuthTwoPeerTest.addBoth(t, CertAuthTwoPeerTest.conn(), CertAuthTwoPeerTest.conn());
    TwoPlutos.Recorder r = t.whack(t.west, new WhackRequest.Initiate("west-east", false));
    assertTrue(r.text().contains("AUTHENTICATION_FAILED"), r.text());
    assertTrue(t.east.pluto.engine().ikeSas().isEmpty());
    String text = Files.readString(log);
    assertTrue(text.contains("certificate refused: certificate '" + CertAuthTwoPeerTest.WEST_DN + "' expired on "), text);
  }


  @Test
  void strictCrlPolicyRefusesACertificateWhoseRevocationStatusIsUnknown() throws Exception {
    Path log = dir.resolve("pluto.log");
    Logging.configure(new Logging.Target.File(log), List.of());
    CertAuthTwoPeerTest.Pki p = CertAuthTwoPeerTest.pki(false, TestCa.UNTIL);
    Path w = dir.resolve("west");
    Path e = dir.resolve("east");
    String ws = TestCa.ipsecD(w, p.ca().cert, "west", p.westCert(), p.westKey());
    String es = TestCa.ipsecD(e, p.ca().cert, "east", p.eastCert(), p.eastKey());
    java.nio.file.Files.writeString(w.resolve("certs/east.pem"), TestCa.pem(p.eastCert()));
    java.nio.file.Files.writeString(e.resolve("certs/west.pem"), TestCa.pem(p.westCert()));
    var strict = new org.openswanj.pluto.pki.RevocationPolicy(org.openswanj.pluto.pki.RevocationPolicy.Strict.YES,
        java.time.Duration.ZERO, java.util.Optional.empty(), java.time.Duration.ofSeconds(10));
    TwoPlutos t = new TwoPlutos(ws, es, org.openswanj.pluto.engine.IkeSettings.defaults(), w, e, strict);
    CertAuthTwoPeerTest.addBoth(t, CertAuthTwoPeerTest.conn(), CertAuthTwoPeerTest.conn());
    TwoPlutos.Recorder r = t.whack(t.west, new WhackRequest.Initiate("west-east", false));
    assertTrue(r.text().contains("AUTHENTICATION_FAILED"), r.text());
    assertTrue(t.east.pluto.engine().ikeSas().isEmpty());
    String text = Files.readString(log);
    assertTrue(text.contains("certificate refused: revocation status of certificate '" + CertAuthTwoPeerTest.WEST_DN
        + "' is unknown"), text);
    assertTrue(text.contains("strictcrlpolicy=yes"), text);
  }
}
