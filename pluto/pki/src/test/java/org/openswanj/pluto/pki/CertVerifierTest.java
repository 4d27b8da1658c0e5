package org.openswanj.pluto.pki;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.security.KeyPair;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.openswanj.conf.id.Identity;
import org.openswanj.pluto.crypto.sig.KeyPolicy;

/** Every acceptance and refusal of a peer's certificate, each with the line it logs. */
class CertVerifierTest {
  private static Hierarchy h;
  private static CertVerifier verifier;
  static final Fetcher OFFLINE = new Fetcher() {
    @Override
    public CompletableFuture<byte[]> get(java.net.URI uri) {
      return CompletableFuture.failedFuture(new java.io.IOException("offline"));
    }

    @Override
    public CompletableFuture<byte[]> post(java.net.URI uri, String type, byte[] body) {
      return get(uri);
    }
  };

  @BeforeAll
  static void pki() throws Exception {
    h = Hierarchy.get();
    verifier = verifier(CaStore.of(List.of(h.root)), RevocationPolicy.DEFAULT);
  }

  static CertVerifier verifier(CaStore cas, RevocationPolicy policy) {
    Clock clock = Clock.fixed(TestPki.NOW, ZoneOffset.UTC);
    return new CertVerifier(cas, new CrlCache(clock, OFFLINE), new OcspClient(OFFLINE, clock, new SecureRandom()),
        policy, clock, Runnable::run);
  }

  static CertVerdict check(CertVerifier v, String id, CaConstraint ca, KeyPolicy keys, X509Certificate... sent)
      throws Exception {
    List<byte[]> der = new ArrayList<>();
    for (X509Certificate c : sent) {
      der.add(c.getEncoded());
    }
    return v.verify(new PeerCertificates(der, Identity.parse(id), ca, keys)).get();
  }

  private static CertVerdict check(String id, X509Certificate... sent) throws Exception {
    return check(verifier, id, new CaConstraint.Any(), KeyPolicy.DEFAULT, sent);
  }

  private static void refused(CertVerdict v, Refusal r, String line) {
    CertVerdict.Refused x = assertInstanceOf(CertVerdict.Refused.class, v, v.toString());
    assertEquals(r, x.refusal());
    assertEquals(line, x.line());
  }

  @Test
  void rsaAndEcdsaHostsChainToTheRootThroughWhatThePeerSends() throws Exception {
    CertVerdict.Trusted east = assertInstanceOf(CertVerdict.Trusted.class, check("@east.example.org", h.eastRsa2048));
    assertEquals(List.of(h.root), east.caPath());
    assertEquals("'C=CA, O=Openswanj Test, CN=east.example.org' issued by 'C=CA, O=Openswanj Test, CN=Test Root CA'",
        east.describe());
    // strictcrlpolicy=no: no CRL and no responder is a warning, not a refusal (Openswan's rule).
    assertEquals(List.of("revocation status of certificate 'C=CA, O=Openswanj Test, CN=east.example.org' is "
        + "unknown (no CRL from 'C=CA, O=Openswanj Test, CN=Test Root CA'); accepted as strictcrlpolicy=no"),
        east.warnings());
    CertVerdict.Trusted west = assertInstanceOf(CertVerdict.Trusted.class,
        check("@west.example.org", h.westRsa3072, h.inter));
    assertEquals(List.of(h.inter, h.root), west.caPath());
    assertInstanceOf(CertVerdict.Trusted.class, check("@ec256.example.org", h.eastEc256, h.inter));
    assertInstanceOf(CertVerdict.Trusted.class, check("@ec384.example.org", h.eastEc384));
    assertEquals("EC", assertInstanceOf(CertVerdict.Trusted.class, check("@ec384.example.org", h.eastEc384))
        .publicKey().getAlgorithm());
  }

  @Test
  void unknownCaIsRefused() throws Exception {
    refused(check("@west.example.org", h.westRsa3072), Refusal.UNKNOWN_CA, "certificate 'C=CA, O=Openswanj Test, "
        + "CN=west.example.org' issued by 'C=CA, O=Openswanj Test, CN=Test Intermediate CA' does not chain to a "
        + "trusted CA in ipsec.d/cacerts");
    refused(check("@mallory.example.org", h.foreign), Refusal.UNKNOWN_CA, "certificate 'C=CA, O=Openswanj Test, "
        + "CN=mallory.example.org' issued by 'C=XX, O=Elsewhere, CN=Other Root CA' does not chain to a trusted CA "
        + "in ipsec.d/cacerts");
    // A certificate naming our root as issuer but signed by another key: the path does not verify.
    X509Certificate forged = Hierarchy.host("forged.example.org", h.hostRsa2048, h.root, h.otherRootKey, 99).sign();
    assertEquals(Refusal.UNKNOWN_CA, ((CertVerdict.Refused) check("@forged.example.org", forged)).refusal());
    refused(check(verifier(CaStore.of(List.of()), RevocationPolicy.DEFAULT), "@east.example.org",
        new CaConstraint.Any(), KeyPolicy.DEFAULT, h.eastRsa2048), Refusal.UNKNOWN_CA, "certificate 'C=CA, "
        + "O=Openswanj Test, CN=east.example.org' issued by 'C=CA, O=Openswanj Test, CN=Test Root CA' does not "
        + "chain to a trusted CA (no CA certificates are loaded)");
  }

  @Test
  void datesAreCheckedAgainstTheInjectedClock() throws Exception {
    refused(check("@expired.example.org", h.expired), Refusal.EXPIRED,
        "certificate 'C=CA, O=Openswanj Test, CN=expired.example.org' expired on Jan 01 00:00:00 UTC 2024");
    refused(check("@future.example.org", h.notYetValid), Refusal.NOT_YET_VALID,
        "certificate 'C=CA, O=Openswanj Test, CN=future.example.org' is not valid before Jan 01 00:00:00 UTC 2026");
    KeyPair k = TestPki.ec("secp256r1");
    X509Certificate oldCa = new TestPki.Spec(Hierarchy.O + ", CN=Old Intermediate", k).asCa()
        .valid(Instant.parse("2020-01-01T00:00:00Z"), Instant.parse("2025-03-01T00:00:00Z"))
        .by(h.root, h.rootKey.getPrivate()).sign();
    X509Certificate leaf = Hierarchy.host("leaf.example.org", h.hostRsa2048, oldCa, k, 5).sign();
    refused(check("@leaf.example.org", leaf, oldCa), Refusal.EXPIRED,
        "CA certificate 'C=CA, O=Openswanj Test, CN=Old Intermediate' expired on Mar 01 00:00:00 UTC 2025");
  }

  // RFC 4945 §3.1 / Openswan match_dn: the peer's ID must be in its certificate.
  @Test
  void theIdMustBeInTheCertificate() throws Exception {
    for (String id : List.of("@east.example.org", "@EAST.example.org.", "192.0.2.23", "east@example.org",
        "C=CA, O=Openswanj Test, CN=east.example.org", "C=CA, O=Openswanj Test, CN=*")) {
      assertInstanceOf(CertVerdict.Trusted.class, check(id, h.eastRsa2048), id);
    }
    refused(check("@west.example.org", h.eastRsa2048), Refusal.ID_NOT_IN_CERT, "ID '@west.example.org' is not in "
        + "certificate 'C=CA, O=Openswanj Test, CN=east.example.org' (subjectAltName DNS:east.example.org, "
        + "IP:192.0.2.23, email:east@example.org)");
    assertEquals(Refusal.ID_NOT_IN_CERT, ((CertVerdict.Refused) check("192.0.2.45", h.eastRsa2048)).refusal());
    assertEquals(Refusal.ID_NOT_IN_CERT,
        ((CertVerdict.Refused) check("C=CA, O=Elsewhere, CN=*", h.eastRsa2048)).refusal());
  }

  @Test
  void keyUsageAndSizeFollowStrongSwanAndLibreswan() throws Exception {
    refused(check("@codesign.example.org", h.codeSigningOnly), Refusal.WRONG_KEY_USAGE, "certificate 'C=CA, "
        + "O=Openswanj Test, CN=codesign.example.org': extendedKeyUsage codeSigning allows no IKE use (need "
        + "ipsecIKE, anyExtendedKeyUsage, serverAuth or clientAuth; RFC 4945 §5.1.3.12)");
    refused(check("@certsign.example.org", h.certSignOnly), Refusal.WRONG_KEY_USAGE, "certificate 'C=CA, "
        + "O=Openswanj Test, CN=certsign.example.org': keyUsage has neither digitalSignature nor nonRepudiation "
        + "(RFC 4945 §5.1.3.2)");
    refused(check("@small.example.org", h.rsa1024), Refusal.KEY_TOO_SMALL, "certificate 'C=CA, O=Openswanj Test, "
        + "CN=small.example.org': RSA key of 1024 bits is too small: at least 2048 bits are required");
    assertInstanceOf(CertVerdict.Trusted.class, check(verifier, "@small.example.org", new CaConstraint.Any(),
        KeyPolicy.DEFAULT.withMinRsaBits(1024), h.rsa1024));
  }

  @Test
  void rightcaNamesACaOnThePath() throws Exception {
    CaConstraint rootCa = CaConstraint.parse("C=CA, O=Openswanj Test, CN=Test Root CA", Optional.empty());
    CaConstraint interCa = CaConstraint.parse("C=CA, O=Openswanj Test, CN=Test Intermediate CA", Optional.empty());
    assertInstanceOf(CertVerdict.Trusted.class,
        check(verifier, "@west.example.org", rootCa, KeyPolicy.DEFAULT, h.westRsa3072, h.inter));
    assertInstanceOf(CertVerdict.Trusted.class,
        check(verifier, "@west.example.org", interCa, KeyPolicy.DEFAULT, h.westRsa3072, h.inter));
    refused(check(verifier, "@east.example.org", interCa, KeyPolicy.DEFAULT, h.eastRsa2048), Refusal.CA_MISMATCH,
        "certificate 'C=CA, O=Openswanj Test, CN=east.example.org' is not issued under rightca='C=CA, "
        + "O=Openswanj Test, CN=Test Intermediate CA' (its CA is 'C=CA, O=Openswanj Test, CN=Test Root CA')");
    // %same: the CA of our own certificate (west's is the intermediate), %any: anything trusted.
    CaConstraint same = CaConstraint.parse("%same", CaConstraint.ours("", Optional.of(h.westRsa3072)));
    assertEquals("'C=CA, O=Openswanj Test, CN=Test Intermediate CA'", same.describe());
    assertTrue(same.accepts(List.of(h.inter, h.root)));
    assertTrue(!same.accepts(List.of(h.root)));
    assertInstanceOf(CaConstraint.Any.class, CaConstraint.parse("%any", Optional.empty()));
  }

  @Test
  void garbageIsABadCertificateNotAnException() throws Exception {
    CertVerdict v = verifier.verify(new PeerCertificates(List.of(new byte[] {0x30, 0x03, 1, 2, 3}),
        Identity.parse("@x"), new CaConstraint.Any(), KeyPolicy.DEFAULT)).get();
    refused(v, Refusal.BAD_CERTIFICATE, "CERT payload #1 is not a DER X.509 certificate");
    refused(verifier.verify(new PeerCertificates(List.of(), Identity.parse("@x"), new CaConstraint.Any(),
        KeyPolicy.DEFAULT)).get(), Refusal.BAD_CERTIFICATE, "the peer sent no certificate");
    assertTrue(check("@x", h.eastRsa2048) instanceof CertVerdict.Refused);
  }
}
