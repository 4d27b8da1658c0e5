package org.openswanj.pluto.pki;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.ZoneOffset;
import java.util.HexFormat;
import java.util.List;
import org.bouncycastle.cert.jcajce.JcaX509CertificateHolder;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openswanj.conf.SendCert;

/** Loading ipsec.d as Openswan 2.6 lays it out, CERTREQ/CR both ways, and what leftsendcert= sends. */
class FilesAndRequestsTest {
  private static Hierarchy h;
  private static final Clock CLOCK = Clock.fixed(TestPki.NOW, ZoneOffset.UTC);
  @TempDir
  Path dir;

  @BeforeAll
  static void pki() throws Exception {
    h = Hierarchy.get();
  }

  private IpsecD layout() throws Exception {
    IpsecD d = new IpsecD(dir);
    Files.createDirectories(d.certs());
    Files.createDirectories(d.cacerts());
    // PEM with the text openssl pkcs12 writes around it, DER, a host cert that is no CA, and junk.
    Files.writeString(d.cacerts().resolve("root.pem"), "Bag Attributes\n    friendlyName: root\n"
        + TestPki.pem("CERTIFICATE", h.root.getEncoded()));
    Files.write(d.cacerts().resolve("inter.der"), h.inter.getEncoded());
    Files.writeString(d.cacerts().resolve("host.pem"), TestPki.pem("CERTIFICATE", h.eastRsa2048.getEncoded()));
    Files.writeString(d.cacerts().resolve("junk.pem"), "-----BEGIN CERTIFICATE-----\nnot base64!\n"
        + "-----END CERTIFICATE-----\n");
    Files.writeString(d.certs().resolve("west.pem"), TestPki.pem("CERTIFICATE", h.westRsa3072.getEncoded()));
    return d;
  }

  @Test
  void ipsecDLoadsWithFileColonReasonDiagnostics() throws Exception {
    IpsecD d = layout();
    CaStore.Loaded cas = CaStore.load(d.cacerts());
    assertEquals(List.of(h.inter, h.root), cas.store().certificates());
    List<String> problems = cas.problems().stream().map(PkiProblem::toString).toList();
    assertEquals(2, problems.size(), problems.toString());
    assertTrue(problems.get(0).startsWith(d.cacerts().resolve("junk.pem") + ": not a valid PEM or DER certificate ("),
        problems.get(0));
    assertEquals(d.cacerts() + ": certificate 'C=CA, O=Openswanj Test, CN=east.example.org' is not a CA "
        + "certificate (no basicConstraints cA=TRUE), ignored", problems.get(1));
    assertEquals(List.of(d.dir().resolve("nope") + ": no such directory"),
        CaStore.load(d.dir().resolve("nope")).problems().stream().map(PkiProblem::toString).toList());

    // leftcert= relative to ipsec.d/certs, chain completed from cacerts, %fromcert from its subject.
    LocalCert west = LocalCert.load(d, "west.pem", cas.store(), CLOCK).cert().orElseThrow();
    assertEquals(List.of(h.inter), west.chain());
    assertEquals(List.of(h.westRsa3072, h.inter), west.toSend());
    assertEquals("C=CA, O=Openswanj Test, CN=west.example.org", west.subjectId().toString());
    LocalCert.Loaded missing = LocalCert.load(d, "east.pem", cas.store(), CLOCK);
    assertTrue(missing.cert().isEmpty());
    assertEquals(d.certs().resolve("east.pem") + ": no such file", missing.problems().get(0).toString());
    assertEquals(Path.of("/etc/x.pem"), d.certFile("/etc/x.pem"));
  }

  // RFC 7296 §3.7: CERTREQ data = SHA-1 of each trusted CA's SubjectPublicKeyInfo, concatenated.
  @Test
  void ikev2CertReqCarriesCaKeyHashes() throws Exception {
    CaStore cas = CaStore.of(List.of(h.root, h.inter));
    byte[] data = CertRequests.ikev2Data(cas);
    assertEquals(40, data.length);
    MessageDigest sha1 = MessageDigest.getInstance("SHA-1");
    // Computed independently from the TBS certificate's own SubjectPublicKeyInfo bytes.
    byte[] rootHash = sha1.digest(new JcaX509CertificateHolder(h.root).getSubjectPublicKeyInfo().getEncoded());
    assertArrayEquals(rootHash, java.util.Arrays.copyOf(data, 20));
    CertRequests.Requested req = CertRequests.fromIkev2(List.of(data, new byte[7]));
    assertTrue(req.asked());
    assertEquals(2, req.keyHashes().size());
    assertEquals(HexFormat.of().formatHex(rootHash), HexFormat.of().formatHex(req.keyHashes().get(0)));
    assertEquals(h.root, cas.byKeyHash(rootHash).orElseThrow());
  }

  // RFC 2408 §3.10: one CR per CA, its DER name; an empty CR asks for any CA.
  @Test
  void ikev1CertRequestsCarryCaNames() throws Exception {
    CaStore cas = CaStore.of(List.of(h.root));
    List<byte[]> crs = CertRequests.ikev1Data(cas);
    assertArrayEquals(h.root.getSubjectX500Principal().getEncoded(), crs.get(0));
    CertRequests.Requested req = CertRequests.fromIkev1(List.of(crs.get(0), new byte[0], new byte[] {1, 2}));
    assertEquals(List.of(h.root.getSubjectX500Principal()), req.names());
    assertTrue(req.asked());
  }

  @Test
  void sendcertAndTheChoiceOfCertificate() throws Exception {
    CaStore cas = CaStore.of(List.of(h.root, h.otherRoot));
    LocalCert east = new LocalCert(dir, h.eastRsa2048, List.of(), TestPki.NOW);
    LocalCert west = new LocalCert(dir, h.westRsa3072, List.of(h.inter), TestPki.NOW);
    LocalCert mallory = new LocalCert(dir, h.foreign, List.of(), TestPki.NOW);
    CertRequests.Requested none = CertRequests.Requested.NONE;
    CertRequests.Requested forRoot = CertRequests.fromIkev2(List.of(CaStore.keyHash(h.root)));
    assertEquals(List.of(h.eastRsa2048), CertRequests.toSend(SendCert.ALWAYS, east, none));
    assertEquals(List.of(), CertRequests.toSend(SendCert.IFASKED, east, none));
    assertEquals(List.of(h.westRsa3072, h.inter), CertRequests.toSend(SendCert.IFASKED, west, forRoot));
    assertEquals(List.of(), CertRequests.toSend(SendCert.NEVER, west, forRoot));
    assertTrue(CertRequests.underRequestedCa(west, forRoot, cas));
    assertFalse(CertRequests.underRequestedCa(mallory, forRoot, cas));
    assertEquals(east, CertRequests.choose(List.of(mallory, east), forRoot, cas).orElseThrow());
    assertEquals(mallory, CertRequests.choose(List.of(mallory, east), none, cas).orElseThrow());
    CertRequests.Requested byName = CertRequests.fromIkev1(List.of(h.otherRoot.getSubjectX500Principal()
        .getEncoded()));
    assertEquals(mallory, CertRequests.choose(List.of(east, mallory), byName, cas).orElseThrow());
  }

  // Openswan 2.6 programs/pluto/x509.c list_x509cert_chain, line for line.
  @Test
  void listcertsInOpenswansLayout() throws Exception {
    X509Certificate c = h.eastRsa2048;
    LocalCert east = new LocalCert(dir, c, List.of(), TestPki.NOW);
    List<String> lines = new Listings(CLOCK, ZoneOffset.UTC).certs(List.of(east), k -> true);
    String keyid = org.openswanj.pluto.crypto.RsaAuth.keyId((java.security.interfaces.RSAPublicKey) c.getPublicKey());
    assertEquals(List.of(" ", "List of X.509 End Certificates:", " ",
        "Jun 01 12:00:00 UTC 2025, count: 1",
        "       subject: 'C=CA, O=Openswanj Test, CN=east.example.org'",
        "       issuer:  'C=CA, O=Openswanj Test, CN=Test Root CA'",
        "       serial:   0a",
        "       pubkey:   2048 RSA Key " + keyid + ", has private key",
        "       validity: not before Jan 01 00:00:00 UTC 2025 ok",
        "                 not after  Jan 01 00:00:00 UTC 2027 ok"), lines.subList(0, 10));
    assertTrue(lines.get(10).matches("       subjkey:  ([0-9a-f]{2}:){19}[0-9a-f]{2}"), lines.get(10));
    assertTrue(lines.get(11).startsWith("       authkey:  "), lines.get(11));
    List<String> ca = new Listings(CLOCK, ZoneOffset.UTC).caCerts(CaStore.of(List.of(h.inter)), TestPki.NOW);
    assertEquals("List of X.509 CA Certificates:", ca.get(1));
    assertEquals("       pubkey:    384 ECDSA Key " + Listings.keyId(h.inter.getPublicKey()), ca.get(7));
    List<String> keys = new Listings(CLOCK, ZoneOffset.UTC).pubkeys(List.of(new Listings.PubkeyEntry(c, TestPki.NOW,
        Listings.PubkeyEntry.Origin.PEER, false)));
    assertTrue(keys.get(3).matches("Jun 01 12:00:00 UTC 2025, 2048 RSA dndsec key " + java.util.regex.Pattern.quote(keyid) + "/([0-9A-F]{4} ){9}"
        + "[0-9A-F]{4} \\(no private key\\), until Jan 01 00:00:00 UTC 2027 ok"), keys.get(3));
    assertEquals("       ID_DER_ASN1_DN 'C=CA, O=Openswanj Test, CN=east.example.org'", keys.get(4));
    assertEquals("       Issuer 'C=CA, O=Openswanj Test, CN=Test Root CA'", keys.get(5));
  }
}
