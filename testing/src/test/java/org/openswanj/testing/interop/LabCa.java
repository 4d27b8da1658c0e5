package org.openswanj.testing.interop;

import java.io.IOException;
import java.io.StringWriter;
import java.math.BigInteger;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.cert.X509CRL;
import java.security.cert.X509Certificate;
import java.security.spec.ECGenParameterSpec;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Date;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.AccessDescription;
import org.bouncycastle.asn1.x509.AuthorityInformationAccess;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.CRLDistPoint;
import org.bouncycastle.asn1.x509.CRLReason;
import org.bouncycastle.asn1.x509.DistributionPoint;
import org.bouncycastle.asn1.x509.DistributionPointName;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.cert.X509v2CRLBuilder;
import org.bouncycastle.cert.jcajce.JcaX509CRLConverter;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.openssl.jcajce.JcaPEMWriter;
import org.bouncycastle.openssl.jcajce.JcaPKCS8Generator;
import org.bouncycastle.operator.ContentSigner;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;

/** A CA the lab test makes with Bouncy Castle, and the PEM files pluto and charon read. */
final class LabCa {
  final String dn;
  final KeyPair key;
  final X509Certificate cert;
  private long serial = 2;

  LabCa(String dn) throws Exception {
    this(dn, rsa());
  }

  /** A self-signed root CA with {@code key}. */
  LabCa(String dn, KeyPair key) throws Exception {
    this.dn = dn;
    this.key = key;
    Instant now = Instant.now();
    this.cert = sign(dn, key, true, now.minus(1, ChronoUnit.DAYS), now.plus(365, ChronoUnit.DAYS), null);
  }

  private LabCa(String dn, KeyPair key, X509Certificate cert) {
    this.dn = dn;
    this.key = key;
    this.cert = cert;
  }

  /** An intermediate CA with {@code subjectKey}, issued (signed) by this one. */
  LabCa intermediate(String subject, KeyPair subjectKey) throws Exception {
    Instant now = Instant.now();
    return new LabCa(subject, subjectKey, sign(subject, subjectKey, true, now.minus(1, ChronoUnit.DAYS),
        now.plus(180, ChronoUnit.DAYS), null));
  }

  static KeyPair rsa() throws Exception {
    return rsa(2048);
  }

  static KeyPair rsa(int bits) throws Exception {
    KeyPairGenerator g = KeyPairGenerator.getInstance("RSA");
    g.initialize(bits);
    return g.generateKeyPair();
  }

  static KeyPair ec() throws Exception {
    return ec("secp256r1");
  }

  static KeyPair ec(String curve) throws Exception {
    KeyPairGenerator g = KeyPairGenerator.getInstance("EC");
    g.initialize(new ECGenParameterSpec(curve));
    return g.generateKeyPair();
  }

  /** A host certificate valid from {@code from} to {@code until}, with a DNS subjectAltName. */
  X509Certificate issue(String subject, KeyPair hostKey, String dns, Instant from, Instant until) throws Exception {
    return sign(subject, hostKey, false, from, until, dns);
  }

  /** A host certificate valid for 30 days, naming {@code crlUri} as its CRL distribution point (RFC 5280 §4.2.1.13). */
  X509Certificate issue(String subject, KeyPair hostKey, String dns, String crlUri) throws Exception {
    Instant now = Instant.now();
    return sign(subject, hostKey, false, now.minus(1, ChronoUnit.DAYS), now.plus(30, ChronoUnit.DAYS), dns,
        crlUri);
  }

  /** A host certificate valid for 30 days whose Authority Information Access names {@code ocspUri} (RFC 5280 §4.2.2.1). */
  X509Certificate issueWithOcsp(String subject, KeyPair hostKey, String dns, String ocspUri) throws Exception {
    Instant now = Instant.now();
    return sign(subject, hostKey, false, now.minus(1, ChronoUnit.DAYS), now.plus(30, ChronoUnit.DAYS), dns,
        null, ocspUri);
  }

  /** A CRL of this CA revoking {@code revoked}: thisUpdate an hour ago, nextUpdate in a day (RFC 5280 §5). */
  X509CRL crl(X509Certificate... revoked) throws Exception {
    Instant now = Instant.now();
    X509v2CRLBuilder b = new X509v2CRLBuilder(new X500Name(dn), Date.from(now.minus(1, ChronoUnit.HOURS)));
    b.setNextUpdate(Date.from(now.plus(1, ChronoUnit.DAYS)));
    for (X509Certificate c : revoked) {
      b.addCRLEntry(c.getSerialNumber(), Date.from(now.minus(1, ChronoUnit.HOURS)), CRLReason.keyCompromise);
    }
    return new JcaX509CRLConverter().getCRL(b.build(signer()));
  }

  X509Certificate issue(String subject, KeyPair hostKey, String dns) throws Exception {
    Instant now = Instant.now();
    return issue(subject, hostKey, dns, now.minus(1, ChronoUnit.DAYS), now.plus(30, ChronoUnit.DAYS));
  }

  private X509Certificate sign(String subject, KeyPair subjectKey, boolean ca, Instant from, Instant until,
      String dns) throws Exception {
    return sign(subject, subjectKey, ca, from, until, dns, null);
  }

  private X509Certificate sign(String subject, KeyPair subjectKey, boolean ca, Instant from, Instant until,
      String dns, String crlUri) throws Exception {
    return sign(subject, subjectKey, ca, from, until, dns, crlUri, null);
  }

  private X509Certificate sign(String subject, KeyPair subjectKey, boolean ca, Instant from, Instant until,
      String dns, String crlUri, String ocspUri) throws Exception {
    JcaX509v3CertificateBuilder b = new JcaX509v3CertificateBuilder(new X500Name(dn),
        BigInteger.valueOf(subject.equals(dn) ? 1 : serial++), Date.from(from), Date.from(until), new X500Name(subject),
        subjectKey.getPublic());
    if (ca) {
      b.addExtension(Extension.basicConstraints, true, new BasicConstraints(true));
      b.addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.keyCertSign | KeyUsage.cRLSign));
    } else {
      b.addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.digitalSignature));
      b.addExtension(Extension.subjectAlternativeName, false,
          new GeneralNames(new GeneralName(GeneralName.dNSName, dns)));
    }
    if (crlUri != null) {
      GeneralNames where = new GeneralNames(new GeneralName(GeneralName.uniformResourceIdentifier, crlUri));
      b.addExtension(Extension.cRLDistributionPoints, false, new CRLDistPoint(new DistributionPoint[] {
          new DistributionPoint(new DistributionPointName(where), null, null)}));
    }
    if (ocspUri != null) {
      b.addExtension(Extension.authorityInfoAccess, false, new AuthorityInformationAccess(
          AccessDescription.id_ad_ocsp, new GeneralName(GeneralName.uniformResourceIdentifier, ocspUri)));
    }
    return new JcaX509CertificateConverter().getCertificate(b.build(signer()));
  }

  /** Signs with this CA's key, in the algorithm that key makes (an EC intermediate signs with ECDSA). */
  private ContentSigner signer() throws Exception {
    String alg = key.getPrivate().getAlgorithm().equals("RSA") ? "SHA256withRSA" : "SHA256withECDSA";
    return new JcaContentSignerBuilder(alg).build(key.getPrivate());
  }

  static String pem(Object o) throws IOException {
    StringWriter w = new StringWriter();
    try (JcaPEMWriter p = new JcaPEMWriter(w)) {
      p.writeObject(o instanceof KeyPair kp ? new JcaPKCS8Generator(kp.getPrivate(), null) : o);
    }
    return w.toString();
  }

  /** Writes {@code crl} as DER to {@code file}, as a distribution point serves it. */
  static void writeDer(Path file, X509CRL crl) throws Exception {
    Files.createDirectories(file.getParent());
    Files.write(file, crl.getEncoded());
  }

  /**
   * pluto's side of a certificate conn, as an administrator installs it in {@code ipsecD}: {@code cas} as
   * cacerts/caN.pem, {@code cert} as certs/NAME.pem (for {@code leftcert=NAME.pem}) and {@code key} as
   * private/NAME.pem. Returns the ipsec.secrets line Openswan reads for that key: {@code : RSA NAME.pem} or
   * {@code : ECDSA NAME.pem}.
   */
  static String installForPluto(Path ipsecD, String name, X509Certificate[] cas, KeyPair key, X509Certificate cert)
      throws IOException {
    for (int i = 0; i < cas.length; i++) {
      write(ipsecD.resolve("cacerts/ca" + (i + 1) + ".pem"), cas[i]);
    }
    write(ipsecD.resolve("certs/" + name + ".pem"), cert);
    write(ipsecD.resolve("private/" + name + ".pem"), key);
    return ": " + (key.getPrivate().getAlgorithm().equals("RSA") ? "RSA" : "ECDSA") + " " + name + ".pem\n";
  }

  /** Writes {@code o} as PEM to {@code file}, mode 600 (private keys must not be readable by others). */
  static void write(Path file, Object o) throws IOException {
    Files.createDirectories(file.getParent());
    Files.writeString(file, pem(o));
    Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-------"));
  }
}
