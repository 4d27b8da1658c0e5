package org.openswanj.pluto.pki;

import java.net.URI;
import java.security.cert.X509CRL;
import java.security.cert.X509CRLEntry;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * The revocation status of one certificate: OCSP first where a responder is known (the configured ocspuri, then the
 * certificate's authorityInfoAccess), then the issuer's CRL — held, or fetched from the certificate's
 * distribution point when crlcheckinterval allows fetching. A held CRL is current until its nextUpdate and, if
 * fetched, for crlcheckinterval after the fetch; a stale one still proves a revocation but not the absence of one.
 */
final class RevocationChecker {
  private final CrlCache crls;
  private final OcspClient ocsp;
  private final RevocationPolicy policy;
  private final Clock clock;

  RevocationChecker(CrlCache crls, OcspClient ocsp, RevocationPolicy policy, Clock clock) {
    this.crls = crls;
    this.ocsp = ocsp;
    this.policy = policy;
    this.clock = clock;
  }

  CompletableFuture<RevocationStatus> status(X509Certificate cert, X509Certificate issuer) {
    List<URI> responders = new ArrayList<>();
    policy.ocspUri().ifPresent(responders::add);
    responders.addAll(CertExtensions.ocspResponders(cert));
    if (responders.isEmpty()) {
      return crl(cert, issuer, "");
    }
    return ocsp.status(cert, issuer, responders.get(0))
        .completeOnTimeout(new RevocationStatus.Unknown("OCSP from " + responders.get(0) + " timed out"),
            policy.fetchTimeout().toMillis(), TimeUnit.MILLISECONDS)
        .thenCompose(s -> s instanceof RevocationStatus.Unknown u ? crl(cert, issuer, u.why() + "; ")
            : CompletableFuture.completedFuture(s));
  }

  private CompletableFuture<RevocationStatus> crl(X509Certificate cert, X509Certificate issuer, String before) {
    Optional<CrlCache.CachedCrl> held = crls.forIssuer(issuer);
    if (held.isPresent() && current(held.get())) {
      return CompletableFuture.completedFuture(fromCrl(cert, held.get(), before));
    }
    List<URI> points = CertExtensions.crlDistributionPoints(cert);
    if (points.isEmpty() || !policy.fetchesCrls()) {
      String why = points.isEmpty() ? "" : " (crlcheckinterval=0: not fetched from " + points.get(0) + ")";
      return CompletableFuture.completedFuture(held.map(h -> fromCrl(cert, h, before))
          .orElse(new RevocationStatus.Unknown(before + "no CRL from '" + Dn.subject(issuer) + "'" + why)));
    }
    URI uri = points.get(0);
    return crls.fetch(uri)
        .completeOnTimeout(Optional.of("CRL fetch from " + uri + " timed out"), policy.fetchTimeout().toMillis(),
            TimeUnit.MILLISECONDS)
        .thenApply(failure -> crls.forIssuer(issuer).map(h -> fromCrl(cert, h, before)).orElse(
            new RevocationStatus.Unknown(before + failure.orElse("CRL from " + uri + " is not signed by '"
                + Dn.subject(issuer) + "'"))));
  }

  private boolean current(CrlCache.CachedCrl c) {
    Instant now = clock.instant();
    X509CRL crl = c.crl();
    if (crl.getNextUpdate() != null && !now.isBefore(crl.getNextUpdate().toInstant())) {
      return false;
    }
    return c.fetched() == CrlCache.Origin.FILE || !policy.fetchesCrls()
        || now.isBefore(c.installed().plus(policy.crlCheckInterval()));
  }

  private RevocationStatus fromCrl(X509Certificate cert, CrlCache.CachedCrl c, String before) {
    X509CRLEntry entry = c.crl().getRevokedCertificate(cert);
    String source = "CRL from " + c.source();
    if (entry != null) {
      return new RevocationStatus.Revoked(entry.getRevocationDate().toInstant(), source);
    }
    if (c.crl().getNextUpdate() != null && !clock.instant().isBefore(c.crl().getNextUpdate().toInstant())) {
      return new RevocationStatus.Unknown(before + source + " is out of date since "
          + OpenswanFormat.time(c.crl().getNextUpdate().toInstant(), java.time.ZoneOffset.UTC));
    }
    return new RevocationStatus.Good(source);
  }
}
