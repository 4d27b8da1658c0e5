package org.openswanj.testing.interop;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.openswanj.testing.interop.PlutoPeers.CONN;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.openswanj.testing.lab.Host;
import org.openswanj.testing.lab.Lab;
import org.openswanj.testing.lab.Result;

/**
 * Faults on the path and at the peer, pluto to pluto on klips, driven as an administrator would with
 * {@code ipsec setup} (issue 13): 30% of IKE datagrams lost each way, and the peer killed and brought back
 * under {@code dpdaction=restart}, and every IKE datagram delayed 200 ms ± 100 ms each way. This kernel has no
 * netem: loss is made with iptables' statistic match, delay and jitter by {@code testing/lab/delay-line} (a TUN
 * device in each namespace that holds the marked IKE datagrams in user space).
 */
class FaultsIT {
  private Lab lab;
  private Host west;
  private Host east;

  @BeforeEach
  void up() {
    Lab.requirePluto();
    lab = Lab.up("ojft");
    west = lab.west();
    east = lab.east();
  }

  @AfterEach
  void down() {
    lab.stopPlutosAndClose();
  }

  private void configure(Host h, Host peer, String auto, String... lines) throws Exception {
    configure(h, peer, "klips", auto, lines);
  }

  private void configure(Host h, Host peer, String stack, String auto, String... lines) throws Exception {
    String[] all = Arrays.copyOf(new String[] {"ike=aes256-sha2_256-modp2048", "esp=aes256gcm16"}, 2 + lines.length);
    System.arraycopy(lines, 0, all, 2, lines.length);
    PlutoPeers.install(h, PlutoPeers.ipsecConf(h, peer, stack, all).replace("\tauto=add\n", "\tauto=" + auto + "\n")
        .replace("config setup\n", "config setup\n\tplutostderrlog=" + log(h) + "\n"), PlutoPeers.secrets(h, peer));
  }

  /** Where {@code ipsec setup start}'s pluto logs (plutostderrlog=). */
  private static Path log(Host h) {
    return h.dir().resolve("pluto-setup.log");
  }

  private static String logOf(Host h) {
    return read(log(h));
  }


  /** Drops {@code percent}% of the IKE datagrams {@code h} sends (ports 500 and 4500), at random. */
  private static void loseIke(Host h, int percent) {
    // the first IKE datagram each way is always lost, then PERCENT at random: a handshake and a rekey are only 6
    // to 8 datagrams, none of which a random 30 % drops in about one run of 17 (0.7^8), so "the loss really
    // happened" failed now and then although the lab worked (the full run of 2026-12-07, 17:00)
    h.exec("iptables", "-A", "OUTPUT", "-p", "udp", "--dport", "500", "-m", "statistic", "--mode", "nth",
        "--every", "1000000000", "--packet", "0", "-j", "DROP").requireOk();
    for (String port : List.of("500", "4500")) {
      h.exec("iptables", "-A", "OUTPUT", "-p", "udp", "--dport", port, "-m", "statistic", "--mode", "random",
          "--probability", String.valueOf(percent / 100.0), "-j", "DROP").requireOk();
    }
  }

  private static long droppedIke(Host h) {
    Result r = h.exec("iptables", "-L", "OUTPUT", "-v", "-x", "-n").requireOk();
    return r.stdout().lines().filter(l -> l.contains("DROP")).mapToLong(l -> Long.parseLong(l.trim().split("\\s+")[0]))
        .sum();
  }

  @Test
  void withThirtyPercentOfIkeLostEachWayTheTunnelComesUpAndRekeys() throws Exception {
    String[] shortLife = {"salifetime=30s", "rekeymargin=12s", "rekeyfuzz=0%"};
    configure(east, west, "add", shortLife);
    configure(west, east, "start", shortLife);
    loseIke(west, 30);
    loseIke(east, 30);
    assertEquals(0, east.setup("start").exitCode());
    assertEquals(0, west.setup("start").exitCode());
    withLogs(() -> PlutoPeers.await("auto=start brings the tunnel up through 30% loss", () ->
        PlutoPeers.childSpis(west).size() >= 1 && PlutoPeers.childSpis(east).size() >= 1, 90_000));
    assertTrue(west.ping("192.0.2.254", "192.0.1.254", 3).received() > 0, "traffic crosses");
    String first = PlutoPeers.childSpis(west).get(0)[0];
    // the Child SA is rekeyed rekeymargin before its 30 s, through the same loss; when the rekey is lost until
    // east's copy expired, west creates a new one (RFC 7296 §2.25)
    withLogs(() -> PlutoPeers.await("a rekeyed Child SA replaces " + first, () -> PlutoPeers.childSpis(west).stream()
        .anyMatch(s -> !s[0].equals(first)), 90_000));
    assertTrue(west.ping("192.0.2.254", "192.0.1.254", 3).received() > 0, "traffic crosses the rekeyed SA");
    assertTrue(droppedIke(west) + droppedIke(east) > 0, "the loss really happened");
  }

  /**
   * Every IKE datagram held 200 ± 100 ms, each way (so some overtake others, and a round trip of up to 600 ms
   * outlasts pluto's first retransmission): the tunnel comes up, its Child SA and its IKE SA rekey. On the none
   * backend: klips binds pluto's IKE socket to its interface (SO_BINDTODEVICE), which the delay line's policy route
   * cannot divert; the loss test above carries traffic through klips. (Both faults at once with these 30 s
   * lifetimes failed in both runs, not in pluto: IKE_AUTH took 32 s of retransmissions at 30% loss each way,
   * longer than the responder's salifetime, and a lost Delete's retransmissions held the one-request window,
   * RFC 7296 §2.3, until the IKE SA expired.)
   */
  @Test
  void withIkeDelayed200msPlusMinus100msEachWayTheTunnelComesUpAndRekeys() throws Exception {
    String[] shortLife = {"salifetime=30s", "ikelifetime=40s", "rekeymargin=12s", "rekeyfuzz=0%"};
    configure(east, west, "none", "add", shortLife);
    configure(west, east, "none", "start", shortLife);
    delayIke(west, 200, 100);
    delayIke(east, 200, 100);
    assertEquals(0, east.setup("start").exitCode());
    assertEquals(0, west.setup("start").exitCode());
    withLogs(() -> PlutoPeers.await("auto=start brings the tunnel up through the delays", () ->
        PlutoPeers.childSpis(west).size() >= 1 && PlutoPeers.childSpis(east).size() >= 1, 60_000));
    String first = PlutoPeers.childSpis(west).get(0)[0];
    List<String> ike = PlutoPeers.ikeSerials(west);
    // the Child SA rekeys at 18 s, the IKE SA at 28 s (RFC 7296 §2.8), each exchange through the delays
    withLogs(() -> PlutoPeers.await("a rekeyed Child SA replaces " + first, () -> PlutoPeers.childSpis(west).stream()
        .anyMatch(s -> !s[0].equals(first)), 60_000));
    withLogs(() -> PlutoPeers.await("IKE SA " + ike + " rekeyed", () -> PlutoPeers.ikeSerials(west).stream()
        .anyMatch(s -> !ike.contains(s)), 60_000));
    assertEquals(1, PlutoPeers.ikeStates(east).size(), "east keeps one IKE SA: " + PlutoPeers.ikeStates(east));
    for (Host h : List.of(west, east)) {
      String figures = delayLineFigures(h);
      System.out.println("FaultsIT delay-line on " + h.name() + ": " + figures);
      java.util.regex.Matcher m = java.util.regex.Pattern.compile("delayed (\\d+) datagrams by (\\d+)\\.\\.(\\d+) ms")
          .matcher(figures);
      assertTrue(m.find() && Integer.parseInt(m.group(1)) >= 4, "the delays really happened on " + h.name() + ": "
          + figures);
      assertTrue(Integer.parseInt(m.group(2)) >= 100 && Integer.parseInt(m.group(3)) <= 300, figures);
    }
  }

  /**
   * Starts {@code testing/lab/delay-line} in {@code h}'s namespace: each IKE datagram it sends is held
   * {@code ms} ± {@code jitter} ms (uniform, so some overtake others); returns once it is in place.
   */
  private void delayIke(Host h, int ms, int jitter) {
    Path log = h.dir().resolve("delay-line.log");
    h.exec("sh", "-c", lab.top().resolve("testing/lab/delay-line") + " --delay " + ms + " --jitter " + jitter
        + " --seconds 240 > " + log + " 2>&1 & echo $! > " + h.dir().resolve("delay-line.pid")).requireOk();
    PlutoPeers.await("delay-line ready on " + h.name(), () -> read(log).contains("delay-line: ready"), 10_000);
  }

  /** Stops {@code h}'s delay-line and returns its last line (how many datagrams it held, and how long). */
  private static String delayLineFigures(Host h) {
    Path log = h.dir().resolve("delay-line.log");
    h.exec("sh", "-c", "kill $(cat " + h.dir().resolve("delay-line.pid") + ")").requireOk();
    PlutoPeers.await("delay-line on " + h.name() + " ends", () -> read(log).contains("delay-line: delayed"), 10_000);
    return read(log).strip().lines().reduce((a, b) -> b).orElse("");
  }

  private static String read(Path p) {
    try {
      return Files.exists(p) ? Files.readString(p) : "";
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }

  /** A wait that, when it fails, says what both plutos logged (a lossy run is not reproducible). */
  private void withLogs(Runnable wait) {
    try {
      wait.run();
    } catch (AssertionError e) {
      throw new AssertionError(e.getMessage() + "; west's log:\n" + logOf(west) + "\neast's log:\n" + logOf(east), e);
    }
  }

  @Test
  void aKilledPeerIsDeclaredDeadAndTheTunnelReturnsWithIt() throws Exception {
    String[] dpd = {"dpddelay=2", "dpdtimeout=6", "dpdaction=restart"};
    configure(east, west, "add", dpd);
    configure(west, east, "start", dpd);
    assertEquals(0, east.setup("start").exitCode());
    assertEquals(0, west.setup("start").exitCode());
    PlutoPeers.await("the tunnel is up", () -> PlutoPeers.childSpis(west).size() == 1
        && PlutoPeers.childSpis(east).size() == 1, 30_000);
    long pid = Long.parseLong(Files.readString(Path.of(east.ctlbase() + ".pid")).trim());
    east.exec("kill", "-9", Long.toString(pid)).requireOk();
    long killed = System.currentTimeMillis();
    withLogs(() -> PlutoPeers.await("west declares east dead", () -> logOf(west).contains("declaring peer dead"),
        20_000));
    long noticed = System.currentTimeMillis() - killed;
    // dpddelay (the next probe) + dpdtimeout, and the probe's own retransmissions inside it
    assertTrue(noticed <= 2_000 + 6_000 + 4_000, "noticed after " + noticed + " ms");
    assertTrue(logOf(west).contains("dpdaction=restart"), logOf(west));
    assertEquals(0, east.setup("start").exitCode(), "east restarts over its stale pid file");
    withLogs(() -> PlutoPeers.await("dpdaction=restart brings the tunnel back once east is back", () ->
        PlutoPeers.childSpis(west).size() >= 1 && PlutoPeers.childSpis(east).size() >= 1, 90_000));
    PlutoPeers.await("traffic crosses again", () -> west.ping("192.0.2.254", "192.0.1.254", 2).received() > 0,
        20_000);
  }

  private static int halfOpen(Host h) {
    java.util.regex.Matcher m = java.util.regex.Pattern.compile("half-open\\((\\d+)\\)")
        .matcher(h.ipsec("whack", "--status").requireOk().stdout());
    if (!m.find()) {
      throw new AssertionError("no half-open count in whack --status");
    }
    return Integer.parseInt(m.group(1));
  }

  @Test
  void aSpoofedIkeSaInitFloodEngagesCookiesWhileTheTunnelRekeysWithoutLosingAPing() throws Exception {
    String[] shortLife = {"salifetime=30s", "rekeymargin=12s", "rekeyfuzz=0%"};
    configure(east, west, "add", shortLife);
    // a gateway that also serves road warriors answers IKE_SA_INIT from any address: the flood's target
    Files.writeString(east.ipsecConf(), "\nconn rw\n\tikev2=insist\n\tauthby=secret\n\tleft=" + east.address()
        + "\n\tleftid=" + east.id() + "\n\tright=%any\n\trightid=@load0.test\n\tike=aes128gcm16-sha2_256;x25519\n"
        + "\tphase2alg=aes128gcm16\n\tauto=add\n", java.nio.file.StandardOpenOption.APPEND);
    configure(west, east, "start", shortLife);
    assertEquals(0, east.setup("start").exitCode());
    assertEquals(0, west.setup("start").exitCode());
    PlutoPeers.await("the tunnel is up", () -> PlutoPeers.childSpis(west).size() == 1
        && PlutoPeers.childSpis(east).size() == 1, 30_000);
    String first = PlutoPeers.childSpis(west).get(0)[0];
    // 200 sources that never see an answer's COOKIE, as spoofed ones would not (routed, so answers do leave)
    west.exec("sh", "-c", "for i in $(seq 1 200); do ip addr add 10.77.0.$i/32 dev lo || exit 1; done").requireOk();
    east.exec("ip", "route", "add", "10.77.0.0/24", "via", west.address()).requireOk();
    java.util.concurrent.CompletableFuture<org.openswanj.testing.lab.PingResult> pings =
        java.util.concurrent.CompletableFuture.supplyAsync(() -> west.ping("192.0.2.254", "192.0.1.254", 150));
    java.util.concurrent.CompletableFuture<Result> flood = java.util.concurrent.CompletableFuture.supplyAsync(() ->
        west.exec(java.time.Duration.ofSeconds(90), "java", "-jar", lab.top().resolve("testing/target/loadgen.jar")
            .toString(), "--target", east.address(), "--sources", "10.77.0.1-10.77.0.200", "--ids", "1", "--psk",
            "unused-by-a-flood", "--init-only", "--concurrency", "400", "--warmup", "0", "--seconds", "25",
            "--tries", "1", "--retransmit-ms", "5000"));
    int maxHalfOpen = 0;
    while (!flood.isDone()) {
      maxHalfOpen = Math.max(maxHalfOpen, halfOpen(east));
      Thread.sleep(500);
    }
    Result f = flood.get();
    org.openswanj.testing.lab.PingResult p = pings.get();
    String line = f.stdout().strip().lines().reduce((a, b) -> b).orElse("");
    System.out.println("flood: " + line + "; east's half-open at most " + maxHalfOpen + "; pings " + p.received()
        + "/" + p.transmitted());
    long answered = Long.parseLong(line.replaceAll(".*completed=(\\d+).*", "$1"));
    long cookies = Long.parseLong(line.replaceAll(".*cookies=(\\d+).*", "$1"));
    assertTrue(cookies > 1_000, "cookies engaged under the flood: " + f.stdout());
    assertTrue(answered >= 64, "the first 64 were answered with state: " + f.stdout());
    // RFC 7296 §2.6: past the threshold (64) every IKE_SA_INIT is answered with a COOKIE and no state
    assertTrue(maxHalfOpen <= 64, "half-open states stayed at the cookie threshold: " + maxHalfOpen);
    assertEquals(p.transmitted(), p.received(), "no ping lost on the existing tunnel: " + p.output());
    assertTrue(PlutoPeers.childSpis(west).stream().noneMatch(s -> s[0].equals(first)),
        "the tunnel rekeyed during the flood");
    PlutoPeers.await("the flood's half-open states time out", () -> halfOpen(east) == 0, 60_000);
  }
}
