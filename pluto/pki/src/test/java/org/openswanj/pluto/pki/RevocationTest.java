package org.openswanj.pluto.pki;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.security.cert.X509CRL;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.Date;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import org.bouncycastle.asn1.ocsp.OCSPObjectIdentifiers;
import org.bouncycastle.asn1.x509.CRLReason;
import org.bouncycastle.asn1.x509.Extensions;
import org.bouncycastle.cert.ocsp.BasicOCSPResp;
import org.bouncycastle.cert.ocsp.CertificateStatus;
import org.bouncycastle.cert.ocsp.OCSPReq;
import org.bouncycastle.cert.ocsp.OCSPRespBuilder;
import org.bouncycastle.cert.ocsp.Req;
import org.bouncycastle.cert.ocsp.RevokedStatus;
import org.bouncycastle.cert.ocsp.jcajce.JcaBasicOCSPRespBuilder;
import org.bouncycastle.operator.jcajce.JcaDigestCalculatorProviderBuilder;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openswanj.conf.id.Identity;
import org.openswanj.pluto.crypto.sig.KeyPolicy;

/**
 * Revocation through real HTTP: a CRL distribution point and an OCSP responder served by the JDK's HttpServer on
 * 127.0.0.1 inside the test (stopped after each), reached through {@link HttpFetcher}.
 */
class RevocationTest {
  private static final Instant REVOKED_AT = Instant.parse("2025-03-04T05:06:07Z");
  private Hierarchy h;
  private HttpServer server;
  private ExecutorService pool;
  private final AtomicInteger crlHits = new AtomicInteger();
  private final AtomicInteger ocspHits = new AtomicInteger();
  private volatile int ocspStatus = 200;
  private Instant now = TestPki.NOW;
  private final Clock clock = new Clock() {
    @Override
    public ZoneId getZone() {
      return ZoneOffset.UTC;
    }

    @Override
    public Clock withZone(ZoneId zone) {
      return this;
    }

    @Override
    public Instant instant() {
      return now;
    }
  };
  @TempDir
  Path dir;

  @BeforeEach
  void serve() throws Exception {
    h = Hierarchy.get();
    pool = Executors.newFixedThreadPool(2);
    server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    X509CRL crl = TestPki.crl(h.root, h.rootKey.getPrivate(), Instant.parse("2025-05-01T00:00:00Z"),
        Instant.parse("2025-07-01T00:00:00Z"), Map.of(Hierarchy.REVOKED_SERIAL, REVOKED_AT));
    server.createContext("/root.crl", x -> {
      crlHits.incrementAndGet();
      reply(x, 200, unchecked(crl));
    });
    server.createContext("/ocsp", this::ocsp);
    server.start();
  }

  @AfterEach
  void stop() {
    server.stop(0);
    pool.shutdownNow();
  }

  private URI uri(String path) {
    return URI.create("http://127.0.0.1:" + server.getAddress().getPort() + path);
  }

  private static void reply(HttpExchange x, int status, byte[] body) throws IOException {
    x.getRequestBody().readAllBytes();
    x.sendResponseHeaders(status, body.length == 0 ? -1 : body.length);
    if (body.length > 0) {
      x.getResponseBody().write(body);
    }
    x.close();
  }

  private static byte[] unchecked(X509CRL crl) {
    try {
      return crl.getEncoded();
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  /** A responder signing with the root CA's key (RFC 6960 §4.2.2.2, the CA itself), echoing the nonce. */
  private void ocsp(HttpExchange x) throws IOException {
    ocspHits.incrementAndGet();
    try {
      OCSPReq req = new OCSPReq(x.getRequestBody().readAllBytes());
      if (ocspStatus != 200) {
        reply(x, ocspStatus, new byte[0]);
        return;
      }
      JcaBasicOCSPRespBuilder b = new JcaBasicOCSPRespBuilder(h.root.getPublicKey(),
          new JcaDigestCalculatorProviderBuilder().build().get(org.bouncycastle.cert.ocsp.CertificateID.HASH_SHA1));
      for (Req r : req.getRequestList()) {
        CertificateStatus st = r.getCertID().getSerialNumber().longValue() == Hierarchy.REVOKED_SERIAL
            ? new RevokedStatus(Date.from(REVOKED_AT), CRLReason.keyCompromise) : CertificateStatus.GOOD;
        b.addResponse(r.getCertID(), st, Date.from(TestPki.NOW.minusSeconds(3600)),
            Date.from(TestPki.NOW.plus(Duration.ofDays(1))), null);
      }
      var nonce = req.getExtension(OCSPObjectIdentifiers.id_pkix_ocsp_nonce);
      if (nonce != null) {
        b.setResponseExtensions(new Extensions(nonce));
      }
      BasicOCSPResp basic = b.build(TestPki.signer(h.rootKey.getPrivate()), null, Date.from(TestPki.NOW));
      reply(x, 200, new OCSPRespBuilder().build(OCSPRespBuilder.SUCCESSFUL, basic).getEncoded());
    } catch (Exception e) {
      reply(x, 500, new byte[0]);
    }
  }

  private CertVerifier verifier(CrlCache crls, RevocationPolicy policy) {
    HttpFetcher f = new HttpFetcher(pool, Duration.ofSeconds(5), 1 << 20);
    return new CertVerifier(CaStore.of(List.of(h.root)), crls, new OcspClient(f, clock, new SecureRandom()),
        policy, clock, pool);
  }

  private CrlCache crls() {
    return new CrlCache(clock, new HttpFetcher(pool, Duration.ofSeconds(5), 1 << 20));
  }

  private static RevocationPolicy policy(RevocationPolicy.Strict strict, Duration interval, Optional<URI> ocsp) {
    return new RevocationPolicy(strict, interval, ocsp, Duration.ofSeconds(5));
  }

  private static CertVerdict check(CertVerifier v, String id, X509Certificate c) throws Exception {
    return v.verify(new PeerCertificates(List.of(c.getEncoded()), Identity.parse(id), new CaConstraint.Any(),
        KeyPolicy.DEFAULT)).get();
  }

  private X509Certificate withPoints(String fqdn, long serial, URI crl, URI ocsp) throws Exception {
    TestPki.Spec s = Hierarchy.host(fqdn, h.hostRsa2048, h.root, h.rootKey, serial);
    s.crl = crl;
    s.ocsp = ocsp;
    return s.sign();
  }

  @Test
  void crlFromIpsecDCrlsRevokes() throws Exception {
    Files.writeString(dir.resolve("root.crl"), TestPki.pem("X509 CRL", unchecked(TestPki.crl(h.root,
        h.rootKey.getPrivate(), Instant.parse("2025-05-01T00:00:00Z"), Instant.parse("2025-07-01T00:00:00Z"),
        Map.of(Hierarchy.REVOKED_SERIAL, REVOKED_AT)))));
    Files.writeString(dir.resolve("junk.crl"), "not a CRL\n");
    CrlCache crls = crls();
    List<PkiProblem> problems = crls.loadDirectory(dir);
    assertEquals(List.of(dir.resolve("junk.crl") + ": no CRL found (expected PEM or DER)"),
        problems.stream().map(PkiProblem::toString).toList());
    CertVerifier v = verifier(crls, policy(RevocationPolicy.Strict.YES, Duration.ZERO, Optional.empty()));
    CertVerdict.Refused r = assertInstanceOf(CertVerdict.Refused.class, check(v, "@revoked.example.org", h.revoked));
    assertEquals(Refusal.REVOKED, r.refusal());
    assertEquals("certificate 'C=CA, O=Openswanj Test, CN=revoked.example.org' (serial 42) was revoked on Mar 04 "
        + "05:06:07 UTC 2025 (CRL from file " + dir + ")", r.line());
    CertVerdict.Trusted ok = assertInstanceOf(CertVerdict.Trusted.class, check(v, "@east.example.org", h.eastRsa2048));
    assertEquals(List.of(), ok.warnings());
  }

  // crlcheckinterval > 0: fetched from the distribution point over HTTP, cached, fetched again after the interval.
  @Test
  void crlOverHttpIsFetchedCachedAndRefetched() throws Exception {
    CrlCache crls = crls();
    CertVerifier v = verifier(crls, policy(RevocationPolicy.Strict.YES, Duration.ofMinutes(10), Optional.empty()));
    X509Certificate bad = withPoints("revoked.example.org", Hierarchy.REVOKED_SERIAL, uri("/root.crl"), null);
    X509Certificate good = withPoints("east.example.org", 77, uri("/root.crl"), null);
    CertVerdict.Refused r = assertInstanceOf(CertVerdict.Refused.class, check(v, "@revoked.example.org", bad));
    assertEquals(Refusal.REVOKED, r.refusal());
    assertTrue(r.line().endsWith("(CRL from " + uri("/root.crl") + ")"), r.line());
    assertInstanceOf(CertVerdict.Trusted.class, check(v, "@east.example.org", good));
    assertEquals(1, crlHits.get(), "the second check used the cached CRL");
    now = now.plus(Duration.ofMinutes(11));
    assertInstanceOf(CertVerdict.Trusted.class, check(v, "@east.example.org", good));
    assertEquals(2, crlHits.get(), "crlcheckinterval passed: fetched again");
    List<String> listed = new Listings(clock, ZoneOffset.UTC).crls(crls, RevocationPolicy.Strict.YES);
    assertEquals("       distPts: '" + uri("/root.crl") + "'", listed.get(5));
  }

  @Test
  void unknownStatusFailsOnlyUnderStrictPolicy() throws Exception {
    X509Certificate c = withPoints("east.example.org", 78, uri("/root.crl"), null);
    CertVerdict.Trusted relaxed = assertInstanceOf(CertVerdict.Trusted.class, check(verifier(crls(),
        policy(RevocationPolicy.Strict.NO, Duration.ZERO, Optional.empty())), "@east.example.org", c));
    assertEquals(List.of("revocation status of certificate 'C=CA, O=Openswanj Test, CN=east.example.org' is unknown "
        + "(no CRL from 'C=CA, O=Openswanj Test, CN=Test Root CA' (crlcheckinterval=0: not fetched from "
        + uri("/root.crl") + ")); accepted as strictcrlpolicy=no"), relaxed.warnings());
    assertEquals(0, crlHits.get());
    X509Certificate unreachable = withPoints("east.example.org", 79, uri("/missing.crl"), null);
    CertVerdict.Refused strict = assertInstanceOf(CertVerdict.Refused.class, check(verifier(crls(),
        policy(RevocationPolicy.Strict.YES, Duration.ofMinutes(1), Optional.empty())), "@east.example.org",
        unreachable));
    assertEquals(Refusal.REVOCATION_UNAVAILABLE, strict.refusal());
    assertEquals("revocation status of certificate 'C=CA, O=Openswanj Test, CN=east.example.org' is unknown (CRL "
        + "fetch from " + uri("/missing.crl") + " failed: " + uri("/missing.crl") + ": HTTP status 404) and "
        + "strictcrlpolicy=yes", strict.line());
  }

  @Test
  void ocspFromTheCertificateOrFromOcspuri() throws Exception {
    CertVerifier v = verifier(crls(), policy(RevocationPolicy.Strict.YES, Duration.ZERO, Optional.empty()));
    X509Certificate good = withPoints("east.example.org", 80, null, uri("/ocsp"));
    X509Certificate bad = withPoints("revoked.example.org", Hierarchy.REVOKED_SERIAL, null, uri("/ocsp"));
    assertEquals(List.of(), assertInstanceOf(CertVerdict.Trusted.class, check(v, "@east.example.org", good))
        .warnings());
    CertVerdict.Refused r = assertInstanceOf(CertVerdict.Refused.class, check(v, "@revoked.example.org", bad));
    assertEquals("certificate 'C=CA, O=Openswanj Test, CN=revoked.example.org' (serial 42) was revoked on Mar 04 "
        + "05:06:07 UTC 2025 (OCSP from " + uri("/ocsp") + ")", r.line());
    // ocspuri= for certificates that name no responder.
    CertVerifier configured = verifier(crls(), policy(RevocationPolicy.Strict.YES, Duration.ZERO,
        Optional.of(uri("/ocsp"))));
    assertEquals(Refusal.REVOKED, assertInstanceOf(CertVerdict.Refused.class,
        check(configured, "@revoked.example.org", h.revoked)).refusal());
    assertEquals(3, ocspHits.get());
  }

  @Test
  void aFailingResponderFallsBackToTheCrl() throws Exception {
    ocspStatus = 500;
    X509Certificate c = withPoints("east.example.org", 81, uri("/root.crl"), uri("/ocsp"));
    CertVerdict.Trusted t = assertInstanceOf(CertVerdict.Trusted.class, check(verifier(crls(),
        policy(RevocationPolicy.Strict.YES, Duration.ofMinutes(5), Optional.empty())), "@east.example.org", c));
    assertEquals(List.of(), t.warnings());
    assertEquals(1, crlHits.get());
    CertVerdict.Refused r = assertInstanceOf(CertVerdict.Refused.class, check(verifier(crls(),
        policy(RevocationPolicy.Strict.YES, Duration.ZERO, Optional.empty())), "@east.example.org", c));
    assertEquals("revocation status of certificate 'C=CA, O=Openswanj Test, CN=east.example.org' is unknown (OCSP "
        + "from " + uri("/ocsp") + " failed: " + uri("/ocsp") + ": HTTP status 500; no CRL from 'C=CA, O=Openswanj "
        + "Test, CN=Test Root CA' (crlcheckinterval=0: not fetched from " + uri("/root.crl") + ")) and "
        + "strictcrlpolicy=yes", r.line());
  }

  @Test
  void anOutOfDateCrlProvesRevocationButNotGoodStanding() throws Exception {
    CrlCache crls = crls();
    X509CRL old = TestPki.crl(h.root, h.rootKey.getPrivate(), Instant.parse("2025-01-01T00:00:00Z"),
        Instant.parse("2025-02-01T00:00:00Z"), Map.of(Hierarchy.REVOKED_SERIAL, REVOKED_AT));
    crls.put(new CrlCache.CachedCrl(old, "file test", TestPki.NOW, CrlCache.Origin.FILE));
    CertVerifier v = verifier(crls, policy(RevocationPolicy.Strict.YES, Duration.ZERO, Optional.empty()));
    assertEquals(Refusal.REVOKED, assertInstanceOf(CertVerdict.Refused.class,
        check(v, "@revoked.example.org", h.revoked)).refusal());
    CertVerdict.Refused stale = assertInstanceOf(CertVerdict.Refused.class, check(v, "@east.example.org",
        h.eastRsa2048));
    assertTrue(stale.line().contains("CRL from file test is out of date since Feb 01 00:00:00 UTC 2025"),
        stale.line());
  }
}
