package org.openswanj.testing.interop;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.openswanj.testing.lab.Host;
import org.openswanj.testing.lab.IkeSaInfo;
import org.openswanj.testing.lab.Lab;
import org.openswanj.testing.lab.PingResult;
import org.openswanj.testing.lab.Result;
import org.openswanj.testing.lab.StrongSwan;
import org.openswanj.testing.lab.SwanctlConn;

/**
 * IKEv1 XAUTH + ModeConfig through bin/ipsec: pluto on west (klips) is the gateway ({@code leftxauthserver=yes},
 * users in ipsec.d/passwd, addresses from {@code rightaddresspool=}); charon on east is the road warrior
 * ({@code version = 1}, a PSK round then an {@code auth = xauth} round, {@code vips = 0.0.0.0}). charon gets an
 * address from the pool, its traffic from that address crosses the tunnel, and a wrong password is refused with
 * one line in pluto's log.
 */
class XauthStrongSwanIT {
  private static final String CONN = "roadwarrior";
  /** alice's password, hashed with {@code openssl passwd -6 -salt 0123456789}. */
  private static final String ALICE_PW = "alice-secret-pw";
  private static final String PASSWD = "alice:" + "$6$0123456789$UgR8RjNYGij8q4ft637/U93hI6mKAe13ngKlYelUKgAu99Ta"
      + "u1CNtfC8byqh/IVav7KVN8WIe6n0ax6s9YnsE1:" + CONN + "\n";
  private static final String POOL = "10.9.100.10-10.9.100.20";

  private Lab lab;
  private Host west;
  private Host east;
  private StrongSwan charon;

  @BeforeEach
  void up() throws Exception {
    Lab.requirePluto();
    Lab.requireCharon();
    lab = Lab.up("ojx");
    west = lab.west();
    east = lab.east();
    charon = east.strongSwan();
    charon.start();
  }

  @AfterEach
  void down() {
    lab.stopPlutosAndClose();
  }

  private void startPluto(String... extra) throws Exception {
    StringBuilder conf = new StringBuilder("config setup\n\tprotostack=klips\n\tinterfaces=\"ipsec0=eth0\"\n\n")
        .append("conn ").append(CONN).append("\n\tikev2=never\n\tauthby=secret\n")
        .append("\tike=aes128-sha1-modp2048\n\tesp=aes128-sha1\n")
        .append("\tleft=").append(west.address()).append("\n\tleftid=").append(west.id())
        .append("\n\tleftsubnet=").append(west.subnet()).append("\n\tleftxauthserver=yes\n")
        .append("\tright=").append(east.address()).append("\n\trightid=").append(east.id())
        .append("\n\trightxauthclient=yes\n\trightaddresspool=").append(POOL).append('\n')
        // bare keywords, as Openswan's XAUTH examples write them: the right end's
        .append("\tmodecfgdns1=192.0.2.53\n\tmodecfgwins1=192.0.2.137\n");
    for (String l : extra) {
      conf.append('\t').append(l).append('\n');
    }
    conf.append("\tauto=add\n");
    west.startPluto(conf.toString(), west.id() + " " + east.id() + " : PSK \"" + PlutoPeers.PSK + "\"\n");
    Files.writeString(west.ipsecDir().resolve("passwd"), PASSWD);
    Files.setPosixFilePermissions(west.ipsecDir().resolve("passwd"), PosixFilePermissions.fromString("rw-------"));
    west.ipsec("auto", "--add", CONN).requireOk();
  }

  /** charon as the XAUTH client: PSK round, then XAUTH as {@code user} with {@code password}; asks for an address. */
  private void loadCharon(String user, String password, boolean pull) {
    charon.load(SwanctlConn.psk(CONN, east, west, PlutoPeers.PSK).ikeVersion(1).proposals("aes128-sha1-modp2048")
        .espProposals("aes128-sha1-modp2048").ts(null, west.subnet()).ikeOption("vips", "0.0.0.0")
        .ikeOption("pull", pull ? "yes" : "no").xauthClient(user, password).build());
  }

  private AssertionError withLogs(String what, Throwable e) {
    return new AssertionError(what + ": " + e.getMessage() + "\n--- pluto.log ---\n" + west.plutoLog()
        + "\n--- charon ---\n" + charon.log(), e);
  }

  private void charonGetsAnAddressAndTrafficFlows() {
    try {
      charon.initiate("net");
    } catch (RuntimeException e) {
      throw withLogs("charon's initiate", e);
    }
    IkeSaInfo sa = charon.established(CONN);
    assertEquals(1, sa.version());
    String sas = charon.swanctl("--list-sas").requireOk().stdout();
    assertTrue(sas.contains("[10.9.100.10]"), "charon shows the virtual IP from the pool:\n" + sas);
    assertEquals("INSTALLED", sa.child("net").state());
    Result status = west.ipsec("whack", "--status").requireOk();
    assertTrue(status.stdout().contains("XAUTHuser=alice;"), status.stdout());
    assertTrue(status.stdout().contains("ModeCfg=10.9.100.10;"), status.stdout());
    String log = west.plutoLog();
    assertTrue(log.contains("XAUTH: User alice: Authentication Successful"), log);
    assertFalse(log.contains(ALICE_PW), "the password never reaches the log");
    PingResult ping = east.ping(west.subnetAddress(), "10.9.100.10", 4);
    assertTrue(ping.allReplied(), "pings from the virtual IP cross the tunnel: " + ping + "\n" + west.plutoLog());
    List<String[]> spis = PlutoPeers.childSpis(west);
    assertEquals(1, spis.size());
    assertEquals(spis.get(0)[1], sa.child("net").spiIn(), "pluto's outbound SPI is charon's inbound");
  }

  @Test
  void pullModeGivesAnAddressFromThePool() throws Exception {
    // an updown script that records its environment, then hands over to bin/_updown (which adds the routes)
    Path rec = west.ipsecDir().resolve("updown-rec");
    Files.createDirectories(rec);
    Path script = west.ipsecDir().resolve("rec-updown");
    Files.writeString(script, "#!/bin/sh\nenv | grep '^PLUTO_' | sort > " + rec + "/$PLUTO_VERB.env\nexec "
        + Path.of("..").toAbsolutePath().normalize().resolve("bin/_updown") + "\n");
    Files.setPosixFilePermissions(script, PosixFilePermissions.fromString("rwx------"));
    startPluto("modecfgpull=yes", "leftupdown=" + script);
    loadCharon("alice", ALICE_PW, true);
    charonGetsAnAddressAndTrafficFlows();
    assertTrue(west.plutoLog().contains("ModeCfg: sent reply with 10.9.100.10"), west.plutoLog());
    String up = Files.readString(rec.resolve("up-client.env"));
    assertTrue(up.contains("PLUTO_XAUTH_USERNAME=alice\n"), up);
    assertTrue(up.contains("PLUTO_PEER_CLIENT=10.9.100.10/32\n"), "routes go to the client's address:\n" + up);
  }

  @Test
  void pushModeSetsTheAddress() throws Exception {
    startPluto();
    loadCharon("alice", ALICE_PW, false);
    charonGetsAnAddressAndTrafficFlows();
    assertTrue(west.plutoLog().contains("STATE_MODE_CFG_R1"), west.plutoLog());
  }

  @Test
  void wrongPasswordIsRefusedThreeTimesThenTheSaGoes() throws Exception {
    startPluto("modecfgpull=yes");
    loadCharon("alice", "not-alices-password", true);
    Result r = charon.swanctl("--initiate", "--child", "net", "--timeout", "30");
    assertTrue(r.exitCode() != 0, "charon's initiate fails: " + r);
    PlutoPeers.await("pluto refused three tries and deleted the ISAKMP SA",
        () -> west.plutoLog().contains("Authentication Failed: wrong password (try 3 of 3)")
            && PlutoPeers.ikeStates(west).isEmpty(), 20_000);
    String log = west.plutoLog();
    assertEquals(3, log.lines().filter(l -> l.contains("XAUTH: User alice: Authentication Failed")).count(), log);
    assertTrue(log.contains("XAUTH: User alice: Authentication Failed: wrong password (try 1 of 3)"), log);
    assertFalse(log.contains("not-alices-password"), "the password never reaches the log");
    assertTrue(PlutoPeers.childSpis(west).isEmpty(), "no IPsec SA without XAUTH");
    assertTrue(charon.listSas().stream().noneMatch(s -> s.state().equals("ESTABLISHED")), charon.log());
  }
}
