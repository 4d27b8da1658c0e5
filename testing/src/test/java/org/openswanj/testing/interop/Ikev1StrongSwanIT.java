package org.openswanj.testing.interop;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.openswanj.testing.interop.PlutoPeers.CONN;
import static org.openswanj.testing.interop.PlutoPeers.PSK;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.openswanj.testing.lab.ChildSaInfo;
import org.openswanj.testing.lab.Host;
import org.openswanj.testing.lab.IkeSaInfo;
import org.openswanj.testing.lab.Result;
import org.openswanj.testing.lab.SwanctlConn;

/**
 * IKEv1 interop through bin/ipsec: pluto on west (klips, so traffic flows) against charon on east with
 * {@code version = 1} and kernel-libipsec ({@code encap = yes}: charon claims a NAT, so NAT-T RFC 3947 and
 * UDP-encapsulated ESP are exercised). Main Mode both directions, Aggressive Mode, deletes from either side.
 */
class Ikev1StrongSwanIT extends CharonLabTest {

  Ikev1StrongSwanIT() {
    super("oj1s");
  }

  /** PlutoPeers.ipsecConf with Openswan's IKEv1 policy ({@code ikev2=never}) instead of insist. */
  private static String ipsecConf(Host me, Host peer, String... lines) {
    return PlutoPeers.ipsecConf(me, peer, "klips", lines).replace("\tikev2=insist\n", "\tikev2=never\n");
  }

  /** pfs=yes is Openswan's default, so charon's ESP proposals name the DH group for Quick Mode's KE. */
  private void start(boolean aggressive, String ike, String esp, String charonIke, String charonEsp) {
    west.startPluto(ipsecConf(west, lab.east(), "ike=" + ike, "esp=" + esp, "aggrmode=" + (aggressive ? "yes" : "no")),
        PlutoPeers.secrets(west, lab.east()));
    east.load(SwanctlConn.psk(CONN, lab.east(), west, PSK).ikeVersion(1).aggressive(aggressive).proposals(charonIke)
        .espProposals(charonEsp).build());
    west.ipsec("auto", "--add", CONN).requireOk();
  }

  /** {@code ipsec auto --up}; on a time-out both daemons' logs are shown. */
  private Result upWithLogs() {
    try {
      return west.ipsec("auto", "--up", CONN);
    } catch (RuntimeException e) {
      throw new AssertionError(e.getMessage() + "\n--- pluto.log ---\n" + west.plutoLog() + "\n--- charon ---\n"
          + east.log(), e);
    }
  }

  private IkeSaInfo assertTunnel() {
    IkeSaInfo e = east.established(CONN);
    assertEquals(1, e.version());
    ChildSaInfo ec = e.child("net");
    assertEquals("INSTALLED", ec.state());
    List<String[]> spis = PlutoPeers.childSpis(west);
    assertEquals(1, spis.size(), "one IPsec SA on pluto: " + west.ipsec("whack", "--status").stdout());
    assertEquals(spis.get(0)[1], ec.spiIn(), "pluto's outbound SPI is charon's inbound");
    assertEquals(spis.get(0)[0], ec.spiOut(), "charon's outbound SPI is pluto's inbound");
    var ping = west.ping("192.0.2.254", "192.0.1.254", 4);
    assertTrue(ping.allReplied(), () -> "pings cross the tunnel:\n" + ping.output() + "\n--- pluto.log ---\n"
        + west.plutoLog() + "\n--- charon ---\n" + east.log());
    return e;
  }

  private void await(String what, java.util.function.BooleanSupplier cond, long millis) {
    try {
      PlutoPeers.await(what, cond, millis);
    } catch (AssertionError e) {
      throw new AssertionError(e.getMessage() + "\n--- pluto.log ---\n" + west.plutoLog() + "\n--- charon ---\n"
          + east.log(), e);
    }
  }

  @Test
  void plutoInitiatesMainModeAesCbcSha1Modp2048() {
    start(false, "aes128-sha1-modp2048", "aes128-sha1", "aes128-sha1-modp2048", "aes128-sha1-modp2048");
    Result up = upWithLogs();
    assertEquals(0, up.exitCode(), up + "\n" + east.log());
    assertTrue(up.stdout().contains("STATE_MAIN_I4: ISAKMP SA established {auth=OAKLEY_PRESHARED_KEY cipher=aes_128"
        + " prf=oakley_sha group=modp2048}"), up.stdout());
    assertTrue(up.stdout().contains("STATE_QUICK_I2: sent QI2, IPsec SA established tunnel mode {ESP/NAT=>0x"),
        up.stdout());
    IkeSaInfo e = assertTunnel();
    assertEquals("MODP_2048", e.dhGroup());
  }

  @Test
  void charonInitiatesMainModeSha2() {
    start(false, "aes256-sha2_256-modp2048", "aes256-sha2_256", "aes256-sha256-modp2048", "aes256-sha256-modp2048");
    east.initiate("net");
    await("pluto has the IPsec SA", () -> PlutoPeers.childSpis(west).size() == 1, 10_000);
    assertEquals(List.of("STATE_MAIN_R3"), PlutoPeers.ikeStates(west));
    IkeSaInfo e = assertTunnel();
    assertEquals("HMAC_SHA2_256_128", e.child("net").integAlg());
  }

  @Test
  void plutoInitiatesAggressiveMode() {
    start(true, "aes128-sha1-modp2048", "aes128-sha1", "aes128-sha1-modp2048", "aes128-sha1-modp2048");
    Result up = upWithLogs();
    assertEquals(0, up.exitCode(), up + "\n" + east.log());
    assertTrue(up.stdout().contains("STATE_AGGR_I2: sent AI2, ISAKMP SA established"), up.stdout());
    assertTunnel();
  }

  @Test
  void deleteFromEitherSide() {
    start(false, "aes128-sha1-modp2048", "aes128-sha1", "aes128-sha1-modp2048", "aes128-sha1-modp2048");
    assertEquals(0, upWithLogs().exitCode());
    assertEquals(0, west.ipsec("auto", "--down", CONN).exitCode());
    await("charon dropped the SAs after pluto's Deletes", () -> east.listSas().isEmpty(), 5_000);
    assertTrue(PlutoPeers.childSpis(west).isEmpty());
    assertEquals(0, upWithLogs().exitCode());
    east.terminateIke(CONN);
    await("pluto dropped the IPsec SA after charon's Delete", () -> PlutoPeers.childSpis(west).isEmpty(), 5_000);
    assertTrue(west.ipsec("look").stdout().lines().noneMatch(l -> l.startsWith("sa ")), "no SA left in klips");
  }
}
