package org.openswanj.testing.interop;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.openswanj.testing.lab.Host;
import org.openswanj.testing.lab.Lab;
import org.openswanj.testing.lab.PingResult;
import org.openswanj.testing.lab.Result;
import org.openswanj.testing.lab.StrongSwan;
import org.openswanj.testing.lab.SwanctlConn;

/**
 * Cisco Unity ModeConfig against charon (its unity plugin), through bin/ipsec, one lab bring-up per direction.
 * pluto as the {@code remote_peer_type=cisco} XAUTH client of charon, whose Child config has two local_ts subnets
 * and whose pool carries a banner (attribute 28672): pluto gets its address, logs the banner, its updown sees
 * PLUTO_PEER_BANNER, it runs one Quick Mode per split network, and pings from its address reach both networks.
 * And charon as the Unity XAUTH client ({@code charon.cisco_unity = yes}, remote_ts 0.0.0.0/0) of pluto with
 * {@code leftsubnets=} and {@code modecfgbanner=}: charon proposes 0.0.0.0/0, narrows its Child SA to the split
 * networks pluto sent, and pings from its address reach both of pluto's networks.
 */
class UnityStrongSwanIT {
  private static final String CONN = "gateway";
  private static final String PASSWORD = "alice-gw-password";
  /** swanctl.conf splits a value at commas into a list: none in it. */
  private static final String BANNER = "Welcome to east: authorised users only";
  /** east's second protected network, beside its lab subnet 192.0.2.0/24: 10.77.0.1/32 on lo. */
  private static final String SECOND = "10.77.0.0/24";
  private static final String SECOND_HOST = "10.77.0.1";

  private Lab lab;
  private Host west;
  private Host east;
  private StrongSwan charon;

  @BeforeEach
  void up() {
    Lab.requirePluto();
    Lab.requireCharon();
    lab = Lab.up("oju");
    west = lab.west();
    east = lab.east();
  }

  @AfterEach
  void down() {
    lab.stopPlutosAndClose();
  }

  private AssertionError withLogs(String what) {
    return new AssertionError(what + "\n--- pluto.log ---\n" + west.plutoLog() + "\n--- charon ---\n" + charon.log());
  }

  @Test
  void plutoAsCiscoClientGetsBannerAndSplitNetworksFromCharonAndReachesBoth() throws Exception {
    east.exec("ip", "addr", "add", SECOND_HOST + "/32", "dev", "lo").requireOk();
    charon = east.strongSwan();
    charon.start();
    Path rec = west.ipsecDir().resolve("updown-rec");
    Files.createDirectories(rec);
    Path script = west.ipsecDir().resolve("rec-updown");
    // records each run's banner and peer client, then hands over to bin/_updown (which adds the routes)
    Files.writeString(script, "#!/bin/sh\nprintf '%s %s [%s]\\n' \"$PLUTO_VERB\" \"$PLUTO_PEER_CLIENT\""
        + " \"$PLUTO_PEER_BANNER\" >> " + rec + "/runs\nexec "
        + Path.of("..").toAbsolutePath().normalize().resolve("bin/_updown") + "\n");
    Files.setPosixFilePermissions(script, PosixFilePermissions.fromString("rwx------"));
    String conf = "config setup\n\tprotostack=klips\n\tinterfaces=\"ipsec0=eth0\"\n\n"
        + "conn " + CONN + "\n\tikev2=never\n\tauthby=secret\n\tike=aes128-sha1-modp2048\n\tesp=aes128-sha1\n"
        + "\tleft=" + west.address() + "\n\tleftid=" + west.id() + "\n\tleftxauthclient=yes\n"
        + "\tleftxauthusername=alice\n\tleftmodecfgclient=yes\n\tleftupdown=" + script + "\n"
        + "\tright=" + east.address() + "\n\trightid=" + east.id() + "\n" // no rightsubnet: the splits say
        + "\trightxauthserver=yes\n\trightmodecfgserver=yes\n\tmodecfgpull=yes\n\tremote_peer_type=cisco\n"
        + "\tauto=add\n";
    west.startPluto(conf, west.id() + " " + east.id() + " : PSK \"" + PlutoPeers.PSK + "\"\n"
        + "@alice : XAUTH \"" + PASSWORD + "\"\n");
    charon.load(String.join("\n",
        "connections {",
        "  " + CONN + " {",
        "    version = 1",
        "    local_addrs = " + east.address(),
        "    remote_addrs = " + west.address(),
        "    encap = yes",
        "    proposals = aes128-sha1-modp2048",
        "    pools = rw",
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
        "        local_ts = " + east.subnet() + "," + SECOND,
        "        esp_proposals = aes128-sha1-modp2048",
        "        start_action = none",
        "      }",
        "    }",
        "  }",
        "}",
        "pools {",
        "  rw {",
        "    addrs = 10.9.200.0/28",
        "    28672 = \"" + BANNER + "\"",
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
    Result up = west.ipsec("auto", "--up", CONN);
    if (up.exitCode() != 0) {
      throw withLogs("ipsec auto --up failed: " + up);
    }
    Matcher m = Pattern.compile("ModeCfg: received IP address (10\\.9\\.200\\.\\d+)").matcher(up.stdout());
    assertTrue(m.find(), up.stdout());
    String vip = m.group(1);
    assertTrue(up.stdout().contains("ModeCfg: banner \"" + BANNER + "\""), withLogs(up.stdout()).getMessage());
    String splits = east.subnet() + "," + SECOND;
    assertTrue(up.stdout().contains("ModeCfg: split networks " + splits), withLogs(up.stdout()).getMessage());
    try {
      PlutoPeers.await("both split networks' Quick Modes are up", () -> PlutoPeers.childSpis(west).size() == 2,
          15_000);
    } catch (AssertionError e) {
      throw withLogs(e.getMessage());
    }
    Result status = west.ipsec("whack", "--status").requireOk();
    assertTrue(status.stdout().contains("banner=\"" + BANNER + "\"; split=" + splits + ";"), status.stdout());
    String sas = charon.swanctl("--list-sas").requireOk().stdout();
    assertTrue(sas.contains(east.subnet()) && sas.contains(SECOND), "charon has a Child SA for each:\n" + sas);
    for (String dst : new String[] {east.subnetAddress(), SECOND_HOST}) {
      PingResult ping = west.ping(dst, vip, 3);
      if (!ping.allReplied()) {
        throw withLogs("pings from " + vip + " to " + dst + " did not all come back: " + ping);
      }
    }
    String runs = Files.readString(rec.resolve("runs"));
    assertTrue(runs.contains("up-client " + east.subnet() + " [" + BANNER + "]"), runs);
    assertTrue(runs.contains("up-client " + SECOND + " [" + BANNER + "]"), runs);
    assertEquals(2, runs.lines().filter(l -> l.startsWith("up-client")).count(), runs);
  }

  /** alice's password, hashed with {@code openssl passwd -6 -salt 0123456789} (as XauthStrongSwanIT's). */
  private static final String ALICE_PW = "alice-secret-pw";
  private static final String PASSWD = "alice:" + "$6$0123456789$UgR8RjNYGij8q4ft637/U93hI6mKAe13ngKlYelUKgAu99Ta"
      + "u1CNtfC8byqh/IVav7KVN8WIe6n0ax6s9YnsE1\n"; // no conn field: leftsubnets= makes one conn per pair
  /** west's second network, beside its lab subnet: 10.78.0.1/32 on lo. */
  private static final String WEST_SECOND = "10.78.0.0/24";
  private static final String WEST_SECOND_HOST = "10.78.0.1";

  @Test
  void charonAsUnityClientNarrowsToPlutosSplitNetworksAndReachesBoth() throws Exception {
    west.exec("ip", "addr", "add", WEST_SECOND_HOST + "/32", "dev", "lo").requireOk();
    charon = east.strongSwan();
    charon.startCiscoUnity();
    String conf = "config setup\n\tprotostack=klips\n\tinterfaces=\"ipsec0=eth0\"\n\n"
        + "conn rw\n\tikev2=never\n\tauthby=secret\n\tike=aes128-sha1-modp2048\n\tesp=aes128-sha1\n"
        + "\tleft=" + west.address() + "\n\tleftid=" + west.id() + "\n\tleftsubnets={" + west.subnet() + " "
        + WEST_SECOND + "}\n\tleftxauthserver=yes\n"
        + "\tright=" + east.address() + "\n\trightid=" + east.id()
        + "\n\trightxauthclient=yes\n\trightaddresspool=10.9.100.10-10.9.100.20\n\tmodecfgpull=yes\n"
        + "\tmodecfgbanner=\"" + BANNER + "\"\n\tauto=add\n";
    west.startPluto(conf, west.id() + " " + east.id() + " : PSK \"" + PlutoPeers.PSK + "\"\n");
    Files.writeString(west.ipsecDir().resolve("passwd"), PASSWD);
    Files.setPosixFilePermissions(west.ipsecDir().resolve("passwd"), PosixFilePermissions.fromString("rw-------"));
    west.ipsec("auto", "--add", "rw").requireOk();
    charon.load(SwanctlConn.psk("rw", east, west, PlutoPeers.PSK).ikeVersion(1).proposals("aes128-sha1-modp2048")
        .espProposals("aes128-sha1-modp2048").ts(null, "0.0.0.0/0").ikeOption("vips", "0.0.0.0")
        .ikeOption("pull", "yes").xauthClient("alice", ALICE_PW).build());
    try {
      charon.initiate("net");
    } catch (RuntimeException e) {
      throw withLogs("charon's initiate: " + e.getMessage());
    }
    String log = charon.log();
    assertTrue(log.contains("received Cisco Unity vendor ID"), withLogs("pluto answered the Unity VID").getMessage());
    String sas = charon.swanctl("--list-sas").requireOk().stdout();
    if (!sas.contains(west.subnet()) || !sas.contains(WEST_SECOND)) {
      throw withLogs("charon's Child SA is narrowed to both split networks:\n" + sas);
    }
    assertTrue(west.plutoLog().contains("Cisco Unity client proposes 0.0.0.0/0 for our side: policies for the split"
        + " networks " + west.subnet() + "," + WEST_SECOND + " only"), withLogs("pluto's line").getMessage());
    for (String dst : new String[] {west.subnetAddress(), WEST_SECOND_HOST}) {
      PingResult ping = east.ping(dst, "10.9.100.10", 3);
      if (!ping.allReplied()) {
        throw withLogs("pings from charon's 10.9.100.10 to " + dst + " did not all come back: " + ping);
      }
    }
  }
}
