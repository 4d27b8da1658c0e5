package org.openswanj.pluto.pki;

import java.io.ByteArrayInputStream;
import java.security.GeneralSecurityException;
import java.security.cert.CertPathBuilder;
import java.security.cert.CertStore;
import java.security.cert.CertificateFactory;
import java.security.cert.CollectionCertStoreParameters;
import java.security.cert.PKIXBuilderParameters;
import java.security.cert.PKIXCertPathBuilderResult;
import java.security.cert.X509CertSelector;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Date;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import org.openswanj.pluto.crypto.sig.KeyKind;

/**
 * Checks a peer's certificates the way an IKE_AUTH (or Main Mode) exchange needs before it verifies AUTH: dates
 * against the injected clock, a PKIX path (the JDK's builder and validator) to a CA of ipsec.d/cacerts through the
 * intermediates the peer sent, rightca=, key size, key usage, the peer's ID, then revocation. Work runs on the
 * injected worker and the fetcher's threads, never on the caller's; the future never fails — every problem is a
 * {@link CertVerdict.Refused} with one log line.
 */
public final class CertVerifier {
  private static final int MAX_DEPTH = 8;
  private final CaStore cas;
  private final RevocationChecker revocation;
  private final RevocationPolicy policy;
  private final Clock clock;
  private final Executor worker;

  public CertVerifier(CaStore cas, CrlCache crls, OcspClient ocsp, RevocationPolicy policy, Clock clock,
      Executor worker) {
    this.cas = cas;
    this.revocation = new RevocationChecker(crls, ocsp, policy, clock);
    this.policy = policy;
    this.clock = clock;
    this.worker = worker;
  }

  public CompletableFuture<CertVerdict> verify(PeerCertificates request) {
    return CompletableFuture.supplyAsync(() -> staticChecks(request), worker)
        .thenCompose(v -> v instanceof CertVerdict.Trusted t ? revoked(t) : CompletableFuture.completedFuture(v))
        .exceptionally(e -> new CertVerdict.Refused(Refusal.BAD_CERTIFICATE, "certificate check failed: "
            + CrlCache.message(e)));
  }

  CertVerdict staticChecks(PeerCertificates req) {
    List<X509Certificate> sent = new ArrayList<>();
    for (int i = 0; i < req.certificates().size(); i++) {
      try {
        sent.add((X509Certificate) CertificateFactory.getInstance("X.509")
            .generateCertificate(new ByteArrayInputStream(req.certificates().get(i))));
      } catch (GeneralSecurityException | RuntimeException e) {
        return refuse(Refusal.BAD_CERTIFICATE, "CERT payload #" + (i + 1) + " is not a DER X.509 certificate");
      }
    }
    if (sent.isEmpty()) {
      return refuse(Refusal.BAD_CERTIFICATE, "the peer sent no certificate");
    }
    X509Certificate end = sent.get(0);
    String name = "certificate '" + Dn.subject(end) + "'";
    Optional<CertVerdict> dates = dates(end, name).or(() -> caDates(end, sent.subList(1, sent.size())));
    if (dates.isPresent()) {
      return dates.get();
    }
    List<X509Certificate> caPath;
    try {
      caPath = path(end, sent.subList(1, sent.size()));
    } catch (GeneralSecurityException e) {
      return refuse(Refusal.UNKNOWN_CA, name + " issued by '" + Dn.issuer(end) + "' does not chain to a trusted CA"
          + (cas.isEmpty() ? " (no CA certificates are loaded)" : " in ipsec.d/cacerts"));
    }
    return endChecks(req, end, name, caPath);
  }

  private CertVerdict endChecks(PeerCertificates req, X509Certificate end, String name,
      List<X509Certificate> caPath) {
    if (!req.ca().accepts(caPath)) {
      return refuse(Refusal.CA_MISMATCH, name + " is not issued under rightca=" + req.ca().describe()
          + " (its CA is '" + Dn.subject(caPath.get(0)) + "')");
    }
    if (KeyKind.of(end.getPublicKey()).isEmpty()) {
      return refuse(Refusal.BAD_CERTIFICATE, name + " carries a " + end.getPublicKey().getAlgorithm()
          + " key, which IKE signatures do not use here");
    }
    Optional<String> small = req.keyPolicy().refusal(end.getPublicKey());
    if (small.isPresent()) {
      return refuse(Refusal.KEY_TOO_SMALL, name + ": " + small.get());
    }
    Optional<String> usage = KeyUsageRules.problem(end);
    if (usage.isPresent()) {
      return refuse(Refusal.WRONG_KEY_USAGE, name + ": " + usage.get());
    }
    if (!CertIds.contains(end, req.peerId())) {
      String sans = CertIds.describeSans(end);
      return refuse(Refusal.ID_NOT_IN_CERT, "ID '" + req.peerId() + "' is not in " + name
          + (sans.isEmpty() ? " (it has no subjectAltName)" : " (subjectAltName " + sans + ")"));
    }
    return new CertVerdict.Trusted(end, caPath, List.of());
  }

  private Optional<CertVerdict> dates(X509Certificate c, String name) {
    Instant now = clock.instant();
    if (now.isBefore(c.getNotBefore().toInstant())) {
      return Optional.of(refuse(Refusal.NOT_YET_VALID, name + " is not valid before "
          + OpenswanFormat.time(c.getNotBefore().toInstant(), ZoneOffset.UTC)));
    }
    if (now.isAfter(c.getNotAfter().toInstant())) {
      return Optional.of(refuse(Refusal.EXPIRED, name + " expired on "
          + OpenswanFormat.time(c.getNotAfter().toInstant(), ZoneOffset.UTC)));
    }
    return Optional.empty();
  }

  /** Walks issuer names through what the peer sent and our CAs, so an expired CA is named as such. */
  private Optional<CertVerdict> caDates(X509Certificate end, List<X509Certificate> intermediates) {
    List<X509Certificate> pool = new ArrayList<>(intermediates);
    pool.addAll(cas.certificates());
    X509Certificate c = end;
    for (int depth = 0; depth < MAX_DEPTH && !c.getSubjectX500Principal().equals(c.getIssuerX500Principal());
        depth++) {
      X509Certificate cur = c;
      Optional<X509Certificate> issuer = pool.stream()
          .filter(p -> p.getSubjectX500Principal().equals(cur.getIssuerX500Principal())).findFirst();
      if (issuer.isEmpty()) {
        return Optional.empty();
      }
      Optional<CertVerdict> bad = dates(issuer.get(), "CA certificate '" + Dn.subject(issuer.get()) + "'");
      if (bad.isPresent()) {
        return bad;
      }
      c = issuer.get();
    }
    return Optional.empty();
  }

  /** RFC 5280 §6 with the JDK's PKIX builder; returns the CAs above {@code end}, trust anchor last. */
  private List<X509Certificate> path(X509Certificate end, List<X509Certificate> intermediates)
      throws GeneralSecurityException {
    if (cas.isEmpty()) {
      throw new GeneralSecurityException("no trust anchors");
    }
    X509CertSelector target = new X509CertSelector();
    target.setCertificate(end);
    PKIXBuilderParameters p = new PKIXBuilderParameters(cas.trustAnchors(), target);
    p.setRevocationEnabled(false);
    p.setDate(Date.from(clock.instant()));
    p.setMaxPathLength(MAX_DEPTH);
    List<X509Certificate> pool = new ArrayList<>(intermediates);
    pool.add(end);
    p.addCertStore(CertStore.getInstance("Collection", new CollectionCertStoreParameters(pool)));
    PKIXCertPathBuilderResult r = (PKIXCertPathBuilderResult) CertPathBuilder.getInstance("PKIX").build(p);
    List<X509Certificate> out = new ArrayList<>();
    r.getCertPath().getCertificates().stream().skip(1).forEach(c -> out.add((X509Certificate) c));
    out.add(r.getTrustAnchor().getTrustedCert());
    return out;
  }

  private CompletableFuture<CertVerdict> revoked(CertVerdict.Trusted t) {
    List<X509Certificate> chain = new ArrayList<>();
    chain.add(t.certificate());
    chain.addAll(t.caPath());
    List<CompletableFuture<RevocationStatus>> checks = new ArrayList<>();
    for (int i = 0; i + 1 < chain.size(); i++) {
      checks.add(revocation.status(chain.get(i), chain.get(i + 1)));
    }
    return CompletableFuture.allOf(checks.toArray(new CompletableFuture<?>[0])).thenApply(v -> {
      List<String> warnings = new ArrayList<>();
      for (int i = 0; i < checks.size(); i++) {
        String name = "certificate '" + Dn.subject(chain.get(i)) + "'";
        RevocationStatus s = checks.get(i).join();
        if (s instanceof RevocationStatus.Revoked r) {
          return refuse(Refusal.REVOKED, name + " (serial " + OpenswanFormat.serial(chain.get(i).getSerialNumber())
              + ") was revoked on " + OpenswanFormat.time(r.date(), ZoneOffset.UTC) + " (" + r.source() + ")");
        }
        if (s instanceof RevocationStatus.Unknown u) {
          if (policy.strict() == RevocationPolicy.Strict.YES) {
            return refuse(Refusal.REVOCATION_UNAVAILABLE, "revocation status of " + name + " is unknown ("
                + u.why() + ") and strictcrlpolicy=yes");
          }
          warnings.add("revocation status of " + name + " is unknown (" + u.why() + "); accepted as "
              + "strictcrlpolicy=no");
        }
      }
      return new CertVerdict.Trusted(t.certificate(), t.caPath(), warnings);
    });
  }

  private static CertVerdict refuse(Refusal r, String line) {
    return new CertVerdict.Refused(r, line);
  }
}
