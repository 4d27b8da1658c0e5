package org.openswanj.pluto.pki;

import java.security.cert.X509Certificate;
import java.util.List;
import java.util.Optional;
import org.openswanj.conf.id.Identity;
import org.openswanj.conf.id.IdentityException;

/**
 * {@code rightca=} (and {@code leftca=}) as Openswan 2.6 reads it: empty or {@code %any} accepts any trusted CA;
 * {@code %same} means "the CA of our own end" (our {@code leftca=}, or the issuer of our {@code leftcert=}); a DN
 * (with "*" wildcards) must name a CA on the peer's validated path (Openswan's trusted_ca).
 */
public sealed interface CaConstraint {
  /** Any CA in ipsec.d/cacerts. */
  record Any() implements CaConstraint {}

  /**
   * A CA whose subject matches this DN (pattern).
   *
   * @param dn the DN identity, possibly with "*" values
   */
  record Named(Identity dn) implements CaConstraint {}

  /**
   * Parses a {@code rightca=} value.
   *
   * @param value the keyword's value (empty when unset)
   * @param ourCa what {@code %same} stands for: our end's CA, if we have one
   * @throws IdentityException if the value is not a DN, or {@code %same} has nothing to refer to
   */
  static CaConstraint parse(String value, Optional<CaConstraint> ourCa) throws IdentityException {
    String v = value == null ? "" : value.strip();
    if (v.isEmpty() || v.equals("%any")) {
      return new Any();
    }
    if (v.equals("%same")) {
      return ourCa.orElseThrow(() -> new IdentityException(
          "ca=%same, but our end has neither leftca= nor a leftcert= to take the CA from"));
    }
    Identity id = Identity.parse(v);
    if (id.kind() != Identity.Kind.DER_ASN1_DN) {
      throw new IdentityException("ca=\"" + v + "\" is not a distinguished name");
    }
    return new Named(id);
  }

  /** Our end's CA for {@code %same}: {@code leftca=} if set, else the issuer of our certificate (Openswan's rule). */
  static Optional<CaConstraint> ours(String leftca, Optional<X509Certificate> leftcert) throws IdentityException {
    if (leftca != null && !leftca.isBlank() && !leftca.strip().equals("%same")) {
      return Optional.of(parse(leftca, Optional.empty()));
    }
    if (leftcert.isPresent()) {
      return Optional.of(new Named(Dn.identity(leftcert.get().getIssuerX500Principal())));
    }
    return Optional.empty();
  }

  /** True if one of the CAs that vouched for the peer (its validated path above the end certificate) fits. */
  default boolean accepts(List<X509Certificate> caPath) {
    if (this instanceof Named n) {
      return caPath.stream().anyMatch(ca -> n.dn().matches(CertIds.subjectId(ca)));
    }
    return true;
  }

  /** For log lines: "%any" or the DN. */
  default String describe() {
    return this instanceof Named n ? "'" + n.dn() + "'" : "%any";
  }
}
