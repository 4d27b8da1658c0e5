package org.openswanj.testing.interop;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.openswanj.testing.interop.PlutoPeers.CONN;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.openswanj.testing.lab.Host;
import org.openswanj.testing.lab.IkeSaInfo;
import org.openswanj.testing.lab.Result;

/**
 * Issue 10's certificate interop, as an administrator runs it: pluto on west through bin/ipsec (klips, so traffic
 * flows) with leftcert=, leftid=%fromcert, a wildcard DN rightid and rightca=%same; a stock charon on east with
 * swanctl certificates. A root CA and an intermediate made by the test; the hosts' certificates come from the
 * intermediate. The matrix brings the tunnel up both ways (IKEv2; IKEv1 Main and Aggressive Mode, RSA and ECDSA);
 * each refusal (untrusted CA, expired, not yet valid, revoked by a CRL file or by a CRL fetched over HTTP) fails
 * {@code ipsec auto --up} with one log line naming the reason and leaves no SA on either side.
 */
class CertStrongSwanIT extends CharonLabTest {
  static final String ROOT_DN = "C=CA, O=Lab, CN=Lab Root CA";
  static final String CA_DN = "C=CA, O=Lab, CN=Lab Intermediate CA";
  static final String WEST_DN = "C=CA, O=Lab, CN=west";
  static final String EAST_DN = "C=CA, O=Lab, CN=east";
  /** Openswan's DN wildcard: any host certificate of the Lab organisation. */
  static final String RIGHT_ID = "C=CA, O=Lab, CN=*";
  static final int CRL_PORT = 8080;
  static final int OCSP_PORT = 8888;

  /** 2 for IKEv2 (ikev2=insist), 1 for IKEv1 (ikev2=never). */
  private int version = 2;
  /** IKEv1 Aggressive Mode (aggrmode=yes; charon's aggressive = yes) rather than Main Mode. */
  private boolean aggressive;
  /** Extra {@code config setup} lines for pluto. */
  private String setupLines = "";
  private Process crlServer;
  private Process ocspServer;

  CertStrongSwanIT() {
    super("ojc");
  }

  @AfterEach
  void down() throws InterruptedException {
    for (Process p : new Process[] {crlServer, ocspServer}) {
      if (p != null) {
        p.destroy();
        if (!p.waitFor(5, TimeUnit.SECONDS)) {
          p.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
        }
      }
    }
  }

  /** A root CA (RSA) and, under it, the intermediate that issues the host certificates. */
  private record Pki(LabCa root, LabCa ca) {
    static Pki make(boolean ecIntermediate) throws Exception {
      LabCa root = new LabCa(ROOT_DN);
      return new Pki(root, root.intermediate(CA_DN, ecIntermediate ? LabCa.ec() : LabCa.rsa()));
    }

    X509Certificate[] cas() {
      return new X509Certificate[] {root.cert, ca.cert};
    }
  }

  /**
   * pluto and charon both trust {@code cas} (written as caN.pem); pluto has {@code westCert}, charon presents
   * {@code eastCert}. Anything already in west's ipsec.d (a CRL) is read as pluto starts.
   */
  private void setUp(X509Certificate[] cas, KeyPair westKey, X509Certificate westCert, KeyPair eastKey,
      X509Certificate eastCert) throws Exception {
    Path d = west.ipsecDir();
    Path s = east.confDir();
    for (int i = 0; i < cas.length; i++) {
      LabCa.write(s.resolve("x509ca/ca" + (i + 1) + ".pem"), cas[i]);
    }
    west.startPluto(ipsecConf(), LabCa.installForPluto(d, "west", cas, westKey, westCert));
    LabCa.write(s.resolve("x509/east.pem"), eastCert);
    LabCa.write(s.resolve("private/east.pem"), eastKey);
    east.load(swanctlConf());
    west.ipsec("auto", "--add", CONN).requireOk();
  }

  private String ipsecConf() {
    Host e = lab.east();
    return "config setup\n\tprotostack=klips\n\tinterfaces=\"ipsec0=eth0\"\n" + setupLines + "\n"
        + "conn " + CONN + "\n\tikev2=" + (version == 2 ? "insist" : "never") + "\n\tauthby=rsasig\n"
        + "\tleft=" + west.address() + "\n\tleftsubnet=" + west.subnet() + "\n"
        + "\tleftcert=west.pem\n\tleftid=%fromcert\n\tleftsendcert=always\n"
        + "\tright=" + e.address() + "\n\trightsubnet=" + e.subnet() + "\n"
        // %same: the CA of our own certificate, the intermediate (Openswan 2.6's rule)
        + "\trightid=\"" + RIGHT_ID + "\"\n\trightca=%same\n"
        + (version == 2 ? "\tike=aes128gcm16-sha2_256;x25519\n\tesp=aes128gcm16\n"
            : "\tike=aes128-sha2_256-modp2048\n\tesp=aes128-sha1\n")
        + (aggressive ? "\taggrmode=yes\n" : "") + "\tauto=add\n";
  }

  private String swanctlConf() {
    Host e = lab.east();
    return "connections {\n  " + CONN + " {\n    version = " + version + "\n"
        + (aggressive ? "    aggressive = yes\n" : "")
        + "    local_addrs = " + e.address() + "\n    remote_addrs = " + west.address() + "\n"
        + "    encap = yes\n    proposals = " + (version == 2 ? "aes128gcm16-prfsha256-x25519"
            : "aes128-sha256-modp2048") + "\n"
        + "    local {\n      auth = pubkey\n      certs = east.pem\n      id = \"" + EAST_DN + "\"\n    }\n"
        + "    remote {\n      auth = pubkey\n      id = \"" + WEST_DN + "\"\n    }\n"
        + "    children {\n      net {\n        local_ts = " + e.subnet() + "\n        remote_ts = " + west.subnet()
        + "\n        esp_proposals = " + (version == 2 ? "aes128gcm16" : "aes128-sha1-modp2048")
        + "\n        start_action = none\n      }\n    }\n  }\n}\n";
  }

  /** Both sides up with each other's DN, SPIs crossed, pings answered. */
  private void assertTunnel(boolean plutoInitiated) {
    IkeSaInfo e = east.established(CONN);
    assertEquals(version, e.version(), "IKE version");
    assertEquals(plutoInitiated, !e.initiator(), "who initiated");
    assertEquals(WEST_DN, e.remoteId(), "charon authenticated pluto's certificate DN");
    List<String[]> spis = PlutoPeers.childSpis(west);
    assertEquals(1, spis.size());
    assertEquals(spis.get(0)[1], e.child("net").spiIn(), "pluto's outbound SPI is charon's inbound");
    assertEquals(spis.get(0)[0], e.child("net").spiOut(), "pluto's inbound SPI is charon's outbound");
    assertTrue(west.ping("192.0.2.254", "192.0.1.254", 4).allReplied(), "pings cross the tunnel");
    if (version == 2) {
      String status = west.ipsec("auto", "--status").requireOk().stdout();
      assertTrue(status.contains("peer='" + EAST_DN + "' issuer='" + CA_DN + "'"), status);
    }
  }

  /**
   * Issue 10's matrix with charon: each IKE version and key type, each side initiating; IKEv1 in Main Mode (MM)
   * and Aggressive Mode (AM) with signatures (RFC 2409 §5.1), ECDSA by RFC 4754. IKEv1's ECDSA hosts use P-384:
   * method 10 makes HASH_I/HASH_R with HMAC-SHA-384 while the proposal's PRF is SHA-256, so charon would refuse a
   * HASH made with the negotiated PRF. Each row brings the tunnel up twice on one lab: pluto initiates, pluto
   * takes it down ({@code ipsec auto --down}, charon's SAs go), then charon initiates to the same pluto.
   */
  @ParameterizedTest(name = "IKEv{0} {2} {1}, pluto then charon initiates")
  @CsvSource({
      "2, RSA, -",
      "2, ECDSA, -",
      "1, RSA, MM",
      "1, ECDSA, MM",
      "1, RSA, AM",
      "1, ECDSA, AM"})
  void matrix(int ikeVersion, String keys, String mode) throws Exception {
    version = ikeVersion;
    aggressive = mode.equals("AM");
    boolean ec = keys.equals("ECDSA");
    Pki pki = Pki.make(ec);
    String curve = version == 1 ? "secp384r1" : "secp256r1";
    KeyPair w = ec ? LabCa.ec(curve) : LabCa.rsa();
    KeyPair e = ec ? LabCa.ec(curve) : LabCa.rsa();
    setUp(pki.cas(), w, pki.ca().issue(WEST_DN, w, "west.example.com"), e,
        pki.ca().issue(EAST_DN, e, "east.example.com"));
    String method = ec ? "OAKLEY_ECDSA_P384" : "OAKLEY_RSA_SIG";

    Result up = west.ipsec("auto", "--up", CONN);
    assertEquals(0, up.exitCode(), up + "\n" + west.plutoLog() + "\n" + east.log());
    String established = version == 2 ? "STATE_PARENT_I3: PARENT SA established"
        : (aggressive ? "STATE_AGGR_I2: sent AI2, " : "STATE_MAIN_I4: ") + "ISAKMP SA established {auth=" + method;
    assertTrue(up.stdout().contains(established), up.stdout());
    if (version == 2) {
      assertTrue(up.stdout().contains("cert='" + EAST_DN + "' issuer='" + CA_DN + "'"), up.stdout());
    }
    assertTunnel(true);
    assertListings(ec);

    west.ipsec("auto", "--down", CONN).requireOk();
    PlutoPeers.await("charon and pluto hold no SA after pluto's down",
        () -> east.listSas().isEmpty() && PlutoPeers.ikeStates(west).isEmpty(), 30_000);
    int loggedBefore = west.plutoLog().split("ISAKMP SA established \\{auth=" + method, -1).length;
    Result r = east.swanctl("--initiate", "--child", "net", "--timeout", "30");
    assertTrue(r.ok(), r + "\n" + west.plutoLog() + "\n" + east.log());
    assertEquals(List.of(version == 2 ? "STATE_PARENT_R2" : aggressive ? "STATE_AGGR_R2" : "STATE_MAIN_R3"),
        PlutoPeers.ikeStates(west), west.plutoLog());
    if (version == 1) {
      assertTrue(west.plutoLog().split("ISAKMP SA established \\{auth=" + method, -1).length > loggedBefore,
          "pluto as responder logs the method:\n" + west.plutoLog());
    }
    assertTunnel(false);
  }

  /** What {@code ipsec auto --listcerts/--listcacerts/--listall} shows once the peer's key is known. */
  private void assertListings(boolean ec) {
    String certs = west.ipsec("auto", "--listcerts").requireOk().stdout();
    assertTrue(certs.contains("List of X.509 End Certificates:") && certs.contains("subject: '" + WEST_DN + "'")
        && certs.contains("has private key"), certs);
    String cas = west.ipsec("auto", "--utc", "--listcacerts").requireOk().stdout();
    assertTrue(cas.contains("List of X.509 CA Certificates:") && cas.contains("subject: '" + ROOT_DN + "'")
        && cas.contains("subject: '" + CA_DN + "'") && cas.contains(" UTC"), cas);
    String all = west.ipsec("auto", "--listall").requireOk().stdout();
    assertTrue(all.contains("List of Public Keys:") && all.contains("ID_DER_ASN1_DN '" + EAST_DN + "'"), all);
  }

  @Test
  void certificateFromAnUntrustedCaIsRefusedWithOneLine() throws Exception {
    Pki pki = Pki.make(false);
    LabCa rogue = new LabCa("C=CA, O=Rogue, CN=Rogue CA");
    KeyPair w = LabCa.rsa();
    KeyPair e = LabCa.rsa();
    setUp(pki.cas(), w, pki.ca().issue(WEST_DN, w, "west.example.com"), e,
        rogue.issue(EAST_DN, e, "east.example.com"));
    // charon must trust its own CA to send its chain: give it the rogue CA as well
    LabCa.write(east.confDir().resolve("x509ca/rogue.pem"), rogue.cert);
    east.load(swanctlConf());
    assertRefused("certificate '" + EAST_DN + "' issued by 'C=CA, O=Rogue, CN=Rogue CA'"
        + " does not chain to a trusted CA in ipsec.d/cacerts");
  }

  @Test
  void expiredCertificateIsRefused() throws Exception {
    Instant now = Instant.now();
    presentEast(now.minus(30, ChronoUnit.DAYS), now.minus(1, ChronoUnit.DAYS));
    assertRefused("certificate '" + EAST_DN + "' expired on ");
  }

  @Test
  void notYetValidCertificateIsRefused() throws Exception {
    Instant now = Instant.now();
    presentEast(now.plus(1, ChronoUnit.DAYS), now.plus(30, ChronoUnit.DAYS));
    assertRefused("certificate '" + EAST_DN + "' is not valid before ");
  }

  /** Charon presents a certificate from the intermediate valid {@code from} to {@code until}. */
  private void presentEast(Instant from, Instant until) throws Exception {
    Pki pki = Pki.make(false);
    KeyPair w = LabCa.rsa();
    KeyPair e = LabCa.rsa();
    setUp(pki.cas(), w, pki.ca().issue(WEST_DN, w, "west.example.com"), e,
        pki.ca().issue(EAST_DN, e, "east.example.com", from, until));
  }

  @Test
  void certificateRevokedByACrlFileIsRefused() throws Exception {
    Pki pki = Pki.make(false);
    KeyPair w = LabCa.rsa();
    KeyPair e = LabCa.rsa();
    X509Certificate eastCert = pki.ca().issue(EAST_DN, e, "east.example.com");
    LabCa.write(west.ipsecDir().resolve("crls/ca.crl"), pki.ca().crl(eastCert));
    setUp(pki.cas(), w, pki.ca().issue(WEST_DN, w, "west.example.com"), e, eastCert);
    String line = assertRefused("certificate '" + EAST_DN + "' (serial ");
    assertTrue(line.contains(") was revoked on ") && line.contains("(CRL from file " + west.ipsecDir()), line);
  }

  @Test
  void certificateRevokedByACrlFetchedOverHttpIsRefused() throws Exception {
    String uri = "http://" + lab.east().address() + ":" + CRL_PORT + "/ca.crl";
    setupLines = "\tcrlcheckinterval=600\n"; // fetch from distribution points (0, the default, never fetches)
    Pki pki = Pki.make(false);
    KeyPair w = LabCa.rsa();
    KeyPair e = LabCa.rsa();
    X509Certificate eastCert = pki.ca().issue(EAST_DN, e, "east.example.com", uri);
    Path served = lab.east().dir().resolve("crl-www");
    LabCa.writeDer(served.resolve("ca.crl"), pki.ca().crl(eastCert));
    setUp(pki.cas(), w, pki.ca().issue(WEST_DN, w, "west.example.com"), e, eastCert);
    serveOnEast(served);
    String line = assertRefused("certificate '" + EAST_DN + "' (serial ");
    assertTrue(line.contains(") was revoked on ") && line.contains("(CRL from " + uri + ")"), line);
    assertTrue(west.ipsec("auto", "--listcrls").requireOk().stdout().contains(uri), "the fetched CRL is listed");
  }

  @Test
  void certificateRevokedByOcspIsRefused() throws Exception {
    String uri = presentEastWithOcsp(true);
    String line = assertRefused("certificate '" + EAST_DN + "' (serial ");
    assertTrue(line.contains(") was revoked on ") && line.contains("(OCSP from " + uri + ")"), line);
  }

  /** Charon presents a certificate whose authorityInfoAccess names east's OCSP responder; returns its URI. */
  private String presentEastWithOcsp(boolean revoked) throws Exception {
    String uri = "http://" + lab.east().address() + ":" + OCSP_PORT + "/";
    Pki pki = Pki.make(false);
    KeyPair w = LabCa.rsa();
    KeyPair e = LabCa.rsa();
    X509Certificate eastCert = pki.ca().issueWithOcsp(EAST_DN, e, "east.example.com", uri);
    setUp(pki.cas(), w, pki.ca().issue(WEST_DN, w, "west.example.com"), e, eastCert);
    ocspOnEast(pki.ca(), eastCert, revoked);
    return uri;
  }

  @Test
  void certificateGoodByOcspComesUp() throws Exception {
    presentEastWithOcsp(false);
    Result up = west.ipsec("auto", "--up", CONN);
    assertEquals(0, up.exitCode(), up + "\n" + west.plutoLog());
    assertTunnel(true);
    Path log = lab.east().dir().resolve("ocsp.log");
    PlutoPeers.await("pluto asked the responder, which said good", () -> readQuietly(log)
        .contains("OCSP Request Data") && readQuietly(log).contains("Cert Status: good"), 5_000);
    assertFalse(west.plutoLog().contains("revocation status of certificate"), west.plutoLog());
  }

  /**
   * {@code openssl ocsp} as the intermediate's responder in east's namespace (RFC 6960 §4.2.2.2: the issuing CA
   * signs the responses itself), with {@code cert} good or revoked in its index; returns once it accepts.
   */
  private void ocspOnEast(LabCa ca, X509Certificate cert, boolean revoked) throws Exception {
    Host e = lab.east();
    Path d = e.dir().resolve("ocsp");
    LabCa.write(d.resolve("ca.pem"), ca.cert);
    LabCa.write(d.resolve("ca.key"), ca.key);
    java.time.format.DateTimeFormatter f = java.time.format.DateTimeFormatter.ofPattern("yyMMddHHmmss'Z'")
        .withZone(java.time.ZoneOffset.UTC);
    String serial = String.format("%02X", cert.getSerialNumber());
    String subject = "/" + cert.getSubjectX500Principal().getName().replace(",", "/");
    String expiry = f.format(cert.getNotAfter().toInstant());
    // OpenSSL's CA database (ca(1) "index.txt"): status, expiry, revocation date, serial, file, subject
    Files.writeString(d.resolve("index.txt"), (revoked ? "R" : "V") + "\t" + expiry + "\t"
        + (revoked ? f.format(Instant.now().minus(1, ChronoUnit.HOURS)) : "") + "\t" + serial + "\tunknown\t"
        + subject + "\n");
    ocspServer = new ProcessBuilder("ip", "netns", "exec", e.namespace(), "openssl", "ocsp", "-index",
        d.resolve("index.txt").toString(), "-port", String.valueOf(OCSP_PORT), "-rsigner", d.resolve("ca.pem")
        .toString(), "-rkey", d.resolve("ca.key").toString(), "-CA", d.resolve("ca.pem").toString(), "-ignore_err", "-text")
        .redirectErrorStream(true).redirectOutput(e.dir().resolve("ocsp.log").toFile())
        .redirectInput(new File("/dev/null")).start();
    // not probed by connecting: openssl's responder serves one connection at a time and waits on a silent one
    Path log = e.dir().resolve("ocsp.log");
    PlutoPeers.await("the OCSP responder on east listens", () -> ocspServer.isAlive() && Files.exists(log)
        && readQuietly(log).contains("waiting for OCSP client connections"), 10_000);
  }

  private static String readQuietly(Path p) {
    try {
      return Files.readString(p);
    } catch (IOException e) {
      return "";
    }
  }

  /** {@code python3 -m http.server} in east's namespace on its address; returns once it accepts connections. */
  private void serveOnEast(Path dir) throws IOException {
    Host e = lab.east();
    crlServer = new ProcessBuilder("ip", "netns", "exec", e.namespace(), "python3", "-m", "http.server",
        String.valueOf(CRL_PORT), "--bind", e.address(), "--directory", dir.toString())
        .redirectErrorStream(true).redirectOutput(e.dir().resolve("crl-http.log").toFile())
        .redirectInput(new File("/dev/null")).start();
    String probe = "import socket; socket.create_connection(('" + e.address() + "', " + CRL_PORT + "), 1)";
    PlutoPeers.await("the CRL server on east answers", () -> crlServer.isAlive()
        && west.exec("python3", "-c", probe).ok(), 10_000);
  }

  /**
   * pluto initiates; {@code auto --up} fails, pluto logs exactly one refusal line containing {@code reason}, and
   * neither side keeps an SA nor passes traffic. Returns that line.
   */
  private String assertRefused(String reason) {
    Result up = west.ipsec("auto", "--up", CONN);
    assertTrue(up.exitCode() != 0, up.toString());
    String refused = "certificate refused: " + reason;
    assertTrue(up.stdout().contains(refused), up.stdout());
    List<String> lines = west.plutoLog().lines().filter(l -> l.contains(refused)).toList();
    assertEquals(1, lines.size(), west.plutoLog());
    assertTrue(PlutoPeers.ikeStates(west).isEmpty());
    assertTrue(PlutoPeers.childSpis(west).isEmpty());
    PlutoPeers.await("charon keeps no IKE SA", () -> east.listSas().stream()
        .noneMatch(s -> s.state().equals("ESTABLISHED")), 10_000);
    assertFalse(west.ping("192.0.2.254", "192.0.1.254", 1).allReplied());
    return lines.get(0);
  }
}
