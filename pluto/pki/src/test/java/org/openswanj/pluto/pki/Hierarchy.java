package org.openswanj.pluto.pki;

import java.security.KeyPair;
import java.security.cert.X509Certificate;
import java.time.Instant;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.KeyPurposeId;
import org.bouncycastle.asn1.x509.KeyUsage;

/**
 * The test PKI: an RSA-3072 root, an ECDSA P-384 intermediate under it, and host certificates of every kind the
 * tests need. Built once (key generation dominates), read only afterwards.
 */
final class Hierarchy {
  static final String O = "C=CA, O=Openswanj Test";
  static final long REVOKED_SERIAL = 0x42;

  final KeyPair rootKey;
  final X509Certificate root;
  final KeyPair interKey;
  final X509Certificate inter;
  final KeyPair otherRootKey;
  final X509Certificate otherRoot;
  final KeyPair hostRsa2048;
  final X509Certificate eastRsa2048;
  final X509Certificate westRsa3072;
  final X509Certificate eastEc256;
  final X509Certificate eastEc384;
  final X509Certificate expired;
  final X509Certificate notYetValid;
  final X509Certificate revoked;
  final X509Certificate codeSigningOnly;
  final X509Certificate certSignOnly;
  final X509Certificate rsa1024;
  final X509Certificate foreign;

  private static Hierarchy instance;

  static synchronized Hierarchy get() throws Exception {
    if (instance == null) {
      instance = new Hierarchy();
    }
    return instance;
  }

  private Hierarchy() throws Exception {
    rootKey = TestPki.rsa(3072);
    root = new TestPki.Spec(O + ", CN=Test Root CA", rootKey).asCa().serial(1).sign();
    interKey = TestPki.ec("secp384r1");
    inter = new TestPki.Spec(O + ", CN=Test Intermediate CA", interKey).asCa().serial(2)
        .by(root, rootKey.getPrivate()).sign();
    otherRootKey = TestPki.rsa(2048);
    otherRoot = new TestPki.Spec("C=XX, O=Elsewhere, CN=Other Root CA", otherRootKey).asCa().sign();
    hostRsa2048 = TestPki.rsa(2048);
    eastRsa2048 = host("east.example.org", hostRsa2048, root, rootKey, 10)
        .san(GeneralName.iPAddress, "192.0.2.23").san(GeneralName.rfc822Name, "east@example.org").sign();
    westRsa3072 = host("west.example.org", TestPki.rsa(3072), inter, interKey, 11)
        .san(GeneralName.iPAddress, "192.0.2.45").sign();
    eastEc256 = host("ec256.example.org", TestPki.ec("secp256r1"), inter, interKey, 12).sign();
    eastEc384 = host("ec384.example.org", TestPki.ec("secp384r1"), root, rootKey, 13).sign();
    KeyPair k = TestPki.rsa(2048);
    expired = host("expired.example.org", k, root, rootKey, 14)
        .valid(Instant.parse("2023-01-01T00:00:00Z"), Instant.parse("2024-01-01T00:00:00Z")).sign();
    notYetValid = host("future.example.org", k, root, rootKey, 15)
        .valid(Instant.parse("2026-01-01T00:00:00Z"), Instant.parse("2028-01-01T00:00:00Z")).sign();
    revoked = host("revoked.example.org", k, root, rootKey, REVOKED_SERIAL).sign();
    TestPki.Spec cs = host("codesign.example.org", k, root, rootKey, 17);
    cs.eku.add(KeyPurposeId.id_kp_codeSigning);
    codeSigningOnly = cs.sign();
    TestPki.Spec ku = host("certsign.example.org", k, root, rootKey, 18);
    ku.keyUsage = KeyUsage.keyCertSign;
    certSignOnly = ku.sign();
    rsa1024 = host("small.example.org", TestPki.rsa(1024), root, rootKey, 19).sign();
    foreign = host("mallory.example.org", k, otherRoot, otherRootKey, 20).sign();
  }

  /** A host certificate: digitalSignature, its FQDN as CN and as a dNSName SAN. */
  static TestPki.Spec host(String fqdn, KeyPair key, X509Certificate ca, KeyPair caKey, long serial) {
    TestPki.Spec s = new TestPki.Spec(O + ", CN=" + fqdn, key).by(ca, caKey.getPrivate()).serial(serial)
        .san(GeneralName.dNSName, fqdn);
    s.keyUsage = KeyUsage.digitalSignature;
    return s;
  }
}
