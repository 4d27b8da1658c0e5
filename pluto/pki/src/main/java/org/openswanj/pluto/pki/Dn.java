package org.openswanj.pluto.pki;

import java.security.cert.X509Certificate;
import javax.security.auth.x500.X500Principal;
import org.openswanj.conf.id.Identity;
import org.openswanj.conf.id.IdentityException;

/** Distinguished names of certificates as Openswan prints and compares them ("C=CA, O=Example, CN=west"). */
public final class Dn {
  private Dn() {}

  /** The name as an ID_DER_ASN1_DN identity; a name the DN parser cannot read gives its RFC 2253 text. */
  static Identity identity(X500Principal p) throws IdentityException {
    return Identity.fromWire(Identity.Kind.DER_ASN1_DN, p.getEncoded());
  }

  /** Openswan's dntoa form, for logs and listings. */
  public static String text(X500Principal p) {
    try {
      return identity(p).toString();
    } catch (IdentityException e) {
      return p.getName(X500Principal.RFC2253);
    }
  }

  public static String subject(X509Certificate c) {
    return text(c.getSubjectX500Principal());
  }

  public static String issuer(X509Certificate c) {
    return text(c.getIssuerX500Principal());
  }
}
