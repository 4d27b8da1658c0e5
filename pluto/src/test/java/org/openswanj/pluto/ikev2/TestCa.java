package org.openswanj.pluto.ikev2;

import java.io.IOException;
import java.io.StringWriter;
import java.math.BigInteger;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.cert.X509Certificate;
import java.security.spec.ECGenParameterSpec;
import java.time.Instant;
import java.util.Date;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.openssl.jcajce.JcaPEMWriter;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;

/** A CA made inside the test with Bouncy Castle, and ipsec.d trees (cacerts/, certs/, private/) for hosts. */
public final class TestCa {
  public static final Instant FROM = Instant.parse("2025-01-01T00:00:00Z");
  public static final Instant UNTIL = Instant.parse("2030-01-01T00:00:00Z");

  public final String dn;
  public final KeyPair key;
  public final X509Certificate cert;
  private long serial = 2;

  public TestCa(String dn, KeyPair key) throws Exception {
    this.dn = dn;
    this.key = key;
    this.cert = sign(dn, key, dn, key, true, FROM, UNTIL, null, 1);
  }

  public static KeyPair rsa() throws Exception {
    KeyPairGenerator g = KeyPairGenerator.getInstance("RSA");
    g.initialize(2048);
    return g.generateKeyPair();
  }

  public static KeyPair ec() throws Exception {
    KeyPairGenerator g = KeyPairGenerator.getInstance("EC");
    g.initialize(new ECGenParameterSpec("secp256r1"));
    return g.generateKeyPair();
  }

  /** A host certificate with a DNS subjectAltName. */
  public X509Certificate issue(String subject, KeyPair hostKey, String dnsSan, Instant from, Instant until) throws Exception {
    return sign(subject, hostKey, dn, key, false, from, until, dnsSan, serial++);
  }

  private static X509Certificate sign(String subject, KeyPair subjectKey, String issuer, KeyPair issuerKey,
      boolean ca, Instant from, Instant until, String dnsSan, long serial) throws Exception {
    JcaX509v3CertificateBuilder b = new JcaX509v3CertificateBuilder(new X500Name(issuer), BigInteger.valueOf(serial),
        Date.from(from), Date.from(until), new X500Name(subject), subjectKey.getPublic());
    if (ca) {
      b.addExtension(Extension.basicConstraints, true, new BasicConstraints(true));
      b.addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.keyCertSign | KeyUsage.cRLSign));
    } else {
      b.addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.digitalSignature));
    }
    if (dnsSan != null) {
      b.addExtension(Extension.subjectAlternativeName, false,
          new GeneralNames(new GeneralName(GeneralName.dNSName, dnsSan)));
    }
    String alg = issuerKey.getPrivate().getAlgorithm().equals("RSA") ? "SHA256withRSA" : "SHA256withECDSA";
    return new JcaX509CertificateConverter().getCertificate(
        b.build(new JcaContentSignerBuilder(alg).build(issuerKey.getPrivate())));
  }

  public static String pem(Object o) throws IOException {
    StringWriter w = new StringWriter();
    try (JcaPEMWriter p = new JcaPEMWriter(w)) {
      p.writeObject(o);
    }
    return w.toString();
  }

  /**
   * Writes an ipsec.d for a host: {@code trusted} in cacerts/ca.pem, the host's certificate in certs/NAME.pem, its
   * key in private/NAME.pem (mode 600). Returns the ipsec.secrets line for the key.
   */
  public static String ipsecD(Path dir, X509Certificate trusted, String name, X509Certificate hostCert, KeyPair hostKey)
      throws IOException {
    Files.createDirectories(dir.resolve("cacerts"));
    Files.createDirectories(dir.resolve("certs"));
    Files.createDirectories(dir.resolve("private"));
    Files.writeString(dir.resolve("cacerts/ca.pem"), pem(trusted));
    Files.writeString(dir.resolve("certs/" + name + ".pem"), pem(hostCert));
    Path k = dir.resolve("private/" + name + ".pem");
    Files.writeString(k, pem(new org.bouncycastle.openssl.jcajce.JcaPKCS8Generator(hostKey.getPrivate(), null)));
    Files.setPosixFilePermissions(k, PosixFilePermissions.fromString("rw-------"));
    return ": " + (hostKey.getPrivate().getAlgorithm().equals("RSA") ? "RSA" : "ECDSA") + " " + name + ".pem\n";
  }
}
