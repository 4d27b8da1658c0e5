package org.openswanj.pluto.x509;

import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Executor;
import org.openswanj.pluto.pki.CaStore;
import org.openswanj.pluto.pki.CertVerifier;
import org.openswanj.pluto.pki.CrlCache;
import org.openswanj.pluto.pki.HttpFetcher;
import org.openswanj.pluto.pki.IpsecD;
import org.openswanj.pluto.pki.OcspClient;
import org.openswanj.pluto.pki.PkiProblem;
import org.openswanj.pluto.pki.RevocationPolicy;

/**
 * What pluto trusts, as read from {@code ipsec.d} at start-up and on {@code --rereadcacerts}/{@code --rereadall}:
 * the CAs of {@code cacerts/}, the CRLs of {@code crls/}, and the verifier that checks a peer's certificates
 * against them. Immutable once built; a reread builds a new one (SAs being checked keep the old one).
 *
 * @param dirs the ipsec.d layout, empty when pluto runs without one (in-JVM tests)
 * @param cas trusted CAs
 * @param crls CRLs read from crls/ (and fetched later)
 * @param verifier checks peers' certificates
 * @param problems one line per file left out
 * @param loaded when they were read (for the listings)
 */
public record Credentials(Optional<IpsecD> dirs, CaStore cas, CrlCache crls, CertVerifier verifier,
    List<PkiProblem> problems, java.time.Instant loaded) {
  private static final Duration FETCH_TIMEOUT = Duration.ofSeconds(10);
  private static final long MAX_FETCH_BYTES = 4L << 20;

  public Credentials {
    problems = List.copyOf(problems);
  }

  /**
   * Reads {@code dirs}; {@code worker} runs certificate checks and CRL/OCSP fetches (never the event loop).
   */
  /** The CRL and OCSP fetcher {@link #load} needs; one per pluto, kept across reloads. */
  public static org.openswanj.pluto.pki.Fetcher fetcher(Executor worker) {
    return new HttpFetcher(worker, FETCH_TIMEOUT, MAX_FETCH_BYTES);
  }

  /**
   * Reads {@code dirs}; {@code worker} runs certificate checks, {@code fetcher} the CRL/OCSP fetches (the caller
   * keeps one: a reload reuses it rather than making another HTTP client). Never the event loop.
   */
  public static Credentials load(Optional<IpsecD> dirs, Clock clock, org.openswanj.pluto.pki.Fetcher fetcher,
      Executor worker, RevocationPolicy policy, java.security.SecureRandom random) {
    List<PkiProblem> problems = new ArrayList<>();
    CaStore cas = CaStore.of(List.of());
    CrlCache crls = new CrlCache(clock, fetcher);
    if (dirs.isPresent()) {
      if (java.nio.file.Files.isDirectory(dirs.get().cacerts())) {
        CaStore.Loaded loaded = CaStore.load(dirs.get().cacerts());
        cas = loaded.store();
        problems.addAll(loaded.problems());
      }
      if (java.nio.file.Files.isDirectory(dirs.get().crls())) {
        problems.addAll(crls.loadDirectory(dirs.get().crls()));
      }
    }
    CertVerifier verifier = new CertVerifier(cas, crls, new OcspClient(fetcher, clock, random), policy, clock, worker);
    return new Credentials(dirs, cas, crls, verifier, problems, clock.instant());
  }

  /** For the start-up log: how many CAs and CRLs were loaded. */
  public String summary() {
    return "loaded " + cas.certificates().size() + " CA certificate(s) and " + crls.all().size() + " CRL(s)"
        + dirs.map(d -> " from " + d.dir()).orElse("");
  }
}
