package org.openswanj.pluto.pki;

import java.math.BigInteger;
import java.net.URI;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.cert.X509CRL;
import java.security.cert.X509Certificate;
import java.security.spec.ECGenParameterSpec;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Date;
import java.util.List;
import java.util.Map;
import org.bouncycastle.asn1.DERIA5String;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.AccessDescription;
import org.bouncycastle.asn1.x509.AuthorityInformationAccess;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.CRLDistPoint;
import org.bouncycastle.asn1.x509.CRLReason;
import org.bouncycastle.asn1.x509.DistributionPoint;
import org.bouncycastle.asn1.x509.DistributionPointName;
import org.bouncycastle.asn1.x509.ExtendedKeyUsage;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.asn1.x509.KeyPurposeId;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.cert.X509v2CRLBuilder;
import org.bouncycastle.cert.X509v3CertificateBuilder;
import org.bouncycastle.cert.jcajce.JcaX509CRLConverter;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509ExtensionUtils;
import org.bouncycastle.cert.jcajce.JcaX509v2CRLBuilder;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.operator.ContentSigner;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;

/** A test PKI made with Bouncy Castle inside the tests: CAs, host certificates and CRLs with chosen properties. */
final class TestPki {
  static final Instant NOW = Instant.parse("2025-06-01T12:00:00Z");
  static final Instant FROM = Instant.parse("2025-01-01T00:00:00Z");
  static final Instant UNTIL = Instant.parse("2027-01-01T00:00:00Z");

  private TestPki() {}

  static KeyPair rsa(int bits) throws Exception {
    KeyPairGenerator g = KeyPairGenerator.getInstance("RSA");
    g.initialize(bits);
    return g.generateKeyPair();
  }

  static KeyPair ec(String curve) throws Exception {
    KeyPairGenerator g = KeyPairGenerator.getInstance("EC");
    g.initialize(new ECGenParameterSpec(curve));
    return g.generateKeyPair();
  }

  /** A certificate being made; fields are set by the test, then {@link #sign}. */
  static final class Spec {
    String subject;
    KeyPair key;
    X509Certificate issuer;
    PrivateKey issuerKey;
    Instant notBefore = FROM;
    Instant notAfter = UNTIL;
    boolean ca;
    Integer keyUsage;
    List<KeyPurposeId> eku = new ArrayList<>();
    List<GeneralName> sans = new ArrayList<>();
    URI crl;
    URI ocsp;
    long serial = 1;

    Spec(String subject, KeyPair key) {
      this.subject = subject;
      this.key = key;
    }

    Spec by(X509Certificate issuer, PrivateKey issuerKey) {
      this.issuer = issuer;
      this.issuerKey = issuerKey;
      return this;
    }

    Spec serial(long s) {
      this.serial = s;
      return this;
    }

    Spec valid(Instant from, Instant until) {
      this.notBefore = from;
      this.notAfter = until;
      return this;
    }

    Spec asCa() {
      this.ca = true;
      this.keyUsage = KeyUsage.keyCertSign | KeyUsage.cRLSign;
      return this;
    }

    Spec san(int type, String value) {
      sans.add(new GeneralName(type, value));
      return this;
    }

    X509Certificate sign() throws Exception {
      // Written in DER order, as Openswan's configs write DNs ("C=.., O=.., CN=..").
      X500Name subj = new X500Name(subject);
      X500Name iss = issuer == null ? subj : X500Name.getInstance(issuer.getSubjectX500Principal().getEncoded());
      PrivateKey signer = issuer == null ? key.getPrivate() : issuerKey;
      X509v3CertificateBuilder b = new JcaX509v3CertificateBuilder(iss, BigInteger.valueOf(serial),
          Date.from(notBefore), Date.from(notAfter), subj, key.getPublic());
      JcaX509ExtensionUtils u = new JcaX509ExtensionUtils();
      b.addExtension(Extension.subjectKeyIdentifier, false, u.createSubjectKeyIdentifier(key.getPublic()));
      if (issuer != null) {
        b.addExtension(Extension.authorityKeyIdentifier, false, u.createAuthorityKeyIdentifier(issuer));
      }
      if (ca) {
        b.addExtension(Extension.basicConstraints, true, new BasicConstraints(true));
      }
      if (keyUsage != null) {
        b.addExtension(Extension.keyUsage, true, new KeyUsage(keyUsage));
      }
      if (!eku.isEmpty()) {
        b.addExtension(Extension.extendedKeyUsage, false, new ExtendedKeyUsage(eku.toArray(new KeyPurposeId[0])));
      }
      if (!sans.isEmpty()) {
        b.addExtension(Extension.subjectAlternativeName, false,
            new GeneralNames(sans.toArray(new GeneralName[0])));
      }
      if (crl != null) {
        GeneralNames gn = new GeneralNames(new GeneralName(GeneralName.uniformResourceIdentifier,
            new DERIA5String(crl.toString())));
        b.addExtension(Extension.cRLDistributionPoints, false, new CRLDistPoint(new DistributionPoint[] {
            new DistributionPoint(new DistributionPointName(gn), null, null)}));
      }
      if (ocsp != null) {
        b.addExtension(Extension.authorityInfoAccess, false, new AuthorityInformationAccess(new AccessDescription(
            AccessDescription.id_ad_ocsp, new GeneralName(GeneralName.uniformResourceIdentifier, ocsp.toString()))));
      }
      return new JcaX509CertificateConverter().getCertificate(b.build(signer(signer)));
    }
  }

  static ContentSigner signer(PrivateKey k) throws Exception {
    String alg = k.getAlgorithm().equals("RSA") ? "SHA256withRSA" : "SHA256withECDSA";
    return new JcaContentSignerBuilder(alg).build(k);
  }

  /** A CRL of {@code ca} listing {@code revoked} (serial → date). */
  static X509CRL crl(X509Certificate ca, PrivateKey caKey, Instant thisUpdate, Instant nextUpdate,
      Map<Long, Instant> revoked) throws Exception {
    X509v2CRLBuilder b = new JcaX509v2CRLBuilder(ca.getSubjectX500Principal(), Date.from(thisUpdate));
    b.setNextUpdate(Date.from(nextUpdate));
    revoked.forEach((serial, when) -> b.addCRLEntry(BigInteger.valueOf(serial), Date.from(when),
        CRLReason.keyCompromise));
    b.addExtension(Extension.authorityKeyIdentifier, false,
        new JcaX509ExtensionUtils().createAuthorityKeyIdentifier(ca));
    return new JcaX509CRLConverter().getCRL(b.build(signer(caKey)));
  }

  static String pem(String type, byte[] der) {
    return "-----BEGIN " + type + "-----\n" + java.util.Base64.getMimeEncoder(64, new byte[] {'\n'})
        .encodeToString(der) + "\n-----END " + type + "-----\n";
  }
}
