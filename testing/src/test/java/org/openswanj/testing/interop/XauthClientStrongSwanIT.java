package org.openswanj.testing.interop;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.openswanj.testing.lab.Host;
import org.openswanj.testing.lab.IkeSaInfo;
import org.openswanj.testing.lab.Lab;
import org.openswanj.testing.lab.PingResult;
import org.openswanj.testing.lab.Result;
import org.openswanj.testing.lab.StrongSwan;

/**
 * pluto as the IKEv1 XAUTH + ModeConfig client ({@code leftxauthclient=yes}, {@code leftxauthusername=}, the
 * {@code @user : XAUTH "…"} secret) of charon as the gateway (a PSK round then {@code auth = xauth} for the
 * remote, {@code pools}), through bin/ipsec: pluto asks for and gets an address from charon's pool, updown puts it
 * on the host, and pings from it cross the klips tunnel; a wrong password is refused, logged on both sides.
 */
class XauthClientStrongSwanIT {
  private static final String CONN = "gateway";
  private static final String PASSWORD = "alice-gw-password";

  private Lab lab;
  private Host west;
  private Host east;
  private StrongSwan charon;

  @BeforeEach
  void up() {
    Lab.requirePluto();
    Lab.requireCharon();
    lab = Lab.up("ojc");
    west = lab.west();
    east = lab.east();
    charon = east.strongSwan();
    charon.start();
  }

  @AfterEach
  void down() {
    lab.stopPlutosAndClose();
  }

  private void start(String plutoPassword) {
    start(plutoPassword, true);
  }

  /** With {@code pull}, pluto asks for its address (modecfgpull=yes); else charon pushes it ({@code pull = no}). */
  private void start(String plutoPassword, boolean pull) {
    String conf = "config setup\n\tprotostack=klips\n\tinterfaces=\"ipsec0=eth0\"\n\n"
        + "conn " + CONN + "\n\tikev2=never\n\tauthby=secret\n\tike=aes128-sha1-modp2048\n\tesp=aes128-sha1\n"
        + "\tleft=" + west.address() + "\n\tleftid=" + west.id() + "\n\tleftxauthclient=yes\n"
        + "\tleftxauthusername=alice\n\tleftmodecfgclient=yes\n"
        + "\tright=" + east.address() + "\n\trightid=" + east.id() + "\n\trightsubnet=" + east.subnet()
        + "\n\trightxauthserver=yes\n\trightmodecfgserver=yes\n\tmodecfgpull=" + (pull ? "yes" : "no")
        + "\n\tauto=add\n";
    west.startPluto(conf, west.id() + " " + east.id() + " : PSK \"" + PlutoPeers.PSK + "\"\n"
        + "@alice : XAUTH \"" + plutoPassword + "\"\n");
    charon.load(String.join("\n",
        "connections {",
        "  " + CONN + " {",
        "    version = 1",
        "    local_addrs = " + east.address(),
        "    remote_addrs = " + west.address(),
        "    encap = yes",
        "    proposals = aes128-sha1-modp2048",
        "    pools = rw",
        "    pull = " + (pull ? "yes" : "no"),
        "    local {",
        "      auth = psk",
        "      id = " + east.id(),
        "    }",
        "    remote-1 {",
        "      auth = psk",
        "      id = " + west.id(),
        "    }",
        "    remote-2 {",
        "      auth = xauth",
        "    }",
        "    children {",
        "      net {",
        "        local_ts = " + east.subnet(),
        "        esp_proposals = aes128-sha1-modp2048",
        "        start_action = none",
        "      }",
        "    }",
        "  }",
        "}",
        "pools {",
        "  rw {",
        "    addrs = 10.9.200.0/28",
        "  }",
        "}",
        "secrets {",
        "  ike-1 {",
        "    id-1 = " + east.id(),
        "    id-2 = " + west.id(),
        "    secret = \"" + PlutoPeers.PSK + "\"",
        "  }",
        "  xauth-1 {",
        "    id = alice",
        "    secret = \"" + PASSWORD + "\"",
        "  }",
        "}",
        ""));
    west.ipsec("auto", "--add", CONN).requireOk();
  }

  private AssertionError withLogs(String what) {
    return new AssertionError(what + "\n--- pluto.log ---\n" + west.plutoLog() + "\n--- charon ---\n" + charon.log());
  }

  @Test
  void plutoGetsAnAddressFromCharonsPoolAndTrafficFlowsFromIt() {
    start(PASSWORD);
    upAndPing();
  }

  @Test
  void charonPushesTheAddress() {
    start(PASSWORD, false);
    upAndPing();
  }

  private void upAndPing() {
    Result up = west.ipsec("auto", "--up", CONN);
    if (up.exitCode() != 0) {
      throw withLogs("ipsec auto --up failed: " + up);
    }
    Matcher m = Pattern.compile("ModeCfg: received IP address (10\\.9\\.200\\.\\d+)").matcher(up.stdout());
    assertTrue(m.find(), up.stdout());
    String vip = m.group(1);
    assertTrue(up.stdout().contains("STATE_QUICK_I2: sent QI2, IPsec SA established"), up.stdout());
    IkeSaInfo sa = charon.established(CONN);
    assertEquals("INSTALLED", sa.child("net").state());
    String sas = charon.swanctl("--list-sas").requireOk().stdout();
    assertTrue(sas.contains("[" + vip + "]"), "charon shows the address it gave pluto:\n" + sas);
    assertTrue(sas.contains(vip + "/32"), "charon's child is for that address:\n" + sas);
    assertTrue(west.exec("ip", "-4", "addr").stdout().contains(vip + "/32"), "updown put the address on west");
    PingResult ping = west.ping(east.subnetAddress(), vip, 4);
    if (!ping.allReplied()) {
      throw withLogs("pings from " + vip + " did not all come back: " + ping);
    }
  }

  @Test
  void aWrongPasswordIsRefusedOnBothSides() {
    start("not-the-password");
    Result up = west.ipsec("auto", "--up", CONN);
    assertTrue(up.exitCode() != 0, up.toString());
    assertTrue(up.stdout().contains("\"gateway\" #1: XAUTH: the gateway refused user alice (status FAIL)"),
        withLogs("pluto says XAUTH failed: " + up).getMessage());
    assertTrue(charon.log().contains("XAuth authentication of 'alice' failed"), charon.log());
    assertTrue(PlutoPeers.ikeStates(west).isEmpty(), "pluto's ISAKMP SA went with the failure");
    assertTrue(PlutoPeers.childSpis(west).isEmpty(), "no IPsec SA");
    assertFalse(west.plutoLog().contains("not-the-password"), "the password never reaches the log");
  }
}
