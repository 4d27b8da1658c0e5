package org.openswanj.testing.interop;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.openswanj.testing.interop.PlutoPeers.CONN;
import static org.openswanj.testing.interop.PlutoPeers.PSK;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.KeyPair;
import java.security.interfaces.RSAPublicKey;
import java.util.Base64;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.openswanj.pluto.crypto.RsaAuth;
import org.openswanj.testing.lab.Host;
import org.openswanj.testing.lab.Lab;
import org.openswanj.testing.lab.PingResult;
import org.openswanj.testing.lab.Result;
import org.openswanj.testing.lab.StrongSwan;

/**
 * pluto as the IKEv1 XAUTH + ModeConfig road warrior (draft-beaulieu-ike-xauth-02, draft-dukes-ike-mode-cfg-02):
 * {@code leftxauthclient=yes}, {@code modecfgpull=yes}, the {@code @alice : XAUTH} secret, driven by
 * {@code ipsec auto --up} on west. Each row: pluto gets an address from the gateway's pool, updown puts it on
 * west, and pings from it to east's subnet are answered. Rows:
 *
 * <ul>
 *   <li>{@code BEHIND_NAT_VS_CHARON}: west behind {@link Lab#upNat}'s router, charon on east the gateway (a PSK
 *       round, then {@code auth = xauth}, {@code pools}); the pings cross the NAT as ESP in UDP 4500 (RFC 3948);
 *   <li>{@code BEHIND_NAT_VS_PLUTO}: the same with pluto the gateway ({@code leftxauthserver=yes},
 *       {@code right=%any}, {@code rightaddresspool=}, users in ipsec.d/passwd);
 *   <li>{@code DIRECT_VS_PLUTO}: pluto to pluto without a NAT;
 *   <li>{@code RSA_DIRECT_VS_CHARON}: XAUTH after RSA signatures (authby=rsasig with raw keys plus
 *       leftxauthclient=yes: pluto proposes XAUTHInitRSA, 65005, draft-beaulieu-ike-xauth-02 §7.2) against charon
 *       with {@code auth = pubkey} then {@code auth = xauth}.
 * </ul>
 */
class Ikev1XauthPlutoClientIT {
  enum Row {
    BEHIND_NAT_VS_CHARON(true, false, false), BEHIND_NAT_VS_PLUTO(true, true, false),
    DIRECT_VS_PLUTO(false, true, false), RSA_DIRECT_VS_CHARON(false, false, true);

    final boolean nat;
    final boolean plutoGateway;
    final boolean rsa;

    Row(boolean nat, boolean plutoGateway, boolean rsa) {
      this.nat = nat;
      this.plutoGateway = plutoGateway;
      this.rsa = rsa;
    }
  }

  private static final String PASSWORD = "alice-secret-pw";
  /** alice's password hashed with {@code openssl passwd -6 -salt 0123456789} (as in NatTraversalIT). */
  private static final String PASSWD = "alice:" + "$6$0123456789$UgR8RjNYGij8q4ft637/U93hI6mKAe13ngKlYelUKgA"
      + "u99Tau1CNtfC8byqh/IVav7KVN8WIe6n0ax6s9YnsE1:" + CONN + "\n";
  private static final Pattern VIP = Pattern.compile("ModeCfg: received IP address (10\\.9\\.\\d+\\.\\d+)");

  private Lab lab;
  private Host west;
  private Host east;

  @BeforeAll
  static void prerequisites() {
    Lab.requirePluto();
  }

  @AfterEach
  void down() {
    if (lab != null) {
      lab.stopPlutosAndClose();
    }
  }

  @ParameterizedTest(name = "{0}")
  @EnumSource(Row.class)
  void plutoRoadWarriorGetsAnAddressAndTrafficFlowsFromIt(Row row) throws Exception {
    long t0 = System.nanoTime();
    String prefix = "ojx" + row.ordinal();
    lab = row.nat ? Lab.upNat(prefix) : Lab.up(prefix);
    west = lab.west();
    east = lab.east();
    // the address east sees west's packets come from
    String westSeen = row.nat ? lab.nat().address() : west.address();
    KeyPair westKey = row.rsa ? LabCa.rsa() : null;
    KeyPair eastKey = row.rsa ? LabCa.rsa() : null;
    if (row.plutoGateway) {
      startPlutoGateway();
    } else {
      Lab.requireCharon();
      startCharonGateway(westSeen, westKey, eastKey);
    }
    startPlutoClient(row, westKey, eastKey);

    Result up = west.ipsec("auto", "--up", CONN);
    assertEquals(0, up.exitCode(), up + logs());
    if (row.rsa) {
      assertTrue(up.stdout().contains("ISAKMP SA established {auth=OAKLEY_RSA_SIG"), up.stdout());
    }
    Matcher m = VIP.matcher(up.stdout());
    assertTrue(m.find(), "pluto got an address:\n" + up.stdout() + logs());
    String vip = m.group(1);
    assertTrue(up.stdout().contains("STATE_QUICK_I2: sent QI2, IPsec SA established tunnel mode {ESP"
        // charon's kernel-libipsec wants encap = yes, so against charon ESP goes in UDP even without a NAT
        + (row.nat || !row.plutoGateway ? "/NAT" : "") + "=>0x"), up.stdout());
    assertTrue(west.exec("ip", "-4", "addr").stdout().contains(vip + "/32"), "updown put " + vip + " on west");
    if (row.plutoGateway) {
      assertEquals("10.9.100.10", vip, "the first address of east's pool");
      String status = east.ipsec("whack", "--status").requireOk().stdout();
      assertTrue(status.contains("XAUTHuser=alice;") && status.contains("ModeCfg=" + vip + ";"), status);
    } else {
      String sas = east.strongSwan().swanctl("--list-sas").requireOk().stdout();
      assertTrue(sas.contains("[" + vip + "]") && sas.contains(vip + "/32"), "charon gave " + vip + ":\n" + sas);
    }

    long out = row.nat ? lab.natPackets("esp-in-udp-out") : 0;
    long in = row.nat ? lab.natPackets("esp-in-udp-in") : 0;
    PingResult p = west.ping(east.subnetAddress(), vip, 4);
    assertTrue(p.allReplied(), "pings from " + vip + " cross the tunnel:\n" + p.output() + logs());
    if (row.nat) {
      assertTrue(lab.natPackets("esp-in-udp-out") - out >= 4, "the requests left the NAT as ESP in UDP 4500");
      assertTrue(lab.natPackets("esp-in-udp-in") - in >= 4, "the replies came back as ESP in UDP 4500");
      assertEquals(0, lab.natPackets("raw-esp"), "no raw ESP (IP protocol 50) reached the NAT");
    }
    assertFalse(west.plutoLog().contains(PASSWORD), "the password never reaches the client's log");
    if (row.plutoGateway) {
      assertFalse(east.plutoLog().contains(PASSWORD), "nor the gateway's");
    }
    System.out.println("Ikev1XauthPlutoClientIT " + row + ": " + (System.nanoTime() - t0) / 1_000_000 + " ms");
  }

  // ---- configuration, as an administrator writes it

  private static String sigkey(KeyPair k) {
    return "0s" + Base64.getEncoder().encodeToString(RsaAuth.toRfc3110((RSAPublicKey) k.getPublic()));
  }

  private void startPlutoClient(Row row, KeyPair myKey, KeyPair peerKey) throws Exception {
    String conf = "config setup\n\tprotostack=klips\n\tinterfaces=\"ipsec0=eth0\"\n\tnat_traversal=yes\n\n"
        + "conn " + CONN + "\n\tikev2=never\n\tauthby=" + (row.rsa ? "rsasig" : "secret")
        + "\n\tike=aes128-sha1-modp2048\n\tesp=aes128-sha1\n"
        + "\tleft=" + west.address() + "\n\tleftid=" + west.id() + "\n\tleftxauthclient=yes\n"
        + "\tleftxauthusername=alice\n\tleftmodecfgclient=yes\n"
        + "\tright=" + east.address() + "\n\trightid=" + east.id() + "\n\trightsubnet=" + east.subnet()
        + "\n\trightxauthserver=yes\n\trightmodecfgserver=yes\n\tmodecfgpull=yes\n";
    String secrets = west.id() + " " + east.id() + " : PSK \"" + PSK + "\"\n";
    if (row.rsa) {
      conf += "\tleftrsasigkey=" + sigkey(myKey) + "\n\trightrsasigkey=" + sigkey(peerKey) + "\n";
      Files.createDirectories(west.ipsecDir().resolve("private"));
      LabCa.write(west.ipsecDir().resolve("private/west.pem"), myKey);
      secrets = ": RSA west.pem\n";
    }
    west.startPluto(conf + "\tauto=add\n", secrets + "@alice : XAUTH \"" + PASSWORD + "\"\n");
    west.ipsec("auto", "--add", CONN).requireOk();
  }

  /** pluto as the gateway for any road warrior with ID @west: XAUTH against ipsec.d/passwd, a pool. */
  private void startPlutoGateway() throws Exception {
    String conf = "config setup\n\tprotostack=klips\n\tinterfaces=\"ipsec0=eth0\"\n\tnat_traversal=yes\n\n"
        + "conn " + CONN + "\n\tikev2=never\n\tauthby=secret\n\tike=aes128-sha1-modp2048\n\tesp=aes128-sha1\n"
        + "\tleft=" + east.address() + "\n\tleftid=" + east.id() + "\n\tleftsubnet=" + east.subnet()
        + "\n\tleftxauthserver=yes\n\tleftmodecfgserver=yes\n\tright=%any\n\trightid=" + west.id()
        + "\n\trightxauthclient=yes\n\trightmodecfgclient=yes\n\trightaddresspool=10.9.100.10-10.9.100.20\n"
        + "\tmodecfgpull=yes\n\tauto=add\n";
    east.startPluto(conf, east.id() + " " + west.id() + " : PSK \"" + PSK + "\"\n");
    Path passwd = east.ipsecDir().resolve("passwd");
    Files.writeString(passwd, PASSWD);
    Files.setPosixFilePermissions(passwd, PosixFilePermissions.fromString("rw-------"));
    east.ipsec("auto", "--add", CONN).requireOk();
  }

  /** charon as the gateway: a PSK or pubkey round for @west, then an XAUTH round, addresses from pool rw. */
  private void startCharonGateway(String westSeen, KeyPair westKey, KeyPair eastKey) {
    StrongSwan charon = east.strongSwan();
    charon.start();
    boolean rsa = westKey != null;
    if (rsa) {
      charon.installKeyPair("east", eastKey);
      charon.installPublicKey("west", westKey.getPublic());
    }
    String auth = rsa ? "pubkey" : "psk";
    charon.load(String.join("\n",
        "connections {",
        "  " + CONN + " {",
        "    version = 1",
        "    local_addrs = " + east.address(),
        "    remote_addrs = " + westSeen,
        "    encap = yes",
        "    proposals = aes128-sha1-modp2048",
        "    pools = rw",
        "    pull = yes",
        "    local {",
        "      auth = " + auth,
        "      id = " + east.id(),
        rsa ? "      pubkeys = east.pub.pem" : "",
        "    }",
        "    remote-1 {",
        "      auth = " + auth,
        "      id = " + west.id(),
        rsa ? "      pubkeys = west.pub.pem" : "",
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
        rsa ? "" : "  ike-1 {\n    id-1 = " + east.id() + "\n    id-2 = " + west.id() + "\n    secret = \"" + PSK
            + "\"\n  }",
        "  xauth-1 {",
        "    id = alice",
        "    secret = \"" + PASSWORD + "\"",
        "  }",
        "}",
        ""));
  }

  private String logs() {
    StringBuilder b = new StringBuilder();
    for (Host h : List.of(west, east)) {
      if (h.plutoRunning()) {
        b.append("\n--- ").append(h.name()).append(" pluto.log ---\n").append(h.plutoLog());
      }
      if (Files.exists(h.strongSwan().logFile())) {
        b.append("\n--- ").append(h.name()).append(" charon.log ---\n").append(h.strongSwan().log());
      }
    }
    return b.toString();
  }
}
