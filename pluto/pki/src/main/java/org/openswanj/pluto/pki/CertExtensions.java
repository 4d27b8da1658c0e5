package org.openswanj.pluto.pki;

import java.io.IOException;
import java.net.URI;
import java.net.URISyntaxException;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.List;
import org.bouncycastle.asn1.ASN1Primitive;
import org.bouncycastle.asn1.ASN1String;
import org.bouncycastle.asn1.x509.AccessDescription;
import org.bouncycastle.asn1.x509.AuthorityInformationAccess;
import org.bouncycastle.asn1.x509.CRLDistPoint;
import org.bouncycastle.asn1.x509.DistributionPoint;
import org.bouncycastle.asn1.x509.DistributionPointName;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.cert.jcajce.JcaX509ExtensionUtils;

/** The URIs a certificate names for revocation: CRL distribution points and OCSP responders (RFC 5280). */
final class CertExtensions {
  private CertExtensions() {}

  /** RFC 5280 §4.2.1.13: the fullName URIs of the cRLDistributionPoints extension; empty if none or unreadable. */
  static List<URI> crlDistributionPoints(X509Certificate cert) {
    List<URI> out = new ArrayList<>();
    ASN1Primitive ext = extension(cert, Extension.cRLDistributionPoints.getId());
    if (ext == null) {
      return out;
    }
    try {
      for (DistributionPoint dp : CRLDistPoint.getInstance(ext).getDistributionPoints()) {
        DistributionPointName name = dp.getDistributionPoint();
        if (name != null && name.getType() == DistributionPointName.FULL_NAME) {
          addUris(GeneralNames.getInstance(name.getName()).getNames(), out);
        }
      }
    } catch (RuntimeException e) {
      return List.of();
    }
    return out;
  }

  /** RFC 5280 §4.2.2.1: the id-ad-ocsp URIs of the authorityInfoAccess extension. */
  static List<URI> ocspResponders(X509Certificate cert) {
    List<URI> out = new ArrayList<>();
    ASN1Primitive ext = extension(cert, Extension.authorityInfoAccess.getId());
    if (ext == null) {
      return out;
    }
    try {
      for (AccessDescription ad : AuthorityInformationAccess.getInstance(ext).getAccessDescriptions()) {
        if (AccessDescription.id_ad_ocsp.equals(ad.getAccessMethod())) {
          addUris(new GeneralName[] {ad.getAccessLocation()}, out);
        }
      }
    } catch (RuntimeException e) {
      return List.of();
    }
    return out;
  }

  private static void addUris(GeneralName[] names, List<URI> out) {
    for (GeneralName n : names) {
      if (n.getTagNo() == GeneralName.uniformResourceIdentifier && n.getName() instanceof ASN1String s) {
        try {
          out.add(new URI(s.getString()));
        } catch (URISyntaxException e) {
          // A malformed URI names nothing we can fetch; the others may still do.
        }
      }
    }
  }

  private static ASN1Primitive extension(X509Certificate cert, String oid) {
    byte[] v = cert.getExtensionValue(oid);
    if (v == null) {
      return null;
    }
    try {
      return JcaX509ExtensionUtils.parseExtensionValue(v).toASN1Primitive();
    } catch (IOException | RuntimeException e) {
      return null;
    }
  }
}
