package org.openswanj.testing.interop;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.openswanj.testing.interop.CertStrongSwanIT.CA_DN;
import static org.openswanj.testing.interop.CertStrongSwanIT.EAST_DN;
import static org.openswanj.testing.interop.CertStrongSwanIT.RIGHT_ID;
import static org.openswanj.testing.interop.CertStrongSwanIT.ROOT_DN;
import static org.openswanj.testing.interop.CertStrongSwanIT.WEST_DN;
import static org.openswanj.testing.interop.PlutoPeers.CONN;

import java.security.KeyPair;
import java.security.cert.X509Certificate;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;
import org.openswanj.testing.lab.Host;
import org.openswanj.testing.lab.Lab;
import org.openswanj.testing.lab.Result;

/**
 * Issue 10's certificate matrix pluto to pluto, as two administrators run it: each host's pluto through bin/ipsec
 * on klips, with {@code leftcert=} under ipsec.d/certs, its key under ipsec.d/private named in ipsec.secrets
 * ({@code : RSA west.pem} / {@code : ECDSA west.pem}), the root and intermediate in ipsec.d/cacerts,
 * {@code leftid=%fromcert} and {@code rightca=%same}. West names east with Openswan's wildcard DN
 * ({@code C=CA, O=Lab, CN=*}), east names west by its exact DN. Each row ({RSA, ECDSA} × {IKEv1 Main Mode,
 * IKEv2}) brings the tunnel up with west initiating, takes it down, and brings it up with east initiating: each
 * pluto is initiator once and responder once, and pings cross every time. The refusals (an ID the certificate
 * does not carry, a CA the responder does not trust), in both IKE versions, leave the responder's one log line
 * naming the reason and no IPsec SA on either side; in IKEv2 {@code auto --up} fails at once (AUTHENTICATION_FAILED),
 * in IKEv1 the initiator is left resending MI3 (see {@link #assertRefused}).
 */
class PlutoCertIT {
  static final String OTHER_ROOT_DN = "C=CA, O=Other, CN=Other Root CA";

  /** One PKI for the class (RSA 2048 generation is what costs): the lab root and two intermediates under it. */
  private static LabCa root;
  private static LabCa rsaCa;
  private static LabCa ecCa;
  private static LabCa otherRoot;
  private static KeyPair westRsa;
  private static KeyPair eastRsa;
  private static X509Certificate westRsaCert;
  private static X509Certificate eastRsaCert;

  private Lab lab;
  private Host west;
  private Host east;

  @BeforeAll
  static void pki() throws Exception {
    root = new LabCa(ROOT_DN);
    rsaCa = root.intermediate(CA_DN, LabCa.rsa());
    ecCa = root.intermediate(CA_DN, LabCa.ec());
    otherRoot = new LabCa(OTHER_ROOT_DN);
    westRsa = LabCa.rsa();
    eastRsa = LabCa.rsa();
    westRsaCert = rsaCa.issue(WEST_DN, westRsa, "west.example.com");
    eastRsaCert = rsaCa.issue(EAST_DN, eastRsa, "east.example.com");
  }

  @BeforeEach
  void up() {
    Lab.requirePluto();
    lab = Lab.up("ojpc");
    west = lab.west();
    east = lab.east();
  }

  @AfterEach
  void down() {
    lab.stopPlutosAndClose();
  }

  /** Host {@code me}'s conn towards {@code peer}: its certificate NAME.pem, the peer by {@code peerId}. */
  private static String ipsecConf(Host me, Host peer, int version, String myId, String peerId, String... lines) {
    StringBuilder b = new StringBuilder("config setup\n\tprotostack=klips\n\tinterfaces=\"ipsec0=eth0\"\n\n")
        .append("conn ").append(CONN).append("\n\tikev2=").append(version == 2 ? "insist" : "never")
        .append("\n\tauthby=rsasig\n")
        .append("\tleft=").append(me.address()).append("\n\tleftsubnet=").append(me.subnet()).append('\n')
        .append("\tleftcert=").append(me.name()).append(".pem\n\tleftid=").append(myId)
        .append("\n\tleftsendcert=always\n")
        .append("\tright=").append(peer.address()).append("\n\trightsubnet=").append(peer.subnet()).append('\n')
        // %same: the CA of our own certificate, the intermediate (Openswan 2.6's rule)
        .append("\trightid=\"").append(peerId).append("\"\n\trightca=%same\n")
        .append(version == 2 ? "\tike=aes128gcm16-sha2_256;x25519\n\tesp=aes128gcm16\n"
            : "\tike=aes128-sha2_256-modp2048\n\tesp=aes128-sha1\n");
    for (String l : lines) {
      b.append('\t').append(l).append('\n');
    }
    return b.append("\tauto=add\n").toString();
  }

  /** Installs {@code h}'s certificate, key and CAs, starts its pluto with {@code conf} and adds the conn. */
  private static void start(Host h, String conf, X509Certificate[] cas, KeyPair key, X509Certificate cert)
      throws Exception {
    h.startPluto(conf, LabCa.installForPluto(h.ipsecDir(), h.name(), cas, key, cert));
    h.ipsec("auto", "--add", CONN).requireOk();
  }

  /**
   * Issue 10's matrix. IKEv1's ECDSA hosts use P-384 (RFC 4754 method 10 hashes with SHA-384 whatever the
   * proposal's PRF), IKEv2's P-256 (RFC 7427 digital signature with SHA-256).
   */
  @ParameterizedTest(name = "IKEv{0} {1}: west initiates, then east")
  @CsvSource({"2, RSA", "2, ECDSA", "1, RSA", "1, ECDSA"})
  void bothPlutosInitiateAndRespond(int version, String keys) throws Exception {
    boolean ec = keys.equals("ECDSA");
    LabCa ca = ec ? ecCa : rsaCa;
    String curve = version == 1 ? "secp384r1" : "secp256r1";
    KeyPair w = ec ? LabCa.ec(curve) : westRsa;
    KeyPair e = ec ? LabCa.ec(curve) : eastRsa;
    X509Certificate[] cas = {root.cert, ca.cert};
    start(east, ipsecConf(east, west, version, "%fromcert", WEST_DN), cas, e,
        ec ? ca.issue(EAST_DN, e, "east.example.com") : eastRsaCert);
    start(west, ipsecConf(west, east, version, "%fromcert", RIGHT_ID), cas, w,
        ec ? ca.issue(WEST_DN, w, "west.example.com") : westRsaCert);
    String method = ec ? "OAKLEY_ECDSA_P384" : "OAKLEY_RSA_SIG";

    upFrom(west, east, version, method);
    assertTrue(west.ping("192.0.2.254", "192.0.1.254", 3).allReplied(), "pings cross, west initiated");
    Result down = west.ipsec("auto", "--down", CONN);
    assertEquals(0, down.exitCode(), down.toString());
    PlutoPeers.await("east saw west's Delete", () -> PlutoPeers.childSpis(east).isEmpty()
        && PlutoPeers.ikeStates(east).isEmpty(), 10_000);
    assertTrue(PlutoPeers.childSpis(west).isEmpty(), "--down left no IPsec SA on west");

    upFrom(east, west, version, method);
    assertTrue(east.ping("192.0.1.254", "192.0.2.254", 3).allReplied(), "pings cross, east initiated");
    assertTrue(west.ping("192.0.2.254", "192.0.1.254", 2).allReplied(), "and back");
  }

  /**
   * {@code initiator} brings the conn up; both plutos then hold one IPsec SA with crossed SPIs, authenticated by
   * the peer's certificate (IKEv2's status line names it; IKEv1 says which signature method authenticated).
   */
  private void upFrom(Host initiator, Host responder, int version, String method) {
    Result up = initiator.ipsec("auto", "--up", CONN);
    assertEquals(0, up.exitCode(), up + "\n" + initiator.plutoLog() + "\n" + responder.plutoLog());
    String responderDn = responder == east ? EAST_DN : WEST_DN;
    String initiatorDn = responder == east ? WEST_DN : EAST_DN;
    if (version == 2) {
      assertTrue(up.stdout().contains("STATE_PARENT_I3: PARENT SA established"), up.stdout());
      assertTrue(up.stdout().contains("cert='" + responderDn + "' issuer='" + CA_DN + "'"), up.stdout());
    } else {
      assertTrue(up.stdout().contains("STATE_MAIN_I4: ISAKMP SA established {auth=" + method), up.stdout());
      assertTrue(responder.plutoLog().contains("ISAKMP SA established {auth=" + method), responder.plutoLog());
    }
    assertEquals(List.of(version == 2 ? "STATE_PARENT_R2" : "STATE_MAIN_R3"), PlutoPeers.ikeStates(responder),
        responder.plutoLog());
    List<String[]> i = PlutoPeers.childSpis(initiator);
    List<String[]> r = PlutoPeers.childSpis(responder);
    assertEquals(1, i.size(), "one IPsec SA on the initiator");
    assertEquals(1, r.size(), "one IPsec SA on the responder");
    assertEquals(i.get(0)[1], r.get(0)[0], "initiator's outbound SPI is the responder's inbound");
    assertEquals(i.get(0)[0], r.get(0)[1], "responder's outbound SPI is the initiator's inbound");
    if (version == 2) {
      assertTrue(status(initiator).contains("peer='" + responderDn + "' issuer='" + CA_DN + "'"),
          status(initiator));
      assertTrue(status(responder).contains("peer='" + initiatorDn + "' issuer='" + CA_DN + "'"),
          status(responder));
    }
  }

  private static String status(Host h) {
    return h.ipsec("whack", "--status").requireOk().stdout();
  }

  /**
   * West presents its own certificate (CN=west, subjectAltName west.example.com) under an ID it does not carry;
   * east, which expects that ID, finds it in neither the subject nor a subjectAltName and refuses (RFC 4945
   * §3.1: the ID must be bound to the certificate). West's pluto adds and initiates such a conn without a word, so
   * the refusal is east's.
   */
  @ParameterizedTest(name = "IKEv{0}")
  @ValueSource(ints = {2, 1})
  void anIdNotInTheCertificateIsRefused(int version) throws Exception {
    X509Certificate[] cas = {root.cert, rsaCa.cert};
    String mallory = "@mallory.example.com";
    start(east, ipsecConf(east, west, version, "%fromcert", mallory), cas, eastRsa, eastRsaCert);
    start(west, ipsecConf(west, east, version, mallory, RIGHT_ID, "keyingtries=1"), cas, westRsa, westRsaCert);
    assertRefused(version, "ID '" + mallory + "' is not in certificate '" + WEST_DN
        + "' (subjectAltName DNS:west.example.com)");
  }

  /** West's certificate comes from a root east does not hold in ipsec.d/cacerts (RFC 5280 §6: no path). */
  @ParameterizedTest(name = "IKEv{0}")
  @ValueSource(ints = {2, 1})
  void aCertificateFromAnUnknownCaIsRefused(int version) throws Exception {
    start(east, ipsecConf(east, west, version, "%fromcert", WEST_DN),
        new X509Certificate[] {root.cert, rsaCa.cert}, eastRsa, eastRsaCert);
    start(west, ipsecConf(west, east, version, "%fromcert", RIGHT_ID, "keyingtries=1")
            .replace("\trightca=%same\n", "\trightca=\"" + CA_DN + "\"\n"),
        new X509Certificate[] {root.cert, rsaCa.cert, otherRoot.cert}, westRsa,
        otherRoot.issue(WEST_DN, westRsa, "west.example.com"));
    assertRefused(version, "certificate '" + WEST_DN + "' issued by '" + OTHER_ROOT_DN
        + "' does not chain to a trusted CA in ipsec.d/cacerts");
  }

  /**
   * West initiates; east logs exactly one refusal line containing {@code reason}; neither pluto keeps an IPsec SA
   * and no traffic crosses. IKEv2: east answers AUTHENTICATION_FAILED (RFC 7296 §2.21.2), so {@code auto --up}
   * fails at once. IKEv1: east drops the exchange after MI3, as Openswan does, and west resends MI3 until it gives
   * up ("Possible authentication failure", about two minutes of retransmissions), so west initiates with
   * {@code --asynchronous} and the test checks what the tunnel looks like meanwhile: no SA past Main Mode on west.
   */
  private void assertRefused(int version, String reason) {
    String refused = "certificate refused: " + reason;
    if (version == 2) {
      Result up = west.ipsec("auto", "--up", CONN);
      assertTrue(up.exitCode() != 0, up + "\n" + west.plutoLog() + "\n" + east.plutoLog());
      assertTrue(up.stdout().contains("AUTHENTICATION_FAILED"), up.stdout());
    } else {
      west.ipsec("auto", "--asynchronous", "--up", CONN).requireOk();
      PlutoPeers.await("east refuses west's certificate", () -> east.plutoLog().contains(refused), 10_000);
      assertEquals(List.of("STATE_MAIN_I3"), PlutoPeers.ikeStates(west), "west still waits for MR3");
    }
    List<String> lines = east.plutoLog().lines().filter(l -> l.contains("certificate refused")).toList();
    assertEquals(1, lines.size(), east.plutoLog());
    assertTrue(lines.get(0).contains(refused), lines.get(0));
    PlutoPeers.await("east keeps no IKE SA", () -> PlutoPeers.ikeStates(east).isEmpty(), 10_000);
    assertTrue(PlutoPeers.childSpis(east).isEmpty(), "no IPsec SA on east");
    assertTrue(PlutoPeers.childSpis(west).isEmpty(), "no IPsec SA on west");
    assertFalse(west.ping("192.0.2.254", "192.0.1.254", 1).allReplied());
  }
}
