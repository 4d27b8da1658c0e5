package org.openswanj.testing.interop;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.openswanj.testing.interop.PlutoPeers.CONN;

import java.nio.file.Files;
import java.security.KeyPair;
import java.security.interfaces.RSAPublicKey;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.openswanj.pluto.crypto.RsaAuth;
import org.openswanj.testing.lab.Host;
import org.openswanj.testing.lab.Lab;
import org.openswanj.testing.lab.PingResult;
import org.openswanj.testing.lab.Result;

/**
 * pluto to pluto over IKEv1 (RFC 2409), direct, through bin/ipsec on klips. One lab per row: Main Mode PSK, Main
 * Mode with raw RSA keys (leftrsasigkey=/rightrsasigkey=, Openswan's default authby=rsasig) and Aggressive Mode
 * PSK. Each row brings the tunnel up with {@code ipsec auto --up}, then keeps a ping running while west rekeys
 * the IPsec SA (salifetime=12s, rekeymargin=6s: Quick Mode at ~6, ~12, ~18 s) and the ISAKMP SA (ikelifetime=20s:
 * a new phase 1 at ~14 s, the IPsec SAs move onto it and the old one is deleted, after which Quick Mode rekeys on
 * the new one): no ping may be lost. East, the responder, has the same lifetimes with half the margin, so west
 * always rekeys first (Openswan's responder waits longer for the same reason). Then deletes from either side.
 * DPD (RFC 3706) once, on Main Mode PSK: the peer killed with {@code kill -9} is declared dead within
 * dpddelay + dpdtimeout and dpdaction=clear runs; with dpdaction=restart the tunnel comes back once the peer does.
 */
class Ikev1PlutoPlutoIT {
  enum Mode { MAIN_PSK, MAIN_RSA, AGGRESSIVE_PSK }

  private static final Pattern IKE = Pattern.compile("\\{\"serial\":(\\d+),\"conn\":\"[^\"]*\",\"kind\":\"IKE\"");
  private static final Pattern IPSEC = Pattern.compile(
      "\\{\"serial\":(\\d+),\"conn\":\"[^\"]*\",\"kind\":\"IPSEC\",\"state\":\"[A-Z0-9_]+\",\"parent\":(\\d+),"
          + "\"inSpi\":\"0x([0-9a-f]{8})\"");

  private static final Pattern ESTABLISHED_ISAKMP = Pattern.compile(
      "#(\\d+): \"" + CONN + "\":500 STATE_(?:MAIN_I4|AGGR_I2) ");

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
  @EnumSource(Mode.class)
  void upRekeysUnderTrafficAndDeletesFromEitherSide(Mode mode) throws Exception {
    lab = Lab.up("ojv1" + mode.ordinal());
    west = lab.west();
    east = lab.east();
    KeyPair westKey = mode == Mode.MAIN_RSA ? LabCa.rsa() : null;
    KeyPair eastKey = mode == Mode.MAIN_RSA ? LabCa.rsa() : null;
    List<String> rekey = List.of("salifetime=12s", "ikelifetime=20s", "rekeyfuzz=0%");
    start(east, west, mode, eastKey, westKey, with(rekey, "rekeymargin=3s"));
    start(west, east, mode, westKey, eastKey, with(rekey, "rekeymargin=6s"));
    up(mode);
    long ike0 = single(ikeSerials(west), "west's ISAKMP SA");
    String spi0 = PlutoPeers.childSpis(west).get(0)[0];

    // 100 pings 0.2 s apart: 20 s, in which both the IPsec SA and the ISAKMP SA are replaced
    long t0 = System.nanoTime();
    CompletableFuture<PingResult> ping = CompletableFuture.supplyAsync(
        () -> west.ping(east.subnetAddress(), west.subnetAddress(), 100));
    PlutoPeers.await("west's new ISAKMP SA", () -> ikeSerials(west).stream().anyMatch(s -> s != ike0), 25_000);
    PingResult p = ping.get();
    long seconds = (System.nanoTime() - t0) / 1_000_000_000L;
    assertEquals(100, p.received(), "no ping lost across the rekeys (" + seconds + " s):\n" + p.output() + logs());

    // one snapshot of whack --status: one established ISAKMP SA, not the first, and every IPsec SA keyed on it
    String text = status(west);
    Matcher m = ESTABLISHED_ISAKMP.matcher(text);
    List<Long> ikes = new ArrayList<>();
    while (m.find()) {
      ikes.add(Long.parseLong(m.group(1)));
    }
    long ike1 = single(ikes, "one established ISAKMP SA on west after the replacement (the old one is deleted):\n"
        + text);
    assertNotEquals(ike0, ike1, text);
    Matcher parents = Pattern.compile("; isakmp#(\\d+);").matcher(text);
    int n = 0;
    for (; parents.find(); n++) {
      assertEquals(Long.toString(ike1), parents.group(1), "the IPsec SAs moved to the new ISAKMP SA:\n" + text);
    }
    assertTrue(n >= 1, text);
    assertTrue(west.plutoLog().contains("replace #" + ike0 + " (ikelifetime)"), west.plutoLog());
    assertTrue(west.plutoLog().contains("initiating Quick Mode to replace #"), "phase 2 rekeyed too");
    PlutoPeers.await("east dropped the old ISAKMP SA on west's Delete", () -> ikeSerials(east).size() == 1, 5_000);
    // a Quick Mode on the new ISAKMP SA (~18 s) has rekeyed once more, and the first IPsec SA is gone
    PlutoPeers.await("a new IPsec SA keyed on an ISAKMP SA other than #" + ike0, () -> ipsecSas(west).stream()
        .anyMatch(s -> !s[1].equals(Long.toString(ike0)) && !s[2].equals(spi0)), 10_000);
    PlutoPeers.await("the first IPsec SA gone", () -> PlutoPeers.childSpis(west).stream()
        .noneMatch(s -> s[0].equals(spi0)), 10_000);
    PlutoPeers.await("east has the IPsec SAs west has", () -> {
      List<String[]> e = PlutoPeers.childSpis(east);
      return PlutoPeers.childSpis(west).stream().anyMatch(w -> e.stream()
          .anyMatch(x -> x[0].equals(w[1]) && x[1].equals(w[0])));
    }, 5_000);
    PingResult after = west.ping(east.subnetAddress(), west.subnetAddress(), 3);
    assertTrue(after.allReplied(), "the IPsec SAs work after the old ISAKMP SA is gone:\n" + after.output() + logs());

    // west deletes; then up again and east deletes
    assertEquals(0, west.ipsec("auto", "--down", CONN).exitCode());
    awaitNoSas("both sides' SAs gone after west's --down");
    up(mode);
    assertEquals(0, east.ipsec("auto", "--down", CONN).exitCode());
    awaitNoSas("both sides' SAs gone after east's --down");
    System.out.println("Ikev1PlutoPlutoIT " + mode + ": rekeys under a ping of " + seconds + " s, no loss");
  }

  /**
   * DPD on Main Mode PSK: east's pluto dies ({@code kill -9}); west, idle towards it, sends R_U_THERE after dpddelay
   * and declares it dead when no ACK comes within dpdtimeout (RFC 3706 §5.5), running dpdaction=clear: SAs and
   * eroute gone. Then west's conn is replaced with dpdaction=restart, the tunnel brought up again and east killed
   * once more: west declares it dead and re-initiates; east comes back and the tunnel is up again.
   */
  @Test
  void dpdClearsADeadPeerAndRestartBringsTheTunnelBack() throws Exception {
    lab = Lab.up("ojv1d");
    west = lab.west();
    east = lab.east();
    List<String> dpd = List.of("dpddelay=2", "dpdtimeout=6");
    start(east, west, Mode.MAIN_PSK, null, null, dpd);
    start(west, east, Mode.MAIN_PSK, null, null, with(dpd, "dpdaction=clear"));
    up(Mode.MAIN_PSK);

    long t0 = killEast();
    PlutoPeers.await("west declares east dead", () -> west.plutoLog()
        .contains("DPD: No response from peer - declaring peer dead (dpdaction=clear)"), 15_000);
    long ms = (System.nanoTime() - t0) / 1_000_000;
    // dpddelay (2 s) of silence, then dpdtimeout (6 s) without an ACK; 2.5 s of slack for the poll and a loaded
    // machine (the whole suite beside a VM measured 9.9 s)
    assertTrue(ms <= 10_500, "declared dead " + ms + " ms after the kill, not within dpddelay + dpdtimeout");
    PlutoPeers.await("dpdaction=clear removed west's SAs", () -> PlutoPeers.ikeStates(west).isEmpty()
        && PlutoPeers.childSpis(west).isEmpty(), 5_000);
    String look = west.ipsec("look").stdout();
    assertFalse(look.contains(east.subnet().replace("/24", "")), "no eroute left towards east's subnet:\n" + look);

    Files.writeString(west.ipsecConf(), conf(west, east, Mode.MAIN_PSK, null, null, with(dpd, "dpdaction=restart")));
    assertEquals(0, west.ipsec("auto", "--replace", CONN).exitCode());
    Files.deleteIfExists(east.ctlSocket());
    startPluto(east, conf(east, west, Mode.MAIN_PSK, null, null, dpd), PlutoPeers.secrets(east, west));
    up(Mode.MAIN_PSK);
    String before = PlutoPeers.childSpis(west).get(0)[0];
    t0 = killEast();
    // east reboots at once: it knows nothing of the old SAs, so west's R_U_THERE go unanswered all the same, and
    // its conn is loaded before west re-initiates (a Main Mode to a pluto without the conn is refused)
    Files.deleteIfExists(east.ctlSocket()); // left by the kill -9; Host waits for pluto's new one
    startPluto(east, conf(east, west, Mode.MAIN_PSK, null, null, dpd), PlutoPeers.secrets(east, west));
    PlutoPeers.await("west declares east dead again", () -> west.plutoLog()
        .contains("declaring peer dead (dpdaction=restart)"), 15_000);
    ms = (System.nanoTime() - t0) / 1_000_000;
    assertTrue(ms <= 10_500, "declared dead " + ms + " ms after the kill");
    // west's Main Mode retransmissions (0.5, 1, 2, 4 … s) reach the restarted east
    try {
      PlutoPeers.await("dpdaction=restart brought the tunnel back", () -> PlutoPeers.childSpis(west).size() == 1
          && PlutoPeers.childSpis(east).size() == 1, 30_000);
    } catch (AssertionError x) {
      throw new AssertionError(x.getMessage() + logs(), x);
    }
    assertNotEquals(before, PlutoPeers.childSpis(west).get(0)[0], "a new IPsec SA");
    PingResult p = west.ping(east.subnetAddress(), west.subnetAddress(), 3);
    assertTrue(p.allReplied(), "traffic crosses the restarted tunnel:\n" + p.output() + logs());
  }

  // ---- configuration, as an administrator writes it

  private static List<String> with(List<String> lines, String... more) {
    List<String> l = new ArrayList<>(lines);
    l.addAll(List.of(more));
    return l;
  }

  private static String sigkey(KeyPair k) {
    return "0s" + Base64.getEncoder().encodeToString(RsaAuth.toRfc3110((RSAPublicKey) k.getPublic()));
  }

  private static String conf(Host me, Host peer, Mode mode, KeyPair myKey, KeyPair peerKey, List<String> extra) {
    List<String> lines = new ArrayList<>(List.of("ike=aes128-sha1-modp2048", "esp=aes128-sha1",
        "aggrmode=" + (mode == Mode.AGGRESSIVE_PSK ? "yes" : "no")));
    if (mode == Mode.MAIN_RSA) {
      lines.add("leftrsasigkey=" + sigkey(myKey));
      lines.add("rightrsasigkey=" + sigkey(peerKey));
    }
    lines.addAll(extra);
    String conf = PlutoPeers.ipsecConf(me, peer, "klips", lines.toArray(String[]::new))
        .replace("\tikev2=insist\n", "\tikev2=never\n");
    return mode == Mode.MAIN_RSA ? conf.replace("\tauthby=secret\n", "\tauthby=rsasig\n") : conf;
  }

  private void start(Host me, Host peer, Mode mode, KeyPair myKey, KeyPair peerKey, List<String> extra)
      throws Exception {
    String secrets = PlutoPeers.secrets(me, peer);
    if (mode == Mode.MAIN_RSA) {
      Files.createDirectories(me.ipsecDir().resolve("private"));
      LabCa.write(me.ipsecDir().resolve("private/" + me.name() + ".pem"), myKey);
      secrets = ": RSA " + me.name() + ".pem\n";
    }
    startPluto(me, conf(me, peer, mode, myKey, peerKey, extra), secrets);
  }

  private static void startPluto(Host h, String conf, String secrets) {
    h.startPluto(conf, secrets);
    h.ipsec("auto", "--add", CONN).requireOk();
  }

  // ---- what the administrator does and checks

  private void up(Mode mode) {
    Result up = west.ipsec("auto", "--up", CONN);
    assertEquals(0, up.exitCode(), up + logs());
    String established = mode == Mode.AGGRESSIVE_PSK ? "STATE_AGGR_I2: sent AI2, ISAKMP SA established"
        : "STATE_MAIN_I4: ISAKMP SA established {auth=" + (mode == Mode.MAIN_RSA ? "OAKLEY_RSA_SIG" : "OAKLEY_PRESHARED_KEY");
    assertTrue(up.stdout().contains(established), up.stdout());
    assertTrue(up.stdout().contains("STATE_QUICK_I2: sent QI2, IPsec SA established tunnel mode {ESP=>0x"), up.stdout());
    PlutoPeers.await("east installed the IPsec SA", () -> PlutoPeers.childSpis(east).size() == 1, 5_000);
    PingResult p = west.ping(east.subnetAddress(), west.subnetAddress(), 3);
    assertTrue(p.allReplied(), "pings answered:\n" + p.output() + logs());
  }

  /** {@code kill -9} of east's pluto; returns when it is gone, as System.nanoTime() of the kill. */
  private long killEast() throws Exception {
    long pid = Long.parseLong(Files.readString(east.dir().resolve("pluto-lab.pid")).trim());
    long t0 = System.nanoTime();
    east.exec("kill", "-9", Long.toString(pid)).requireOk();
    // the Host's handle on the process too: Java reaps it a moment after the kernel did, and until then the
    // Host refuses to start a second pluto ("pluto already runs on east")
    PlutoPeers.await("east's pluto gone", () -> !Lab.isRunning(pid) && !east.plutoRunning(), 5_000);
    return t0;
  }

  /**
   * No SA left on either side, but for a responder's half-open Main Mode: a --down that lands while the initiator
   * replaces its ISAKMP SA deletes the initiator's half-open state, which has no keys to send a Delete with
   * (RFC 2408 §5.15 protects it with the ISAKMP SA), so the responder's MR1/MR2 state lives until it times out.
   */
  private void awaitNoSas(String what) {
    java.util.function.Predicate<String> keyed = s -> !s.equals("STATE_MAIN_R1") && !s.equals("STATE_MAIN_R2");
    try {
      PlutoPeers.await(what, () -> PlutoPeers.ikeStates(west).stream().noneMatch(keyed)
          && PlutoPeers.childSpis(west).isEmpty() && PlutoPeers.ikeStates(east).stream().noneMatch(keyed)
          && PlutoPeers.childSpis(east).isEmpty(), 10_000);
    } catch (AssertionError e) {
      throw new AssertionError(e.getMessage() + "\n" + status(west) + "\n" + status(east) + logs(), e);
    }
  }

  private static String status(Host h) {
    return h.ipsec("whack", "--status").requireOk().stdout();
  }

  private static List<Long> ikeSerials(Host h) {
    Matcher m = IKE.matcher(h.ipsec("whack", "--status", "--json").requireOk().stdout());
    List<Long> out = new ArrayList<>();
    while (m.find()) {
      out.add(Long.parseLong(m.group(1)));
    }
    return out;
  }

  /** [serial, parent serial, inSpi] of each installed IPsec SA. */
  private static List<String[]> ipsecSas(Host h) {
    Matcher m = IPSEC.matcher(h.ipsec("whack", "--status", "--json").requireOk().stdout());
    List<String[]> out = new ArrayList<>();
    while (m.find()) {
      out.add(new String[] {m.group(1), m.group(2), m.group(3)});
    }
    return out;
  }

  private static long single(List<Long> serials, String what) {
    assertEquals(1, serials.size(), what + ": " + serials);
    return serials.get(0);
  }

  private String logs() {
    StringBuilder b = new StringBuilder();
    for (Host h : List.of(west, east)) {
      b.append("\n--- ").append(h.name()).append(" pluto.log ---\n").append(h.plutoLog());
    }
    return b.toString();
  }
}
