package org.openswanj.testing.interop;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.openswanj.testing.lab.Host;
import org.openswanj.testing.lab.IkeSaInfo;
import org.openswanj.testing.lab.Lab;
import org.openswanj.testing.lab.Result;
import org.openswanj.testing.lab.StrongSwan;
import org.openswanj.testing.lab.SwanctlConn;

/**
 * {@code kill -9} of west's pluto with 20 tunnels up on klips (10 IKEv2, 10 IKEv1), and a restart with {@code ipsec setup start}
 * (issue 13). KLIPS here is user space: the {@code ipsecN} TUN devices, eroutes and SAs live in pluto's JVM, so
 * a crash takes them all with it (a non-persistent TUN device goes with its last descriptor, and the routes
 * through it with the device); nothing is left in the kernel for the restarted pluto to clean, which the test
 * checks rather than assumes. What a crash does leave is the peer's state: east still holds the IKE and Child
 * SAs of west's previous life. East runs {@code uniqueids=no}, so only RFC 7296 §2.4 INITIAL_CONTACT, which the
 * restarted west sends in its first IKE_AUTH, and RFC 2407 §4.6.3.3 INITIAL-CONTACT in its first Main Mode, can
 * remove them.
 */
class RestartIT {
  private static final int CONNS = 20;
  private static final int IKEV2_CONNS = 10;
  /** The bound on all 20 conns back after {@code ipsec setup start}; the measured time is printed. */
  private static final long ALL_UP_BOUND_MS = 30_000;

  private Lab lab;
  private Host west;
  private Host east;

  @BeforeEach
  void up() {
    Lab.requirePluto();
    lab = Lab.up("ojrs");
    west = lab.west();
    east = lab.east();
  }

  @AfterEach
  void down() {
    lab.stopPlutosAndClose();
  }

  /** pair1..pair10 IKEv2, pair11..pair20 IKEv1 (which share one ISAKMP SA). */
  private void configure(Host h, Host peer, String auto, String setupLines) throws Exception {
    configure(h, peer, IKEV2_CONNS, auto, setupLines + PlutoPeers.subnetPairConns(h, peer, IKEV2_CONNS + 1, CONNS,
        "ikev2=never", "ike=aes256-sha2_256-modp2048", "esp=aes256-sha2_256", "auto=" + auto));
  }

  /** pair1..pair{conns} IKEv2, after {@code more} (config setup lines, other conns). */
  private void configure(Host h, Host peer, int conns, String auto, String more) throws Exception {
    String conf = "config setup\n\tprotostack=klips\n\tinterfaces=\"ipsec0=eth0\"\n\tplutostderrlog=" + log(h)
        + "\n" + more + PlutoPeers.subnetPairConns(h, peer, 1, conns, "ikev2=insist",
            "ike=aes256-sha2_256-modp2048", "esp=aes256gcm16", "auto=" + auto);
    PlutoPeers.install(h, conf, PlutoPeers.secrets(h, peer));
    PlutoPeers.addPairAddresses(h, CONNS);
  }

  private long killPluto(Host h) throws Exception {
    long pid = Long.parseLong(Files.readString(Path.of(h.ctlbase() + ".pid")).trim());
    h.exec("kill", "-9", Long.toString(pid)).requireOk();
    PlutoPeers.await("pluto gone", () -> !Lab.isRunning(pid), 5_000);
    return pid;
  }

  private static Path log(Host h) {
    return h.dir().resolve("pluto-setup.log");
  }

  private static String logs(Host... hosts) throws Exception {
    StringBuilder b = new StringBuilder();
    for (Host h : hosts) {
      b.append("\n--- ").append(h.name()).append("'s log:\n")
          .append(Files.exists(log(h)) ? Files.readString(log(h)) : "(none)");
    }
    return b.toString();
  }

  /** All 20 Child SAs up on west, each with its twin on east, and east holding nothing else. */
  private boolean allUp() {
    List<String[]> w = PlutoPeers.childSpis(west);
    List<String[]> e = PlutoPeers.childSpis(east);
    return w.size() == CONNS && e.size() == CONNS && twinned(w, e);
  }

  /** Every east Child SA sends to an inbound SPI of west's (no SA of a previous life on east). */
  private static boolean twinned(List<String[]> w, List<String[]> e) {
    Set<String> westIn = new HashSet<>();
    w.forEach(s -> westIn.add(s[0]));
    return e.stream().allMatch(s -> westIn.contains(s[1]));
  }

  private static int count(String text, String regex) {
    Matcher m = Pattern.compile(regex, Pattern.MULTILINE).matcher(text);
    int n = 0;
    while (m.find()) {
      n++;
    }
    return n;
  }

  private void pingEveryConn(String when) {
    List<Integer> failed = new ArrayList<>();
    for (int n = 1; n <= CONNS; n++) {
      if (!west.ping(PlutoPeers.pairAddress(east, n), PlutoPeers.pairAddress(west, n), 1).allReplied()) {
        failed.add(n);
      }
    }
    assertTrue(failed.isEmpty(), when + ": pings lost on pair" + failed);
  }

  /** west's klips as {@code ipsec look} shows it: exactly one eroute and one SA pair per conn. */
  private void assertOneSaPairPerConn(String when) {
    String look = west.ipsec("look").requireOk().stdout();
    assertEquals(CONNS, count(look, "^eroute 10\\.1\\.\\d+\\.0/24 -> 10\\.2\\.\\d+\\.0/24 => esp:"), when + ":\n" + look);
    assertEquals(CONNS, count(look, "^out esp:"), when + ": outbound SAs\n" + look);
    assertEquals(CONNS, count(look, "^in  esp:"), when + ": inbound SAs\n" + look);
  }

  @Test
  void killedWithTwentyTunnelsUpPlutoRestartsCleanAndThePeerDropsTheOldSas() throws Exception {
    configure(east, west, "add", "\tuniqueids=no\n");
    configure(west, east, "start", "");
    assertEquals(0, east.setup("start").exitCode());
    long started = System.currentTimeMillis();
    assertEquals(0, west.setup("start").exitCode());
    try {
      PlutoPeers.await("auto=start brings the " + CONNS + " tunnels up", this::allUp, ALL_UP_BOUND_MS);
    } catch (AssertionError e) {
      throw new AssertionError(e.getMessage() + logs(west, east), e);
    }
    long firstUp = System.currentTimeMillis() - started;
    for (int n : new int[] {1, CONNS / 2, CONNS}) {
      assertTrue(west.ping(PlutoPeers.pairAddress(east, n), PlutoPeers.pairAddress(west, n), 2).allReplied(),
          "traffic crosses pair" + n);
    }
    assertOneSaPairPerConn("before the kill");
    List<String[]> oldEast = PlutoPeers.childSpis(east);

    killPluto(west);
    // what the crash left: with user-space KLIPS, nothing in the kernel (no ipsecN, no route into one, no XFRM)
    long killed = System.currentTimeMillis();
    try {
      // the kernel unregisters a TUN device once its last queue's descriptor is closed, which can lag the exit
      PlutoPeers.await("ipsecN gone with the process", () -> west.exec("ip", "-o", "link", "show").requireOk()
          .stdout().lines().noneMatch(l -> l.matches("\\d+: ipsec\\d+.*")), 10_000);
    } catch (AssertionError e) {
      throw new AssertionError(e.getMessage() + ": " + west.exec("ip", "-o", "link", "show").stdout()
          + west.exec("sh", "-c", "ls -l /proc/[0-9]*/fd 2>/dev/null | grep -B30 tun | grep -E '^/proc|tun'").stdout(), e);
    }
    System.out.println("restart: ipsecN gone " + (System.currentTimeMillis() - killed) + " ms after the kill");
    String routes = west.exec("ip", "route", "show", "table", "all").requireOk().stdout();
    assertTrue(!routes.contains("dev ipsec"), "no route through a dead ipsecN:\n" + routes);
    assertEquals("", west.exec("ip", "xfrm", "state").requireOk().stdout().strip(), "no XFRM state");
    assertEquals("", west.exec("ip", "xfrm", "policy").requireOk().stdout().strip(), "no XFRM policy");
    assertEquals(CONNS, PlutoPeers.childSpis(east).size(), "east still holds west's previous life");

    long restarted = System.currentTimeMillis();
    Result again = west.setup("start");
    assertEquals(0, again.exitCode(), "a stale pid file and socket do not block a restart: " + again);
    try {
      PlutoPeers.await("every auto=start conn back, east holding only the new SAs", this::allUp, ALL_UP_BOUND_MS);
    } catch (AssertionError e) {
      throw new AssertionError(e.getMessage() + "; east's Child SAs " + PlutoPeers.childSpis(east).size()
          + ", IKE SAs " + PlutoPeers.ikeStates(east).size() + logs(west, east), e);
    }
    long backUp = System.currentTimeMillis() - restarted;
    System.out.println("restart: " + CONNS + " conns up " + firstUp + " ms after the first start, back "
        + backUp + " ms after ipsec setup start following kill -9 (bound " + ALL_UP_BOUND_MS + " ms)");

    pingEveryConn("after the restart");
    assertOneSaPairPerConn("after the restart");
    // the one IKE SA the IKEv2 conns share (RFC 7296 §1.3.1) and the one ISAKMP SA the IKEv1 conns share
    assertEquals(2, PlutoPeers.ikeStates(east).size(), "east's IKE SAs, none of the old life");
    Set<String> oldIn = new HashSet<>();
    oldEast.forEach(s -> oldIn.add(s[0]));
    assertTrue(PlutoPeers.childSpis(east).stream().noneMatch(s -> oldIn.contains(s[0])),
        "no old Child SA left on east");
    String eastLog = logs(east);
    assertTrue(eastLog.contains("received INITIAL_CONTACT"), "east deleted them on INITIAL_CONTACT:" + eastLog);
    // plutostderrlog= is appended to: one line for each of west's two lives
    assertEquals(2, count(logs(west), "sending INITIAL_CONTACT"), "one IKE_AUTH per life carries it");
    assertEquals(2, count(logs(west), "sending INITIAL-CONTACT"), "and one Main Mode per life");
    assertTrue(eastLog.contains("received INITIAL-CONTACT"), "IKEv1's too:" + eastLog);
  }

  /**
   * Charon's conn {@code west} with children pair1 and pair2 (charon picks a conn by IDs only, then the child by
   * TS, so two conns with the same IDs would refuse pair2's TS). Its {@code unique = no} (the default) replaces
   * older IKE SAs of the same identities only on INITIAL_CONTACT. pair2's Child SA comes by CREATE_CHILD_SA on
   * pair1's IKE SA, with PFS (pfs=yes, Openswan's default, RFC 7296 §1.3.1 KEi), so charon's ESP proposals allow a
   * DH group as well as none.
   */
  private void loadCharon(StrongSwan charon) {
    String conf = SwanctlConn.render(SwanctlConn.psk("west", east, west, PlutoPeers.PSK).child("pair1")
        .ts(PlutoPeers.pairSubnet(east, 1), PlutoPeers.pairSubnet(west, 1))
        .proposals("aes256-sha256-modp2048").espProposals("aes256gcm16-modp2048,aes256gcm16").build());
    String pair2 = "      pair2 {\n        local_ts = " + PlutoPeers.pairSubnet(east, 2) + "\n        remote_ts = "
        + PlutoPeers.pairSubnet(west, 2) + "\n        esp_proposals = aes256gcm16-modp2048,aes256gcm16\n"
        + "        start_action = none\n"
        + "      }\n";
    String end = "      }\n    }\n  }\n}\nsecrets";
    assertTrue(conf.contains(end), conf);
    charon.load(conf.replace(end, "      }\n" + pair2 + end.substring("      }\n".length())));
    PlutoPeers.addPairAddresses(east, 2);
  }

  /**
   * Charon's one established IKE SA (pluto's two conns share it, RFC 7296 §1.3.1), its two children INSTALLED and
   * sending to west's SPIs.
   */
  private static boolean charonMatches(StrongSwan charon, List<String[]> west) {
    List<IkeSaInfo> sas = charon.listSas();
    Set<String> westIn = new HashSet<>();
    west.forEach(s -> westIn.add(s[0]));
    return west.size() == 2 && sas.size() == 1 && sas.get(0).state().equals("ESTABLISHED")
        && sas.get(0).children().size() == 2 && sas.get(0).children().stream().allMatch(c ->
        c.state().equals("INSTALLED") && westIn.contains(c.spiOut()));
  }

  @Test
  void killedAgainstCharonTheRestartedPlutosInitialContactClearsCharonsOldSas() throws Exception {
    Lab.requireCharon();
    StrongSwan charon = east.strongSwan();
    charon.start();
    loadCharon(charon);
    configure(west, east, 2, "start", "");
    assertEquals(0, west.setup("start").exitCode());
    try {
      PlutoPeers.await("both conns up with charon", () -> charonMatches(charon, PlutoPeers.childSpis(west)), 30_000);
    } catch (AssertionError e) {
      throw new AssertionError(e.getMessage() + logs(west) + "\n--- charon:\n" + charon.log(), e);
    }
    Set<Long> oldIds = new HashSet<>();
    charon.listSas().forEach(s -> oldIds.add(s.uniqueId()));

    killPluto(west);
    long restarted = System.currentTimeMillis();
    assertEquals(0, west.setup("start").exitCode());
    try {
      PlutoPeers.await("both conns back, charon holding only the new IKE SAs",
          () -> charonMatches(charon, PlutoPeers.childSpis(west)), 30_000);
    } catch (AssertionError e) {
      throw new AssertionError(e.getMessage() + ": charon has " + charon.listSas() + logs(west) + "\n--- charon:\n"
          + charon.log(), e);
    }
    System.out.println("restart against charon: 2 conns back " + (System.currentTimeMillis() - restarted)
        + " ms after ipsec setup start following kill -9");
    assertTrue(charon.listSas().stream().noneMatch(s -> oldIds.contains(s.uniqueId())), "no old IKE SA on charon");
    assertTrue(charon.log().contains("INITIAL_CONTACT"), "charon acted on INITIAL_CONTACT:\n" + charon.log());
    for (int n = 1; n <= 2; n++) {
      assertTrue(west.ping(PlutoPeers.pairAddress(east, n), PlutoPeers.pairAddress(west, n), 2).allReplied(),
          "traffic crosses pair" + n);
    }
  }
}
