package org.openswanj.testing.interop;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.openswanj.testing.interop.PlutoPeers.CONN;

import java.nio.file.Path;
import java.security.KeyPair;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.openswanj.testing.lab.Host;
import org.openswanj.testing.lab.IkeSaInfo;
import org.openswanj.testing.lab.Lab;
import org.openswanj.testing.lab.Result;

/**
 * IKEv2 fragmentation (RFC 7383) against a stock charon, as issue 10 asks: a chain of 4096-bit RSA keys (root CA,
 * intermediate CA, host) makes IKE_AUTH several kilobytes; the lab's link has MTU 1280 and both hosts drop IP
 * fragments (an nft rule), so IKE_AUTH can only cross as IKE fragments. pluto (bin/ipsec, klips, default
 * fragmentation=yes) initiates and responds; charon has {@code fragmentation = yes}. Both logs show fragments sent and reassembled,
 * pluto's --status counts them, and pings cross the tunnel.
 */
class FragmentationStrongSwanIT extends CharonLabTest {
  static final String ROOT_DN = "C=CA, O=Lab, CN=Lab Root CA";
  static final String INTER_DN = "C=CA, O=Lab, CN=Lab Intermediate CA";
  static final String WEST_DN = "C=CA, O=Lab, CN=west";
  static final String EAST_DN = "C=CA, O=Lab, CN=east";
  /** RFC 7383 §2.5.1: 576 − 20 (IPv4) − 8 (UDP) − 4 (non-ESP marker: encap = yes moves IKE to port 4500). */
  private static final Pattern SENT = Pattern.compile("sending IKE_AUTH (request|response) of (\\d+) bytes in (\\d+)"
      + " fragments of at most 544 bytes");
  private static final Pattern RECEIVED = Pattern.compile("received IKE_AUTH (request|response) in (\\d+) fragments");

  FragmentationStrongSwanIT() {
    super("ojg");
  }

  @Override
  void prepare() throws Exception {
    Lab.requireCommand("nft", "nftables");
    for (Host h : List.of(west, lab.east())) {
      // a small-MTU path that loses IP fragments (issue 10): only IKE fragments get a big IKE_AUTH across
      h.exec("ip", "link", "set", "dev", "eth0", "mtu", "1280").requireOk();
      // at priority -450, before conntrack's defragmentation (-400) hides the fragments from any later rule
      h.exec("nft", "add table ip ojfrag; add chain ip ojfrag pre { type filter hook prerouting priority -450; };"
          + " add rule ip ojfrag pre ip frag-off & 0x3fff != 0 drop").requireOk();
    }
    // the path works for small datagrams and loses big ones (IP fragments), so the test can fail
    String eastAddr = lab.east().address();
    west.exec("ping", "-c", "1", "-W", "2", eastAddr).requireOk();
    assertTrue(west.exec("ping", "-c", "1", "-W", "1", "-s", "2000", eastAddr).exitCode() != 0,
        "a 2000-byte ping (IP fragments) must be lost");
  }

  private LabCa root;

  private void setUp() throws Exception {
    setUp(true);
  }

  /** The PKI and both daemons; pluto's ipsec.d/cacerts holds the two CAs only if {@code casAtWest}. */
  private void setUp(boolean casAtWest) throws Exception {
    root = new LabCa(ROOT_DN, LabCa.rsa(4096));
    LabCa inter = root.intermediate(INTER_DN, LabCa.rsa(4096));
    KeyPair w = LabCa.rsa(4096);
    KeyPair e = LabCa.rsa(4096);
    Path d = west.ipsecDir();
    java.nio.file.Files.createDirectories(d.resolve("cacerts"));
    if (casAtWest) {
      LabCa.write(d.resolve("cacerts/root.pem"), root.cert);
      LabCa.write(d.resolve("cacerts/inter.pem"), inter.cert);
    }
    LabCa.write(d.resolve("certs/west.pem"), inter.issue(WEST_DN, w, "west.example.com"));
    LabCa.write(d.resolve("private/west.pem"), w);
    west.startPluto(ipsecConf(), ": RSA west.pem\n");
    Path s = east.confDir();
    LabCa.write(s.resolve("x509ca/root.pem"), root.cert);
    LabCa.write(s.resolve("x509ca/inter.pem"), inter.cert);
    LabCa.write(s.resolve("x509/east.pem"), inter.issue(EAST_DN, e, "east.example.com"));
    LabCa.write(s.resolve("private/east.pem"), e);
    east.load(swanctlConf());
    west.ipsec("auto", "--add", CONN).requireOk();
  }

  private String ipsecConf() {
    Host e = lab.east();
    return "config setup\n\tprotostack=klips\n\tinterfaces=\"ipsec0=eth0\"\n\n"
        + "conn " + CONN + "\n\tikev2=insist\n\tauthby=rsasig\n"
        + "\tleft=" + west.address() + "\n\tleftsubnet=" + west.subnet() + "\n"
        + "\tleftcert=west.pem\n\tleftid=%fromcert\n\tleftsendcert=always\n"
        + "\tright=" + e.address() + "\n\trightsubnet=" + e.subnet() + "\n"
        + "\trightid=\"" + EAST_DN + "\"\n"
        + "\tike=aes128gcm16-sha2_256;x25519\n\tesp=aes128gcm16\n\tauto=add\n";
  }

  private String swanctlConf() {
    Host e = lab.east();
    return "connections {\n  " + CONN + " {\n    version = 2\n    fragmentation = yes\n"
        + "    local_addrs = " + e.address() + "\n    remote_addrs = " + west.address() + "\n"
        + "    encap = yes\n    proposals = aes128gcm16-prfsha256-x25519\n"
        + "    send_cert = always\n"
        + "    local {\n      auth = pubkey\n      certs = east.pem\n      id = \"" + EAST_DN + "\"\n    }\n"
        + "    remote {\n      auth = pubkey\n      id = \"" + WEST_DN + "\"\n    }\n"
        + "    children {\n      net {\n        local_ts = " + e.subnet() + "\n        remote_ts = " + west.subnet()
        + "\n        esp_proposals = aes128gcm16\n        start_action = none\n      }\n    }\n  }\n}\n";
  }

  /** The fragment count of the one matching line of pluto's log. */
  private static int count(Pattern p, String role, int group, String log) {
    Matcher m = p.matcher(log);
    int found = -1;
    while (m.find()) {
      if (m.group(1).equals(role)) {
        assertEquals(-1, found, "one such line: " + m.group());
        found = Integer.parseInt(m.group(group));
      }
    }
    assertTrue(found > 1, "pluto logged IKE_AUTH " + role + " fragments (" + p + "):\n" + log);
    return found;
  }

  /** Both sides up, charon split and reassembled, pluto's status counts what its log says, pings cross. */
  private void assertFragmentedTunnel(boolean plutoInitiated) {
    IkeSaInfo e = east.established(CONN);
    assertEquals(plutoInitiated, !e.initiator(), "who initiated");
    assertEquals(WEST_DN, e.remoteId(), "charon authenticated pluto's certificate DN");
    String log = west.plutoLog();
    int sent = count(SENT, plutoInitiated ? "request" : "response", 3, log);
    int received = count(RECEIVED, plutoInitiated ? "response" : "request", 2, log);
    String charon = east.log();
    assertTrue(charon.contains("splitting IKE message"), "charon sent fragments:\n" + charon);
    assertTrue(charon.contains("reassembled fragmented IKE message"), "charon reassembled pluto's:\n" + charon);
    String status = west.ipsec("auto", "--status").requireOk().stdout();
    assertTrue(status.contains("fragments: " + sent + " sent, " + received + " received;"), status);
    assertTrue(status.contains("peer='" + EAST_DN + "' issuer='" + INTER_DN + "'"), status);
    assertTrue(west.ping("192.0.2.254", "192.0.1.254", 4).allReplied(), "pings cross the tunnel");
  }

  @Test
  void plutoInitiatesAndIkeAuthCrossesInFragmentsBothWays() throws Exception {
    setUp();
    Result up = west.ipsec("auto", "--up", CONN);
    assertEquals(0, up.exitCode(), up + "\n" + west.plutoLog() + "\n" + east.log());
    assertTrue(up.stdout().contains("STATE_PARENT_I3: PARENT SA established"), up.stdout());
    assertFragmentedTunnel(true);
  }

  /**
   * Issue 10's operator view: the root CA forgotten in pluto's ipsec.d/cacerts refuses charon's certificate; put
   * there while pluto runs, it counts after {@code ipsec auto --rereadcacerts} (charon then sends the intermediate,
   * asked for by pluto's CERTREQ for the root).
   */
  @Test
  void aRootCaAddedWhilePlutoRunsCountsAfterRereadcacerts() throws Exception {
    setUp(false);
    Result refused = west.ipsec("auto", "--up", CONN);
    assertTrue(refused.exitCode() != 0 && refused.stdout().contains("does not chain to a trusted CA"),
        refused + "\n" + west.plutoLog() + "\n" + east.log());
    LabCa.write(west.ipsecDir().resolve("cacerts/root.pem"), root.cert);
    Result reread = west.ipsec("auto", "--rereadcacerts");
    assertEquals(0, reread.exitCode(), reread.toString());
    assertTrue(reread.stdout().contains("loaded 1 CA certificate(s) and 0 CRL(s)"), reread.stdout());
    Result up = west.ipsec("auto", "--up", CONN);
    assertEquals(0, up.exitCode(), up + "\n" + west.plutoLog() + "\n" + east.log());
    assertTrue(west.ping("192.0.2.254", "192.0.1.254", 4).allReplied(), "pings cross the tunnel");
  }

  @Test
  void charonInitiatesAndPlutoReassemblesAndAnswersInFragments() throws Exception {
    setUp();
    Result r = east.initiate("net");
    assertEquals(0, r.exitCode(), r + "\n" + west.plutoLog() + "\n" + east.log());
    assertEquals(List.of("STATE_PARENT_R2"), PlutoPeers.ikeStates(west));
    assertFragmentedTunnel(false);
  }
}
