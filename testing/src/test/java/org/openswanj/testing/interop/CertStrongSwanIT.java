package org.openswanj.testing.interop;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.openswanj.testing.interop.PlutoPeers.CONN;

import java.nio.file.Path;
import java.security.KeyPair;
import java.security.cert.X509Certificate;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.openswanj.testing.lab.Host;
import org.openswanj.testing.lab.IkeSaInfo;
import org.openswanj.testing.lab.Lab;
import org.openswanj.testing.lab.Result;
import org.openswanj.testing.lab.StrongSwan;

/**
 * Issue 10's IKEv2 certificate interop, as an administrator runs it: pluto on west through bin/ipsec (klips, so
 * traffic flows) with leftcert=, leftid=%fromcert, a DN rightid and rightca=%same; a stock charon on east with
 * swanctl certificates. A CA made by the test signs both hosts. pluto initiates and responds; a certificate
 * from a CA pluto does not trust is refused with one log line and leaves no SA on either side.
 */
class CertStrongSwanIT {
  static final String CA_DN = "C=CA, O=Lab, CN=Lab CA";
  static final String WEST_DN = "C=CA, O=Lab, CN=west";
  static final String EAST_DN = "C=CA, O=Lab, CN=east";

  private Lab lab;
  /** 2 for IKEv2 (ikev2=insist), 1 for IKEv1 Main Mode (ikev2=never). */
  private int version = 2;
  private Host west;
  private StrongSwan east;

  @BeforeEach
  void up() {
    Lab.requirePluto();
    Lab.requireCharon();
    lab = Lab.up("ojc");
    west = lab.west();
    east = lab.east().strongSwan();
    east.start();
  }

  @AfterEach
  void down() {
    lab.close();
  }

  /**
   * pluto trusts {@code ca}; charon trusts {@code ca} too and presents {@code eastCert}. Keys are RSA or EC as given.
   */
  private void setUp(LabCa ca, KeyPair westKey, X509Certificate westCert, KeyPair eastKey, X509Certificate eastCert)
      throws Exception {
    Path d = west.ipsecDir();
    LabCa.write(d.resolve("cacerts/ca.pem"), ca.cert);
    LabCa.write(d.resolve("certs/west.pem"), westCert);
    LabCa.write(d.resolve("private/west.pem"), westKey);
    String kind = westKey.getPrivate().getAlgorithm().equals("RSA") ? "RSA" : "ECDSA";
    west.startPluto(ipsecConf(), ": " + kind + " west.pem\n");
    Path s = east.confDir();
    LabCa.write(s.resolve("x509ca/ca.pem"), ca.cert);
    LabCa.write(s.resolve("x509/east.pem"), eastCert);
    LabCa.write(s.resolve("private/east.pem"), eastKey);
    east.load(swanctlConf());
    west.ipsec("auto", "--add", CONN).requireOk();
  }

  private String ipsecConf() {
    Host e = lab.east();
    return "config setup\n\tprotostack=klips\n\tinterfaces=\"ipsec0=eth0\"\n\n"
        + "conn " + CONN + "\n\tikev2=" + (version == 2 ? "insist" : "never") + "\n\tauthby=rsasig\n"
        + "\tleft=" + west.address() + "\n\tleftsubnet=" + west.subnet() + "\n"
        + "\tleftcert=west.pem\n\tleftid=%fromcert\n\tleftsendcert=always\n"
        + "\tright=" + e.address() + "\n\trightsubnet=" + e.subnet() + "\n"
        + "\trightid=\"" + EAST_DN + "\"\n\trightca=%same\n"
        + (version == 2 ? "\tike=aes128gcm16-sha2_256;x25519\n\tesp=aes128gcm16\n"
            : "\tike=aes128-sha2_256-modp2048\n\tesp=aes128-sha1\n")
        + "\tauto=add\n";
  }

  private String swanctlConf() {
    Host e = lab.east();
    return "connections {\n  " + CONN + " {\n    version = " + version + "\n"
        + "    local_addrs = " + e.address() + "\n    remote_addrs = " + west.address() + "\n"
        + "    encap = yes\n    proposals = " + (version == 2 ? "aes128gcm16-prfsha256-x25519"
            : "aes128-sha256-modp2048") + "\n"
        + "    local {\n      auth = pubkey\n      certs = east.pem\n      id = \"" + EAST_DN + "\"\n    }\n"
        + "    remote {\n      auth = pubkey\n      id = \"" + WEST_DN + "\"\n    }\n"
        + "    children {\n      net {\n        local_ts = " + e.subnet() + "\n        remote_ts = " + west.subnet()
        + "\n        esp_proposals = " + (version == 2 ? "aes128gcm16" : "aes128-sha1-modp2048")
        + "\n        start_action = none\n      }\n    }\n  }\n}\n";
  }

  /** Both sides up with each other's DN, SPIs crossed, pings answered; returns pluto's --status. */
  private String assertTunnel(boolean plutoInitiated) {
    IkeSaInfo e = east.established(CONN);
    assertEquals(plutoInitiated, !e.initiator(), "who initiated");
    assertEquals(WEST_DN, e.remoteId(), "charon authenticated pluto's certificate DN");
    List<String[]> spis = PlutoPeers.childSpis(west);
    assertEquals(1, spis.size());
    assertEquals(spis.get(0)[1], e.child("net").spiIn(), "pluto's outbound SPI is charon's inbound");
    assertTrue(west.ping("192.0.2.254", "192.0.1.254", 4).allReplied(), "pings cross the tunnel");
    String status = west.ipsec("auto", "--status").requireOk().stdout();
    if (version == 2) {
      assertTrue(status.contains("peer='" + EAST_DN + "' issuer='" + CA_DN + "'"), status);
    }
    return status;
  }

  @Test
  void plutoInitiatesWithRsaCertificates() throws Exception {
    LabCa ca = new LabCa(CA_DN);
    KeyPair w = LabCa.rsa();
    KeyPair e = LabCa.rsa();
    setUp(ca, w, ca.issue(WEST_DN, w, "west.example.com"), e, ca.issue(EAST_DN, e, "east.example.com"));
    Result up = west.ipsec("auto", "--up", CONN);
    assertEquals(0, up.exitCode(), up + "\n" + west.plutoLog() + "\n" + east.log());
    assertTrue(up.stdout().contains("STATE_PARENT_I3: PARENT SA established")
        && up.stdout().contains("cert='" + EAST_DN + "'"), up.stdout());
    assertTunnel(true);
    String certs = west.ipsec("auto", "--listcerts").requireOk().stdout();
    assertTrue(certs.contains("List of X.509 End Certificates:") && certs.contains("subject: '" + WEST_DN + "'")
        && certs.contains("has private key"), certs);
    String cas = west.ipsec("auto", "--utc", "--listcacerts").requireOk().stdout();
    assertTrue(cas.contains("List of X.509 CA Certificates:") && cas.contains("subject: '" + CA_DN + "'")
        && cas.contains(" UTC"), cas);
    String all = west.ipsec("auto", "--listall").requireOk().stdout();
    assertTrue(all.contains("List of Public Keys:") && all.contains("ID_DER_ASN1_DN '" + EAST_DN + "'"), all);
  }

  @Test
  void charonInitiatesToPlutoWithEcdsaCertificates() throws Exception {
    LabCa ca = new LabCa(CA_DN);
    KeyPair w = LabCa.ec();
    KeyPair e = LabCa.ec();
    setUp(ca, w, ca.issue(WEST_DN, w, "west.example.com"), e, ca.issue(EAST_DN, e, "east.example.com"));
    east.initiate("net");
    assertEquals(List.of("STATE_PARENT_R2"), PlutoPeers.ikeStates(west));
    assertTunnel(false);
  }

  @Test
  void certificateFromAnUntrustedCaIsRefusedWithOneLine() throws Exception {
    LabCa ca = new LabCa(CA_DN);
    LabCa rogue = new LabCa("C=CA, O=Rogue, CN=Rogue CA");
    KeyPair w = LabCa.rsa();
    KeyPair e = LabCa.rsa();
    X509Certificate eastByRogue = rogue.issue(EAST_DN, e, "east.example.com");
    setUp(ca, w, ca.issue(WEST_DN, w, "west.example.com"), e, eastByRogue);
    // charon must trust its own CA to send its chain: give it the rogue CA as well
    LabCa.write(east.confDir().resolve("x509ca/rogue.pem"), rogue.cert);
    east.load(swanctlConf());
    Result up = west.ipsec("auto", "--up", CONN);
    assertTrue(up.exitCode() != 0, up.toString());
    String line = "certificate refused: certificate '" + EAST_DN + "' issued by 'C=CA, O=Rogue, CN=Rogue CA'"
        + " does not chain to a trusted CA in ipsec.d/cacerts";
    assertTrue(up.stdout().contains(line), up.stdout());
    assertEquals(1, west.plutoLog().lines().filter(l -> l.contains(line)).count(), west.plutoLog());
    assertTrue(PlutoPeers.ikeStates(west).isEmpty());
    PlutoPeers.await("charon keeps no IKE SA", () -> east.listSas().stream()
        .noneMatch(s -> s.state().equals("ESTABLISHED")), 10_000);
    assertFalse(west.ping("192.0.2.254", "192.0.1.254", 1).allReplied());
  }

  @Test
  void ikev1MainModePlutoInitiatesWithRsaCertificates() throws Exception {
    version = 1;
    LabCa ca = new LabCa(CA_DN);
    KeyPair w = LabCa.rsa();
    KeyPair e = LabCa.rsa();
    setUp(ca, w, ca.issue(WEST_DN, w, "west.example.com"), e, ca.issue(EAST_DN, e, "east.example.com"));
    Result up = west.ipsec("auto", "--up", CONN);
    assertEquals(0, up.exitCode(), up + "\n" + west.plutoLog() + "\n" + east.log());
    assertTrue(up.stdout().contains("STATE_MAIN_I4: ISAKMP SA established {auth=OAKLEY_RSA_SIG"), up.stdout());
    assertEquals(1, east.established(CONN).version());
    assertTunnel(true);
  }

  @Test
  void ikev1MainModeCharonInitiatesWithRsaCertificates() throws Exception {
    version = 1;
    LabCa ca = new LabCa(CA_DN);
    KeyPair w = LabCa.rsa();
    KeyPair e = LabCa.rsa();
    setUp(ca, w, ca.issue(WEST_DN, w, "west.example.com"), e, ca.issue(EAST_DN, e, "east.example.com"));
    east.initiate("net");
    assertTunnel(false);
  }
}
