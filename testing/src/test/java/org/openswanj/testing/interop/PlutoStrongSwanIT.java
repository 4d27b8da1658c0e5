package org.openswanj.testing.interop;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.openswanj.testing.interop.PlutoPeers.CONN;
import static org.openswanj.testing.interop.PlutoPeers.PSK;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.openswanj.testing.lab.ChildSaInfo;
import org.openswanj.testing.lab.IkeSaInfo;
import org.openswanj.testing.lab.Result;
import org.openswanj.testing.lab.SwanctlConn;

/**
 * Issue 3's interop, as an administrator would run it: pluto on west (driven only through bin/ipsec, klips
 * backend so traffic flows) and a stock strongSwan charon on east (kernel-libipsec, ESP in UDP). Both
 * directions, AES-GCM and AES-CBC+SHA2, Curve25519 and MODP-2048, rekey and delete from either side.
 */
class PlutoStrongSwanIT extends CharonLabTest {

  PlutoStrongSwanIT() {
    super("ojps");
  }

  private void start(String ike, String esp, String charonIke, String charonEsp, String... extra) {
    String[] lines = new String[extra.length + 2];
    lines[0] = "ike=" + ike;
    lines[1] = "esp=" + esp;
    System.arraycopy(extra, 0, lines, 2, extra.length);
    west.startPluto(PlutoPeers.ipsecConf(west, lab.east(), "klips", lines), PlutoPeers.secrets(west, lab.east()));
    east.load(SwanctlConn.psk(CONN, lab.east(), west, PSK).proposals(charonIke).espProposals(charonEsp).build());
    west.ipsec("auto", "--add", CONN).requireOk();
  }

  /** Both sides established, SPIs crossed, pings answered. */
  private IkeSaInfo assertTunnel(Boolean plutoInitiated) {
    IkeSaInfo e = east.established(CONN);
    assertEquals(2, e.version());
    if (plutoInitiated != null) {
      assertEquals(plutoInitiated, !e.initiator(), "who initiated");
    }
    ChildSaInfo ec = e.child("net");
    assertEquals("INSTALLED", ec.state());
    List<String[]> spis = PlutoPeers.childSpis(west);
    assertEquals(1, spis.size(), "one Child SA on pluto: " + west.ipsec("whack", "--status").stdout());
    assertEquals(spis.get(0)[1], ec.spiIn(), "pluto's outbound SPI is charon's inbound");
    assertEquals(spis.get(0)[0], ec.spiOut(), "charon's outbound SPI is pluto's inbound");
    assertTrue(west.ping("192.0.2.254", "192.0.1.254", 4).allReplied(), "pings cross the tunnel");
    return e;
  }

  /** Waits, and on time-out shows both daemons' last log lines. */
  private void await(String what, java.util.function.BooleanSupplier cond, long millis) {
    try {
      PlutoPeers.await(what, cond, millis);
    } catch (AssertionError e) {
      throw new AssertionError(e.getMessage() + "\n--- pluto.log (west) ---\n" + tail(west.plutoLog(), 40)
          + "\n--- charon (east) ---\n" + tail(east.log(), 40), e);
    }
  }

  private static String tail(String s, int n) {
    String[] l = s.split("\n");
    return String.join("\n", java.util.Arrays.copyOfRange(l, Math.max(0, l.length - n), l.length));
  }

  @Test
  void plutoInitiatesAesGcmCurve25519() {
    start("aes128gcm16-sha2_256;x25519", "aes128gcm16", "aes128gcm16-prfsha256-x25519", "aes128gcm16");
    Result up = west.ipsec("auto", "--up", CONN);
    assertEquals(0, up.exitCode(), up.toString());
    assertTrue(up.stdout().contains("STATE_PARENT_I3: PARENT SA established"), up.stdout());
    IkeSaInfo e = assertTunnel(true);
    assertEquals("AES_GCM_16", e.encrAlg());
    assertEquals("CURVE_25519", e.dhGroup());
  }

  @Test
  void plutoInitiatesAesCbcSha2Modp2048() {
    start("aes128-sha2_256-modp2048", "aes128-sha2_256", "aes128-sha256-modp2048", "aes128-sha256");
    assertEquals(0, west.ipsec("auto", "--up", CONN).exitCode());
    IkeSaInfo e = assertTunnel(true);
    assertEquals("AES_CBC", e.encrAlg());
    assertEquals("MODP_2048", e.dhGroup());
    assertEquals("HMAC_SHA2_256_128", e.child("net").integAlg());
  }

  @Test
  void charonInitiatesToPluto() {
    start("aes128gcm16-sha2_256;x25519", "aes128gcm16", "aes128gcm16-prfsha256-x25519", "aes128gcm16");
    east.initiate("net");
    assertEquals(List.of("STATE_PARENT_R2"), PlutoPeers.ikeStates(west));
    assertTunnel(false);
  }

  @Test
  void rekeysFromEitherSideKeepTheTunnel() {
    // pfs=yes (Openswan's default): charon must allow the DH group in its ESP proposals for pluto's rekey
    start("aes128gcm16-sha2_256;x25519", "aes128gcm16", "aes128gcm16-prfsha256-x25519", "aes128gcm16-x25519",
        "salifetime=25s", "rekeymargin=10s", "rekeyfuzz=0%");
    assertEquals(0, west.ipsec("auto", "--up", CONN).exitCode());
    String first = PlutoPeers.childSpis(west).get(0)[0];
    // charon rekeys the Child SA, then the IKE SA
    east.rekeyChild("net");
    await("charon's child rekey seen by pluto", () -> {
      List<String[]> s = PlutoPeers.childSpis(west);
      return s.size() == 1 && !s.get(0)[0].equals(first);
    }, 10_000);
    assertTunnel(true);
    String ikeSpi = east.established(CONN).localSpi();
    east.rekeyIke(CONN);
    await("charon's IKE rekey", () -> !east.established(CONN).localSpi().equals(ikeSpi)
        && PlutoPeers.ikeStates(west).size() == 1, 10_000);
    // pluto rekeys the Child SA itself before salifetime (25s - 10s margin)
    String second = PlutoPeers.childSpis(west).get(0)[0];
    await("pluto's own child rekey", () -> {
      List<String[]> s = PlutoPeers.childSpis(west);
      return s.size() == 1 && !s.get(0)[0].equals(second);
    }, 25_000);
    assertTunnel(null); // RFC 7296 §2.18: after charon's IKE rekey, charon is the initiator of the IKE SA
  }

  @Test
  void deleteFromEitherSide() {
    start("aes128gcm16-sha2_256;x25519", "aes128gcm16", "aes128gcm16-prfsha256-x25519", "aes128gcm16");
    assertEquals(0, west.ipsec("auto", "--up", CONN).exitCode());
    assertEquals(0, west.ipsec("auto", "--down", CONN).exitCode());
    await("charon dropped the SAs after pluto's Delete", () -> east.listSas().isEmpty(), 5_000);
    assertTrue(PlutoPeers.ikeStates(west).isEmpty());
    assertEquals(0, west.ipsec("auto", "--up", CONN).exitCode());
    east.terminateIke(CONN);
    await("pluto dropped the SAs after charon's Delete", () -> PlutoPeers.ikeStates(west).isEmpty(), 5_000);
    assertTrue(PlutoPeers.childSpis(west).isEmpty());
    assertTrue(west.ipsec("look").stdout().lines().noneMatch(l -> l.startsWith("sa ")), "no SA left in klips");
  }
}
