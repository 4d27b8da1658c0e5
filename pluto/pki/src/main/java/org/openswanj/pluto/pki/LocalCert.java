package org.openswanj.pluto.pki;

import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.openswanj.conf.id.Identity;

/**
 * Our own certificate ({@code leftcert=}) and the intermediate CAs between it and its root, which we send with it
 * as strongSwan does (Openswan 2.6 sent the end certificate alone; RFC 7296 §3.6 allows the chain).
 *
 * @param file where it was read
 * @param certificate our end certificate
 * @param chain intermediates above it, issuer first, without the self-signed root
 * @param installed when it was read (for --listcerts)
 */
public record LocalCert(Path file, X509Certificate certificate, List<X509Certificate> chain, Instant installed) {
  private static final int MAX_DEPTH = 8;

  public LocalCert {
    chain = List.copyOf(chain);
  }

  /**
   * Our certificate, or why not.
   *
   * @param cert the certificate, if it could be read
   * @param problems lines to log: unreadable files are errors, dates are warnings (Openswan loads and warns)
   */
  public record Loaded(Optional<LocalCert> cert, List<PkiProblem> problems) {
    public Loaded {
      problems = List.copyOf(problems);
    }
  }

  /**
   * Reads {@code leftcert=} (relative names under ipsec.d/certs). Further certificates in the same file and the
   * CAs of {@code cas} complete the chain.
   */
  public static Loaded load(IpsecD dirs, String leftcert, CaStore cas, Clock clock) {
    Path file = dirs.certFile(leftcert);
    CertFiles.Loaded<X509Certificate> read = CertFiles.certificates(file);
    if (read.items().isEmpty()) {
      return new Loaded(Optional.empty(), read.problems());
    }
    X509Certificate cert = read.items().get(0);
    List<X509Certificate> pool = new ArrayList<>(read.items().subList(1, read.items().size()));
    pool.addAll(cas.certificates());
    List<PkiProblem> problems = new ArrayList<>();
    Instant now = clock.instant();
    if (now.isAfter(cert.getNotAfter().toInstant())) {
      problems.add(new PkiProblem(file, "warning: certificate '" + Dn.subject(cert) + "' expired on "
          + OpenswanFormat.time(cert.getNotAfter().toInstant(), ZoneOffset.UTC)));
    } else if (now.isBefore(cert.getNotBefore().toInstant())) {
      problems.add(new PkiProblem(file, "warning: certificate '" + Dn.subject(cert) + "' is not valid before "
          + OpenswanFormat.time(cert.getNotBefore().toInstant(), ZoneOffset.UTC)));
    }
    return new Loaded(Optional.of(new LocalCert(file, cert, chainOf(cert, pool), now)), problems);
  }

  /** What goes into CERT payloads: the end certificate first (RFC 7296 §3.6), then the intermediates. */
  public List<X509Certificate> toSend() {
    List<X509Certificate> out = new ArrayList<>();
    out.add(certificate);
    out.addAll(chain);
    return out;
  }

  /** {@code leftid=%fromcert}. */
  public Identity subjectId() {
    return CertIds.subjectId(certificate);
  }

  private static List<X509Certificate> chainOf(X509Certificate cert, List<X509Certificate> pool) {
    List<X509Certificate> out = new ArrayList<>();
    X509Certificate c = cert;
    for (int i = 0; i < MAX_DEPTH && !selfIssued(c); i++) {
      X509Certificate cur = c;
      Optional<X509Certificate> issuer = pool.stream()
          .filter(p -> p.getSubjectX500Principal().equals(cur.getIssuerX500Principal()) && signed(cur, p))
          .findFirst();
      if (issuer.isEmpty() || selfIssued(issuer.get())) {
        break;
      }
      out.add(issuer.get());
      c = issuer.get();
    }
    return out;
  }

  static boolean selfIssued(X509Certificate c) {
    return c.getSubjectX500Principal().equals(c.getIssuerX500Principal());
  }

  private static boolean signed(X509Certificate c, X509Certificate issuer) {
    try {
      c.verify(issuer.getPublicKey());
      return true;
    } catch (java.security.GeneralSecurityException | RuntimeException e) {
      return false;
    }
  }
}
