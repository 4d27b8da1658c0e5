package org.openswanj.pluto.x509;

import java.security.cert.X509Certificate;
import java.time.Clock;
import java.util.List;
import java.util.Optional;
import org.openswanj.conf.EndConfig;
import org.openswanj.conf.id.IdentityException;
import org.openswanj.pluto.pki.CaConstraint;
import org.openswanj.pluto.pki.CertFiles;
import org.openswanj.pluto.pki.IpsecD;
import org.openswanj.pluto.pki.LocalCert;
import org.openswanj.pluto.pki.PkiProblem;

/**
 * A conn's certificates, read when it is added: ours ({@code leftcert=}), the peer's if configured
 * ({@code rightcert=}, used when the peer sends none), and the {@code rightca=} constraint.
 *
 * @param local our certificate and the intermediates we send with it
 * @param peer the peer's certificate from {@code rightcert=}
 * @param peerCa which CA must vouch for the peer
 * @param warnings lines to log (our certificate expired or not yet valid: Openswan loads it and warns)
 */
public record ConnCerts(Optional<LocalCert> local, Optional<X509Certificate> peer, CaConstraint peerCa,
    List<String> warnings) {
  public static final ConnCerts NONE = new ConnCerts(Optional.empty(), Optional.empty(), new CaConstraint.Any(),
      List.of());

  public ConnCerts {
    warnings = List.copyOf(warnings);
  }

  /** A conn end's certificate or CA could not be used; the message names the keyword, the file and why. */
  public static final class CertException extends Exception {
    private static final long serialVersionUID = 1L;

    public CertException(String message) {
      super(message);
    }
  }

  /** Reads the certificates {@code local} and {@code remote} name. */
  public static ConnCerts load(EndConfig local, EndConfig remote, Credentials cred, Clock clock, String leftName)
      throws CertException {
    if (local.cert().isEmpty() && remote.cert().isEmpty() && local.ca().isEmpty() && remote.ca().isEmpty()) {
      return NONE;
    }
    IpsecD dirs = cred.dirs().orElseThrow(() -> new CertException("certificates need an ipsec.d directory"));
    String right = leftName.equals("left") ? "right" : "left";
    Optional<LocalCert> ours = Optional.empty();
    List<String> warnings = new java.util.ArrayList<>();
    if (local.cert().isPresent()) {
      LocalCert.Loaded l = LocalCert.load(dirs, local.cert().get(), cred.cas(), clock);
      if (l.cert().isEmpty()) {
        throw new CertException(leftName + "cert=" + local.cert().get() + ": " + describe(l.problems()));
      }
      ours = l.cert();
      l.problems().forEach(p -> warnings.add(leftName + "cert=" + local.cert().get() + ": " + p.reason()));
      idNotInCert(local.id(), ours.get().certificate(), leftName).ifPresent(warnings::add);
    }
    Optional<X509Certificate> theirs = Optional.empty();
    if (remote.cert().isPresent()) {
      CertFiles.Loaded<X509Certificate> r = CertFiles.certificates(dirs.certFile(remote.cert().get()));
      if (r.items().isEmpty()) {
        throw new CertException(right + "cert=" + remote.cert().get() + ": " + describe(r.problems()));
      }
      theirs = Optional.of(r.items().get(0));
    }
    try {
      Optional<CaConstraint> ourCa = CaConstraint.ours(local.ca().orElse(null),
          ours.map(LocalCert::certificate));
      return new ConnCerts(ours, theirs, CaConstraint.parse(remote.ca().orElse(""), ourCa), warnings);
    } catch (IdentityException e) {
      throw new CertException(right + "ca=" + remote.ca().orElse("") + ": " + e.getMessage());
    }
  }

  /**
   * A {@code leftid=} that our certificate does not carry: peers that bind the ID to the certificate (pluto,
   * strongSwan; RFC 4945 §3.1) refuse it, so the admin hears it at add time rather than from each peer's log.
   */
  static Optional<String> idNotInCert(Optional<org.openswanj.conf.id.Identity> id, X509Certificate cert,
      String leftName) {
    if (id.isEmpty() || !java.util.EnumSet.of(org.openswanj.conf.id.Identity.Kind.DER_ASN1_DN,
        org.openswanj.conf.id.Identity.Kind.FQDN, org.openswanj.conf.id.Identity.Kind.USER_FQDN,
        org.openswanj.conf.id.Identity.Kind.IPV4_ADDR, org.openswanj.conf.id.Identity.Kind.IPV6_ADDR)
        .contains(id.get().kind()) || org.openswanj.pluto.pki.CertIds.contains(cert, id.get())) {
      return Optional.empty();
    }
    String sans = org.openswanj.pluto.pki.CertIds.describeSans(cert);
    return Optional.of(leftName + "id=" + id.get() + " is not in " + leftName + "cert= (subject '"
        + org.openswanj.pluto.pki.Dn.subject(cert) + "'" + (sans.isEmpty() ? ", no subjectAltName" : ", subjectAltName "
        + sans) + "): peers that check IDs against certificates will refuse it");
  }

  private static String describe(List<PkiProblem> problems) {
    return problems.isEmpty() ? "no certificate in the file" : problems.get(0).toString();
  }
}
