package org.openswanj.testing.interop;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.openswanj.testing.interop.PlutoPeers.CONN;
import static org.openswanj.testing.interop.PlutoPeers.PSK;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.openswanj.testing.lab.Host;
import org.openswanj.testing.lab.Lab;
import org.openswanj.testing.lab.Result;
import org.openswanj.testing.lab.StrongSwan;
import org.openswanj.testing.lab.SwanctlConn;

/**
 * IKEv2 NULL authentication (RFC 7619) in the lab, through bin/ipsec: two plutos with {@code authby=null},
 * {@code leftid=%null} and empty ipsec.secrets bring a tunnel up (klips), pings cross it, and {@code --status}
 * shows the anonymous IDs. Debian 12's charon (5.9.8) has no NULL authentication (swanctl refuses
 * {@code auth = null}: "invalid value for: auth"), so against charon the test is the refusal: NULL offered to its
 * PSK conn is answered AUTHENTICATION_FAILED and pluto says so in one line.
 */
class NullAuthIT {
  private Lab lab;

  @AfterEach
  void down() {
    if (lab != null) {
      lab.stopPlutosAndClose();
    }
  }

  /** {@code me}'s anonymous conn towards {@code peer}. */
  private static String anonymous(Host me, Host peer) {
    return PlutoPeers.ipsecConf(me, peer, "klips", "ike=aes128-sha2_256-modp2048", "esp=aes128-sha2_256")
        .replace("\tauthby=secret\n", "\tauthby=null\n")
        .replace("\tleftid=" + me.id() + "\n", "\tleftid=%null\n")
        .replace("\trightid=" + peer.id() + "\n", "\trightid=%null\n");
  }

  @Test
  void twoPlutosWithoutSecretsBringUpAnAnonymousTunnel() throws Exception {
    Lab.requirePluto();
    lab = Lab.up("ojnl");
    Host west = lab.west();
    Host east = lab.east();
    PlutoPeers.install(east, anonymous(east, west), "");
    PlutoPeers.install(west, anonymous(west, east), "");
    assertEquals(0, east.setup("start").exitCode());
    assertEquals(0, west.setup("start").exitCode());
    long t0 = System.nanoTime();
    Result up = west.ipsec("auto", "--up", CONN);
    long ms = (System.nanoTime() - t0) / 1_000_000;
    assertEquals(0, up.exitCode(), up + "\n--- west ---\n" + west.plutoLog() + "\n--- east ---\n" + east.plutoLog());
    assertTrue(up.stdout().contains("IPsec SA established"), up.stdout());
    var ping = west.ping("192.0.2.254", "192.0.1.254", 4);
    assertTrue(ping.allReplied(), "pings cross the anonymous tunnel: " + ping + "\n" + west.ipsec("whack", "--status")
        .stdout() + "\n--- east ---\n" + east.ipsec("whack", "--status").stdout() + east.plutoLog());
    String status = west.ipsec("whack", "--status").requireOk().stdout();
    assertTrue(status.contains("\"" + CONN + "\": 192.0.1.0/24===192.1.2.45<192.1.2.45>[%null]...192.1.2.23"
        + "<192.1.2.23>[%null]===192.0.2.0/24; erouted"), "--status shows both anonymous IDs:\n" + status);
    assertTrue(status.contains("AUTHNULL"), status);
    String eastStatus = east.ipsec("whack", "--status").requireOk().stdout();
    assertTrue(eastStatus.contains("192.0.2.0/24===192.1.2.23<192.1.2.23>[%null]...192.1.2.45<192.1.2.45>[%null]"
        + "===192.0.1.0/24; erouted"), "east's too:\n" + eastStatus);
    assertTrue(eastStatus.contains("STATE_PARENT_R2"), eastStatus);
    System.out.println("MEASURE null-auth pluto->pluto auto --up ms=" + ms);
  }

  @Test
  void charonHasNoNullAuthAndRefusesItWithAuthenticationFailed() throws Exception {
    Lab.requirePluto();
    Lab.requireCharon();
    lab = Lab.up("ojnc");
    Host west = lab.west();
    StrongSwan east = lab.east().strongSwan();
    east.start();
    east.load(SwanctlConn.psk(CONN, lab.east(), west, PSK).proposals("aes128-sha256-modp2048")
        .espProposals("aes128-sha256").build());
    west.startPluto(anonymous(west, lab.east()).replace("\trightid=%null\n", "\trightid=" + lab.east().id() + "\n")
        .replace("\tleftid=%null\n", "\tleftid=" + west.id() + "\n").replace("\tauto=add\n", "\tkeyingtries=1\n\tauto=add\n"), "");
    west.ipsec("auto", "--add", CONN).requireOk();
    Result up = west.ipsec("auto", "--up", CONN);
    assertTrue(up.exitCode() != 0, up.toString());
    assertTrue(up.stdout().contains("AUTHENTICATION_FAILED"), up.stdout() + "\n--- charon ---\n" + east.log());
    assertEquals(1, west.plutoLog().lines().filter(l -> l.contains("IKE_AUTH refused by peer: AUTHENTICATION_FAILED"))
        .count(), west.plutoLog());
    assertTrue(east.listSas().isEmpty(), "charon keeps nothing");
  }
}
