package org.openswanj.pluto.pki;

import java.net.InetAddress;
import java.security.cert.CertificateParsingException;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import org.openswanj.conf.id.Identity;
import org.openswanj.conf.id.IdentityException;

/**
 * IDs and certificates: {@code leftid=%fromcert} (the subject DN), and whether an ID is in a certificate — a DN
 * against the subject (with Openswan's "*" RDN wildcards when the ID is a pattern), an address, FQDN or e-mail ID
 * against the subjectAltName entries (RFC 4945 §3.1: the ID must match a SAN of the same type; RFC 5280
 * §4.2.1.6 types iPAddress, dNSName, rfc822Name).
 */
public final class CertIds {
  private static final int SAN_RFC822 = 1;
  private static final int SAN_DNS = 2;
  private static final int SAN_IP = 7;

  private CertIds() {}

  /** {@code %fromcert}: the certificate's subject as an ID_DER_ASN1_DN identity. */
  public static Identity subjectId(X509Certificate cert) {
    try {
      return Dn.identity(cert.getSubjectX500Principal());
    } catch (IdentityException e) {
      throw new IllegalStateException("a certificate the JDK parsed has an unreadable subject: " + e.getMessage());
    }
  }

  /**
   * True if {@code id} names this certificate. A DN ID may carry "*" values (Openswan's match_dn), so a conn's
   * {@code rightid="C=CA, O=Example, CN=*"} matches every host certificate of that organisation. FQDNs compare
   * without case or trailing dot, as Openswan's same_id does.
   */
  public static boolean contains(X509Certificate cert, Identity id) {
    switch (id.kind()) {
      case DER_ASN1_DN:
        return id.matches(subjectId(cert));
      case FQDN:
        return sans(cert, SAN_DNS).stream().anyMatch(n -> sameName(n, id.toString().substring(1)));
      case USER_FQDN:
        return sans(cert, SAN_RFC822).stream().anyMatch(n -> n.equalsIgnoreCase(id.toString()));
      case IPV4_ADDR:
      case IPV6_ADDR:
        Optional<InetAddress> a = id.address();
        return a.isPresent() && sans(cert, SAN_IP).stream().anyMatch(n -> sameAddress(n, a.get()));
      case FROMCERT:
        return true;
      default:
        return false;
    }
  }

  /** The subjectAltName values of one type as strings (IP addresses as the JDK prints them). */
  static List<String> sans(X509Certificate cert, int type) {
    List<String> out = new ArrayList<>();
    Collection<List<?>> all;
    try {
      all = cert.getSubjectAlternativeNames();
    } catch (CertificateParsingException e) {
      return out;
    }
    if (all == null) {
      return out;
    }
    for (List<?> entry : all) {
      if (entry.size() >= 2 && entry.get(0) instanceof Integer t && t == type && entry.get(1) instanceof String s) {
        out.add(s);
      }
    }
    return out;
  }

  /** The SANs for listings and log lines: "DNS:east.example.org, IP:192.0.2.1, email:a@b". */
  public static String describeSans(X509Certificate cert) {
    List<String> parts = new ArrayList<>();
    sans(cert, SAN_DNS).forEach(n -> parts.add("DNS:" + n));
    sans(cert, SAN_IP).forEach(n -> parts.add("IP:" + n));
    sans(cert, SAN_RFC822).forEach(n -> parts.add("email:" + n));
    return String.join(", ", parts);
  }

  private static boolean sameName(String san, String fqdn) {
    return trimDot(san).toLowerCase(Locale.ROOT).equals(trimDot(fqdn).toLowerCase(Locale.ROOT));
  }

  private static String trimDot(String s) {
    return s.endsWith(".") ? s.substring(0, s.length() - 1) : s;
  }

  private static boolean sameAddress(String san, InetAddress a) {
    try {
      return com.google.common.net.InetAddresses.forString(san).equals(a);
    } catch (IllegalArgumentException e) {
      return false;
    }
  }
}
