package org.openswanj.pluto.pki;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.PublicKey;
import java.security.cert.X509Certificate;
import java.security.interfaces.RSAPublicKey;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import java.util.Locale;
import java.util.function.Predicate;
import org.bouncycastle.asn1.ASN1OctetString;
import org.bouncycastle.asn1.x509.AuthorityKeyIdentifier;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.cert.jcajce.JcaX509ExtensionUtils;
import org.openswanj.pluto.crypto.RsaAuth;
import org.openswanj.pluto.crypto.sig.KeyKind;

/**
 * {@code ipsec auto --listcerts / --listcacerts / --listcrls / --listpubkeys} in Openswan 2.6's layout
 * (programs/pluto/x509.c list_x509cert_chain and list_crls, keymgmt.c list_public_keys): lines without the
 * whack "000 " code, which the daemon adds. Keys other than RSA are shown the same way with their algorithm's
 * name (Openswan 2.6 knew only RSA).
 */
public final class Listings {
  private static final int CA_CERT_WARNING_DAYS = 30;
  private static final int CRL_WARNING_DAYS = 7;
  private static final int PUBKEY_WARNING_DAYS = 7;
  private final Clock clock;
  private final ZoneId zone;

  /** @param zone local time, or UTC for {@code --utc} (then "UTC" is printed, as Openswan does) */
  public Listings(Clock clock, ZoneId zone) {
    this.clock = clock;
    this.zone = zone;
  }

  /** {@code --listcerts}: "List of X.509 End Certificates:". */
  public List<String> certs(List<LocalCert> certs, Predicate<PublicKey> hasPrivateKey) {
    List<String> out = new ArrayList<>();
    for (LocalCert c : certs) {
      block(out, "End", c.certificate(), c.installed(), hasPrivateKey);
    }
    return out;
  }

  /** {@code --listcacerts}: "List of X.509 CA Certificates:". */
  public List<String> caCerts(CaStore cas, Instant installed) {
    List<String> out = new ArrayList<>();
    for (X509Certificate c : cas.certificates()) {
      block(out, "CA", c, installed, k -> false);
    }
    return out;
  }

  /** {@code --listcrls}: "List of X.509 CRLs:". */
  public List<String> crls(CrlCache crls, RevocationPolicy.Strict strict) {
    List<String> out = new ArrayList<>();
    for (CrlCache.CachedCrl c : crls.all()) {
      if (out.isEmpty()) {
        heading(out, "List of X.509 CRLs:");
      }
      int revoked = c.crl().getRevokedCertificates() == null ? 0 : c.crl().getRevokedCertificates().size();
      out.add(time(c.installed()) + ", revoked certs: " + revoked);
      out.add("       issuer:  '" + Dn.text(c.crl().getIssuerX500Principal()) + "'");
      if (c.fetched() == CrlCache.Origin.FETCHED) {
        out.add("       distPts: '" + c.source() + "'");
      }
      out.add("       updates:  this " + time(c.crl().getThisUpdate().toInstant()));
      Instant next = c.crl().getNextUpdate() == null ? null : c.crl().getNextUpdate().toInstant();
      out.add("                 next " + (next == null ? "--- -- --:--:-- ----" : time(next) + " "
          + OpenswanFormat.expiry(next, clock.instant(), CRL_WARNING_DAYS, strict)));
      authKey(out, c.crl().getExtensionValue(Extension.authorityKeyIdentifier.getId()));
    }
    return out;
  }

  /**
   * {@code --listpubkeys}: the keys of our and the peers' certificates, one entry each, as Openswan lists the keys
   * it took from certificates ("localf" for ours, "dndsec" — signed — for peers' it validated).
   */
  public List<String> pubkeys(List<PubkeyEntry> keys) {
    List<String> out = new ArrayList<>();
    heading(out, "List of Public Keys:");
    for (PubkeyEntry k : keys) {
      X509Certificate c = k.certificate();
      Instant until = c.getNotAfter().toInstant();
      out.add(time(k.installed()) + ", " + String.format(Locale.ROOT, "%4d", bits(c.getPublicKey())) + " "
          + algorithm(c.getPublicKey()) + " " + (k.origin() == PubkeyEntry.Origin.LOCAL ? "localf" : "dndsec")
          + " key " + keyId(c.getPublicKey()) + "/" + OpenswanFormat.groupedHex(ckaid(c.getPublicKey())) + " ("
          + (k.hasPrivateKey() ? "has" : "no") + " private key), until " + time(until) + " "
          + OpenswanFormat.expiry(until, clock.instant(), PUBKEY_WARNING_DAYS, RevocationPolicy.Strict.YES));
      out.add("       ID_DER_ASN1_DN '" + Dn.subject(c) + "'");
      out.add("       Issuer '" + Dn.issuer(c) + "'");
    }
    return out;
  }

  /**
   * One key for {@link #pubkeys}.
   *
   * @param certificate the certificate it came from
   * @param installed when pluto learnt it
   * @param origin ours (leftcert=) or a peer's
   * @param hasPrivateKey whether ipsec.secrets holds its private half
   */
  public record PubkeyEntry(X509Certificate certificate, Instant installed, Origin origin, boolean hasPrivateKey) {
    /** Where the key came from. */
    public enum Origin {
      LOCAL,
      PEER
    }
  }

  private void block(List<String> out, String caption, X509Certificate c, Instant installed,
      Predicate<PublicKey> hasPrivateKey) {
    if (out.isEmpty()) {
      heading(out, "List of X.509 " + caption + " Certificates:");
    }
    Instant now = clock.instant();
    out.add(time(installed) + ", count: 1");
    out.add("       subject: '" + Dn.subject(c) + "'");
    out.add("       issuer:  '" + Dn.issuer(c) + "'");
    out.add("       serial:   " + OpenswanFormat.serial(c.getSerialNumber()));
    PublicKey k = c.getPublicKey();
    out.add("       pubkey:   " + String.format(Locale.ROOT, "%4d", bits(k)) + " " + algorithm(k) + " Key "
        + keyId(k) + (hasPrivateKey.test(k) ? ", has private key" : ""));
    Instant nb = c.getNotBefore().toInstant();
    out.add("       validity: not before " + time(nb) + " " + (nb.isBefore(now) ? "ok" : "fatal (not valid yet)"));
    Instant na = c.getNotAfter().toInstant();
    out.add("                 not after  " + time(na) + " "
        + OpenswanFormat.expiry(na, now, CA_CERT_WARNING_DAYS, RevocationPolicy.Strict.YES));
    byte[] ski = c.getExtensionValue(Extension.subjectKeyIdentifier.getId());
    if (ski != null) {
      try {
        out.add("       subjkey:  " + OpenswanFormat.colonHex(
            ASN1OctetString.getInstance(JcaX509ExtensionUtils.parseExtensionValue(ski)).getOctets()));
      } catch (java.io.IOException | RuntimeException e) {
        out.add("       subjkey:  (unreadable)");
      }
    }
    authKey(out, c.getExtensionValue(Extension.authorityKeyIdentifier.getId()));
  }

  private static void authKey(List<String> out, byte[] ext) {
    if (ext == null) {
      return;
    }
    try {
      AuthorityKeyIdentifier aki = AuthorityKeyIdentifier.getInstance(JcaX509ExtensionUtils.parseExtensionValue(ext));
      if (aki.getKeyIdentifier() != null) {
        out.add("       authkey:  " + OpenswanFormat.colonHex(aki.getKeyIdentifier()));
      }
      if (aki.getAuthorityCertSerialNumber() != null) {
        out.add("       aserial:  " + OpenswanFormat.serial(aki.getAuthorityCertSerialNumber()));
      }
    } catch (java.io.IOException | RuntimeException e) {
      out.add("       authkey:  (unreadable)");
    }
  }

  private static void heading(List<String> out, String title) {
    out.add(" ");
    out.add(title);
    out.add(" ");
  }

  private String time(Instant t) {
    return OpenswanFormat.time(t, zone);
  }

  static int bits(PublicKey k) {
    if (k instanceof RSAPublicKey r) {
      return r.getModulus().bitLength();
    }
    return switch (KeyKind.of(k).orElse(KeyKind.RSA)) {
      case ECDSA_P256, ED25519 -> 256;
      case ECDSA_P384 -> 384;
      case ECDSA_P521 -> 521;
      default -> 0;
    };
  }

  private static String algorithm(PublicKey k) {
    return KeyKind.of(k).map(kind -> kind == KeyKind.RSA ? "RSA" : kind == KeyKind.ED25519 ? "Ed25519" : "ECDSA")
        .orElse(k.getAlgorithm());
  }

  /** Openswan's keyid for RSA (9 base64 digits of the RFC 3110 blob); for other keys, of the SPKI's SHA-1. */
  static String keyId(PublicKey k) {
    if (k instanceof RSAPublicKey r) {
      return RsaAuth.keyId(r);
    }
    return Base64.getEncoder().encodeToString(digest("SHA-1", k.getEncoded())).substring(0, 9);
  }

  /** Openswan's CKAID: 20 bytes of SHA-256 over the RFC 3110 blob (RSA) or the SPKI (other keys). */
  private static byte[] ckaid(PublicKey k) {
    byte[] blob = k instanceof RSAPublicKey r ? RsaAuth.toRfc3110(r) : k.getEncoded();
    return Arrays.copyOf(digest("SHA-256", blob), 20);
  }

  private static byte[] digest(String alg, byte[] data) {
    try {
      return MessageDigest.getInstance(alg).digest(data);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(alg + " missing from the JDK", e);
    }
  }
}
