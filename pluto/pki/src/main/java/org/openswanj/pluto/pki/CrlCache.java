package org.openswanj.pluto.pki;

import java.io.ByteArrayInputStream;
import java.net.URI;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.cert.CertificateFactory;
import java.security.cert.X509CRL;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import javax.security.auth.x500.X500Principal;

/**
 * The CRLs pluto knows: read from {@code ipsec.d/crls} and fetched from distribution points. Thread-safe: fetches
 * complete on the fetcher's threads while the daemon lists. One CRL per issuer is kept, the newest by thisUpdate;
 * a CRL is trusted only once its signature verifies with the issuing CA's key at look-up.
 */
public final class CrlCache {
  private final Clock clock;
  private final Fetcher fetcher;
  private final Map<X500Principal, CachedCrl> byIssuer = new ConcurrentHashMap<>();
  private final Map<URI, CompletableFuture<Optional<String>>> inFlight = new ConcurrentHashMap<>();

  /**
   * One CRL and where it came from.
   *
   * @param crl the CRL
   * @param source "file PATH" or the URI it was fetched from
   * @param installed when pluto read or fetched it
   * @param fetched whether it came from a distribution point (and so is fetched again per crlcheckinterval)
   */
  public record CachedCrl(X509CRL crl, String source, Instant installed, Origin fetched) {}

  /** Where a CRL came from. */
  public enum Origin {
    FILE,
    FETCHED
  }

  public CrlCache(Clock clock, Fetcher fetcher) {
    this.clock = clock;
    this.fetcher = fetcher;
  }

  /** Reads every CRL file of {@code crlsDir} ({@code --rereadcrls} calls it again); returns the problems. */
  public List<PkiProblem> loadDirectory(Path crlsDir) {
    CertFiles.Loaded<X509CRL> read = CertFiles.crlDir(crlsDir);
    for (X509CRL crl : read.items()) {
      put(new CachedCrl(crl, "file " + crlsDir, clock.instant(), Origin.FILE));
    }
    return read.problems();
  }

  /** Adds a CRL (also how tests and {@code ipsec whack --crl}-like commands feed one in). */
  public void put(CachedCrl c) {
    byIssuer.merge(c.crl().getIssuerX500Principal(), c, (old, neu) ->
        neu.crl().getThisUpdate().before(old.crl().getThisUpdate()) ? old : neu);
  }

  /** The CRL of {@code issuer}, if one is held whose signature that CA made. */
  public Optional<CachedCrl> forIssuer(X509Certificate issuer) {
    CachedCrl c = byIssuer.get(issuer.getSubjectX500Principal());
    if (c == null) {
      return Optional.empty();
    }
    try {
      c.crl().verify(issuer.getPublicKey());
      return Optional.of(c);
    } catch (GeneralSecurityException | RuntimeException e) {
      return Optional.empty();
    }
  }

  /** All CRLs held, by issuer name, for {@code --listcrls}. */
  public List<CachedCrl> all() {
    List<CachedCrl> out = new ArrayList<>(byIssuer.values());
    out.sort(Comparator.comparing(c -> c.crl().getIssuerX500Principal().getName()));
    return out;
  }

  /**
   * Fetches {@code uri} (once at a time per URI) and keeps the CRL if it parses; the future gives the failure
   * reason, or empty on success. Runs on the fetcher's threads.
   */
  public CompletableFuture<Optional<String>> fetch(URI uri) {
    CompletableFuture<Optional<String>> mine = new CompletableFuture<>();
    CompletableFuture<Optional<String>> running = inFlight.putIfAbsent(uri, mine);
    if (running != null) {
      return running;
    }
    CompletableFuture<byte[]> got;
    try {
      got = fetcher.get(uri);
    } catch (RuntimeException e) {
      got = CompletableFuture.failedFuture(e);
    }
    got.handle((bytes, err) -> err != null ? Optional.of("CRL fetch from " + uri + " failed: " + message(err))
        : store(uri, bytes)).whenComplete((r, e) -> {
          inFlight.remove(uri, mine);
          mine.complete(r != null ? r : Optional.of("CRL fetch from " + uri + " failed: " + message(e)));
        });
    return mine;
  }

  private Optional<String> store(URI uri, byte[] bytes) {
    try {
      X509CRL crl = (X509CRL) CertificateFactory.getInstance("X.509").generateCRL(new ByteArrayInputStream(bytes));
      put(new CachedCrl(crl, uri.toString(), clock.instant(), Origin.FETCHED));
      return Optional.empty();
    } catch (GeneralSecurityException | RuntimeException e) {
      return Optional.of("CRL from " + uri + " is not a valid DER CRL");
    }
  }

  static String message(Throwable t) {
    Throwable c = t;
    while (c.getCause() != null && (c.getMessage() == null || c instanceof java.util.concurrent.CompletionException)) {
      c = c.getCause();
    }
    return c.getMessage() == null ? c.getClass().getSimpleName() : c.getMessage();
  }
}
