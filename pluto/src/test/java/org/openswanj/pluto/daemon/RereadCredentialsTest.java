package org.openswanj.pluto.daemon;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.math.BigInteger;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.cert.X509CRL;
import java.util.Date;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.cert.X509v2CRLBuilder;
import org.bouncycastle.cert.jcajce.JcaX509CRLConverter;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openswanj.pluto.ikev2.CertAuthTwoPeerTest;
import org.openswanj.pluto.ikev2.TestCa;
import org.openswanj.pluto.ikev2.TwoPlutos;
import org.openswanj.pluto.pki.RevocationPolicy;
import org.openswanj.whack.proto.WhackRequest;

/**
 * {@code whack --rereadcacerts} and {@code --rereadcrls} (issue 10's operator view): a CA or CRL file put into
 * ipsec.d while pluto runs counts once the admin asks pluto to read it, as the next negotiation shows.
 */
class RereadCredentialsTest {
  @TempDir Path dir;

  @Test
  void aCaAddedAtRunTimeIsTrustedAfterRereadcacerts() throws Exception {
    CertAuthTwoPeerTest.Pki p = CertAuthTwoPeerTest.pki(false, TestCa.UNTIL);
    TestCa other = new TestCa("C=CA, O=Other, CN=Other CA", TestCa.rsa());
    TwoPlutos t = CertAuthTwoPeerTest.plutos(dir, p, other.cert); // east trusts only another CA
    CertAuthTwoPeerTest.addBoth(t, CertAuthTwoPeerTest.conn(), CertAuthTwoPeerTest.conn());
    assertTrue(t.whack(t.west, new WhackRequest.Initiate("west-east", false)).text().contains("AUTHENTICATION_FAILED"));
    Files.writeString(dir.resolve("east/cacerts/test-ca.pem"), TestCa.pem(p.ca().cert));
    String before = t.whack(t.east, new WhackRequest.ListCaCerts(false)).text();
    assertTrue(!before.contains("CN=Test CA"), "not read before it is asked for: " + before);
    TwoPlutos.Recorder r = t.whack(t.east, new WhackRequest.RereadCaCerts());
    assertTrue(r.closed && r.text().contains("loaded 2 CA certificate(s) and 0 CRL(s)"), r.text());
    assertTrue(t.whack(t.east, new WhackRequest.ListCaCerts(false)).text().contains("C=CA, O=Test, CN=Test CA"));
    TwoPlutos.Recorder up = t.whack(t.west, new WhackRequest.Initiate("west-east", false));
    assertTrue(up.text().contains("IPsec SA established"), up.text());
  }

  @Test
  void aCrlAddedAtRunTimeSatisfiesStrictcrlpolicyAfterRereadcrls() throws Exception {
    CertAuthTwoPeerTest.Pki p = CertAuthTwoPeerTest.pki(false, TestCa.UNTIL);
    Path w = dir.resolve("west");
    Path e = dir.resolve("east");
    String ws = TestCa.ipsecD(w, p.ca().cert, "west", p.westCert(), p.westKey());
    String es = TestCa.ipsecD(e, p.ca().cert, "east", p.eastCert(), p.eastKey());
    Files.writeString(w.resolve("certs/east.pem"), TestCa.pem(p.eastCert()));
    Files.writeString(e.resolve("certs/west.pem"), TestCa.pem(p.westCert()));
    RevocationPolicy strict = new RevocationPolicy(RevocationPolicy.Strict.YES, java.time.Duration.ZERO,
        java.util.Optional.empty(), java.time.Duration.ofSeconds(10));
    TwoPlutos t = new TwoPlutos(ws, es, org.openswanj.pluto.engine.IkeSettings.defaults(), w, e, strict);
    CertAuthTwoPeerTest.addBoth(t, CertAuthTwoPeerTest.conn(), CertAuthTwoPeerTest.conn());
    assertTrue(t.whack(t.west, new WhackRequest.Initiate("west-east", false)).text().contains("AUTHENTICATION_FAILED"));
    Files.createDirectories(e.resolve("crls"));
    Files.writeString(e.resolve("crls/test-ca.crl"), TestCa.pem(emptyCrl(p.ca())));
    TwoPlutos.Recorder r = t.whack(t.east, new WhackRequest.RereadCrls());
    assertTrue(r.closed && r.text().contains("loaded 1 CA certificate(s) and 1 CRL(s)"), r.text());
    TwoPlutos.Recorder up = t.whack(t.west, new WhackRequest.Initiate("west-east", false));
    assertTrue(up.text().contains("IPsec SA established"), up.text());
  }

  /** A CRL of {@code ca} revoking nothing, current on the test clock (2026-01-01). */
  private static X509CRL emptyCrl(TestCa ca) throws Exception {
    X509v2CRLBuilder b = new X509v2CRLBuilder(X500Name.getInstance(ca.cert.getSubjectX500Principal().getEncoded()),
        Date.from(TestCa.FROM));
    b.setNextUpdate(Date.from(TestCa.UNTIL));
    b.addCRLEntry(BigInteger.valueOf(999_999), Date.from(TestCa.FROM), 0);
    return new JcaX509CRLConverter().getCRL(b.build(new JcaContentSignerBuilder("SHA256withRSA")
        .build(ca.key.getPrivate())));
  }
}
