package org.openswanj.testing.interop;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.openswanj.testing.interop.PlutoPeers.CONN;

import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.openswanj.testing.lab.Host;
import org.openswanj.testing.lab.Lab;
import org.openswanj.testing.lab.PingResult;
import org.openswanj.testing.lab.Result;

/**
 * Issue 11's two attacks on an IKEv1 responder, pluto west to pluto east on klips through bin/ipsec: a flood of
 * spoofed Main Mode first messages from 200 addresses while an IKEv1 tunnel carries pings and rekeys, and an old
 * Quick Mode message 1 replayed from the initiator's address and from a third one. The unit-level versions are
 * in pluto's Ikev1ResponderHardeningTest; this is the same seen from outside, as a gateway's administrator would.
 */
class Ikev1AttacksIT {
  /** Sources of the flood, on west's lo and routed from east, as in FaultsIT's IKEv2 flood. */
  private static final int SOURCES = 200;
  /** First messages per source: more than the per-address cap, so that cap is what holds. */
  private static final int PER_SOURCE = 40;
  /** IkeSettings.FloodLimits.defaults(), as README's "Under attack" documents them. */
  private static final int MAX_HALF_OPEN_PER_ADDRESS = 32;
  private static final int MAX_HALF_OPEN = 50_000;

  /**
   * Main Mode message 1 (RFC 2409 §5, Identity Protection exchange of RFC 2408 §4.5: HDR, SA) with a random
   * initiator cookie, one proposal and one transform east's rw conn accepts; never answered. Paced over the given
   * seconds; prints how many were sent.
   */
  private static final String FLOOD = String.join("\n",
      "import os, socket, struct, sys, time",
      "dst, sources, per, secs = sys.argv[1], int(sys.argv[2]), int(sys.argv[3]), float(sys.argv[4])",
      "def tv(t, v): return struct.pack('!HH', 0x8000 | t, v)  # RFC 2408 §3.3 data attribute, TV form (AF=1)",
      "# RFC 2409 Appendix A: encryption AES-CBC (7, RFC 3602) key length 128 (14), hash SHA (2), authentication",
      "# pre-shared key (1), group 14 = MODP 2048 (RFC 3526 §3), life type seconds (1) duration 3600",
      "attrs = tv(1, 7) + tv(14, 128) + tv(2, 2) + tv(3, 1) + tv(4, 14) + tv(11, 1) + tv(12, 3600)",
      "# RFC 2408 §3.6 Transform: next 0, reserved, length, transform #1, KEY_IKE (1, RFC 2409 §5), reserved2",
      "t = struct.pack('!BBHBBH', 0, 0, 8 + len(attrs), 1, 1, 0) + attrs",
      "# RFC 2408 §3.5 Proposal: next 0, reserved, length, proposal #1, PROTO_ISAKMP (1), SPI size 0, 1 transform",
      "p = struct.pack('!BBHBBBB', 0, 0, 8 + len(t), 1, 1, 0, 1) + t",
      "# RFC 2408 §3.4 SA: next 0, reserved, length, DOI IPSEC (1, RFC 2407 §4.2), SIT_IDENTITY_ONLY (1, §4.2)",
      "sa = struct.pack('!BBHII', 0, 0, 12 + len(p), 1, 1) + p",
      "socks = []",
      "for i in range(1, sources + 1):",
      "    s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)",
      "    s.bind(('10.77.0.%d' % i, 0))",
      "    socks.append(s)",
      "sent, t0 = 0, time.time()",
      "for k in range(per):",
      "    for s in socks:",
      "        # RFC 2408 §3.1 header: CKY-I random, CKY-R zero, next payload SA (1), version 1.0,",
      "        # exchange Identity Protection (2), no flags, message ID 0, length",
      "        h = os.urandom(8) + bytes(8) + struct.pack('!BBBBII', 1, 0x10, 2, 0, 0, 28 + len(sa))",
      "        s.sendto(h + sa, (dst, 500))",
      "        sent += 1",
      "    lag = t0 + secs * (k + 1) / per - time.time()",
      "    if lag > 0: time.sleep(lag)",
      "print('sent=%d seconds=%.1f' % (sent, time.time() - t0))");

  /** One UDP datagram with a source of our choosing (IP_HDRINCL: IPPROTO_RAW implies it), sent {@code n} times. */
  private static final String SPOOF = String.join("\n",
      "import socket, struct, sys",
      "src, sport, dst, dport, data, n = sys.argv[1], int(sys.argv[2]), sys.argv[3], int(sys.argv[4]),"
          + " bytes.fromhex(sys.argv[5]), int(sys.argv[6])",
      "udp = struct.pack('!HHHH', sport, dport, 8 + len(data), 0) + data  # RFC 768: checksum 0 = none",
      "# RFC 791 header; Linux fills in the checksum and, when 0, the ID (raw(7))",
      "ip = struct.pack('!BBHHHBBH4s4s', 0x45, 0, 20 + len(udp), 0, 0, 64, 17, 0, socket.inet_aton(src),"
          + " socket.inet_aton(dst))",
      "s = socket.socket(socket.AF_INET, socket.SOCK_RAW, socket.IPPROTO_RAW)",
      "for _ in range(n): s.sendto(ip + udp, (dst, 0))",
      "print('sent=%d' % n)");

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

  private static String conf(Host me, Host peer, String... extra) {
    List<String> lines = new ArrayList<>(List.of("ike=aes128-sha1-modp2048", "esp=aes128-sha1", "aggrmode=no",
        "rekeyfuzz=0%"));
    lines.addAll(List.of(extra));
    return PlutoPeers.ipsecConf(me, peer, "klips", lines.toArray(String[]::new))
        .replace("\tikev2=insist\n", "\tikev2=never\n");
  }

  private void up() {
    Result up = west.ipsec("auto", "--up", CONN);
    assertEquals(0, up.exitCode(), up + logs());
    assertTrue(up.stdout().contains("STATE_QUICK_I2: sent QI2, IPsec SA established tunnel mode"), up.stdout());
    PlutoPeers.await("east installed the IPsec SA", () -> PlutoPeers.childSpis(east).size() == 1, 5_000);
    PingResult p = west.ping(east.subnetAddress(), west.subnetAddress(), 2);
    assertTrue(p.allReplied(), "pings answered:\n" + p.output() + logs());
  }

  /**
   * A road-warrior gateway (east, with a {@code right=%any} IKEv1 conn) under 8,000 spoofed Main Mode first
   * messages from 200 addresses in ~6 s, while its site-to-site tunnel to west rekeys under a ping.
   */
  @Test
  void aSpoofedMainModeFloodStaysAtTheCapsWhileTheTunnelRekeysWithoutLosingAPing() throws Exception {
    long t0 = System.nanoTime();
    lab = Lab.up("ojva");
    west = lab.west();
    east = lab.east();
    // west rekeys the IPsec SA 8 s after it is made (salifetime - rekeymargin), every 8 s: inside the flood
    String rw = "\nconn rw\n\tikev2=never\n\tauthby=secret\n\tleft=" + east.address() + "\n\tleftid=" + east.id()
        + "\n\tright=%any\n\tike=aes128-sha1-modp2048\n\tesp=aes128-sha1\n\tauto=add\n";
    east.startPluto(conf(east, west, "salifetime=16s", "rekeymargin=3s") + rw,
        PlutoPeers.secrets(east, west) + east.address() + " %any : PSK \"road-warriors-never-get-this-far\"\n");
    east.ipsec("auto", "--add", CONN).requireOk();
    east.ipsec("auto", "--add", "rw").requireOk();
    west.startPluto(conf(west, east, "salifetime=16s", "rekeymargin=8s"), PlutoPeers.secrets(west, east));
    west.ipsec("auto", "--add", CONN).requireOk();
    up();
    String first = PlutoPeers.childSpis(west).get(0)[0];
    west.exec("sh", "-c", "for i in $(seq 1 " + SOURCES + "); do ip addr add 10.77.0.$i/32 dev lo || exit 1; done")
        .requireOk();
    east.exec("ip", "route", "add", "10.77.0.0/24", "via", west.address()).requireOk();
    long rssBefore = rssKb(east);
    int halfBefore = halfOpen(east);

    long floodStart = System.nanoTime();
    CompletableFuture<PingResult> pings = CompletableFuture.supplyAsync(
        () -> west.ping(east.subnetAddress(), west.subnetAddress(), 50));
    CompletableFuture<Result> flood = CompletableFuture.supplyAsync(() -> west.exec(Duration.ofSeconds(60),
        "python3", "-c", FLOOD, east.address(), Integer.toString(SOURCES), Integer.toString(PER_SOURCE), "6"));
    int maxHalfOpen = 0;
    long maxRss = rssBefore;
    while (!flood.isDone() || !pings.isDone()) {
      maxHalfOpen = Math.max(maxHalfOpen, halfOpen(east));
      maxRss = Math.max(maxRss, rssKb(east));
      Thread.sleep(500);
    }
    Result f = flood.get().requireOk();
    PingResult p = pings.get();
    int afterFlood = halfOpen(east);
    maxHalfOpen = Math.max(maxHalfOpen, afterFlood);
    long sent = Long.parseLong(f.stdout().replaceAll("(?s).*sent=(\\d+).*", "$1"));
    String log = east.plutoLog();
    System.out.println("Ikev1AttacksIT flood: " + f.stdout().strip() + "; east's half-open before " + halfBefore
        + ", at most " + maxHalfOpen + ", " + afterFlood + " after; RSS " + rssBefore + " kB before, at most " + maxRss
        + " kB; pings " + p.received() + "/" + p.transmitted() + "; drop lines "
        + count(log, "half-open ISAKMP SAs, the limit"));
    assertEquals((long) SOURCES * PER_SOURCE, sent, f.stdout());
    // the exact bound: 32 per address × 200 addresses, under the global 50,000
    int bound = Math.min(MAX_HALF_OPEN_PER_ADDRESS * SOURCES, MAX_HALF_OPEN);
    assertTrue(maxHalfOpen <= bound, "half-open ISAKMP SAs " + maxHalfOpen + " > " + bound);
    // the flood did reach east and the per-address cap is what stopped it (not a lost flood)
    assertTrue(maxHalfOpen >= bound * 9 / 10, "the flood made " + maxHalfOpen + " half-open states, the cap " + bound);
    assertTrue(log.contains("half-open ISAKMP SAs, the limit per address"), "east says why it drops: " + tail(log));
    // pluto.dropped's BurstFilter: 20 lines, then 5 a second
    long floodSeconds = (System.nanoTime() - floodStart) / 1_000_000_000L + 1;
    long capLines = count(log, "half-open ISAKMP SAs, the limit");
    assertTrue(capLines <= 20 + 5 * floodSeconds, capLines + " drop lines in " + floodSeconds + " s: not rate-limited");
    // a JVM's RSS is coarse (the heap grows before it collects): 48 kB per capped state, garbage included, bounds
    // it; a leak per message or a state per message (8,000 here, 60,000 in issue 11) would not fit
    assertTrue(maxRss - rssBefore < 48L * bound, "east's RSS grew from " + rssBefore + " to " + maxRss + " kB");
    assertEquals(p.transmitted(), p.received(), "no ping lost on the tunnel during the flood:\n" + p.output());
    // the rekey falls due 8 s after the SA was made, inside the flood; under the flood's load on both namespaces
    // its Quick Mode may still be on its way when the pings end
    try {
      PlutoPeers.await("the IPsec SA rekeyed (first " + first + ")",
          () -> PlutoPeers.childSpis(west).stream().noneMatch(s -> s[0].equals(first)), 15_000);
    } catch (AssertionError e) {
      throw new AssertionError(e.getMessage() + logs(), e);
    }
    // IkeSettings.halfOpenTimeout (30 s) after each was made
    PlutoPeers.await("the flood's half-open states time out", () -> halfOpen(east) == 0, 40_000);
    assertTrue(west.ping(east.subnetAddress(), west.subnetAddress(), 2).allReplied(), "the tunnel still works");
    System.out.println("Ikev1AttacksIT flood: RSS " + rssKb(east) + " kB after the timeouts; test took "
        + (System.nanoTime() - t0) / 1_000_000 + " ms");
  }

  /**
   * West's first Quick Mode message 1, captured on the wire, replayed after the IPsec SA it made has been
   * replaced, once from west's own address and port and once from a third address: east drops each
   * with one line saying why, keeps its SAs and policies as they were, and the tunnel keeps carrying pings.
   */
  @Test
  void aReplayedQuickModeMessage1ChangesNothing() throws Exception {
    long t0 = System.nanoTime();
    lab = Lab.up("ojvb");
    west = lab.west();
    east = lab.east();
    east.startPluto(conf(east, west, "salifetime=20s", "rekeymargin=3s"), PlutoPeers.secrets(east, west));
    east.ipsec("auto", "--add", CONN).requireOk();
    // west replaces the IPsec SA 6 s after it is made, then every 6 s; the old one stays until its 20 s are up
    west.startPluto(conf(west, east, "salifetime=20s", "rekeymargin=14s"), PlutoPeers.secrets(west, east));
    west.ipsec("auto", "--add", CONN).requireOk();
    Path pcap = west.dir().resolve("ike.pcap");
    String tcpdump = west.exec("sh", "-c", "tcpdump -i eth0 -U -n -w " + pcap
        + " 'udp port 500 or udp port 4500' >/dev/null 2>&1 & echo $!").requireOk().stdout().strip();
    try {
      PlutoPeers.await("tcpdump writes its capture", () -> Files.exists(pcap), 5_000);
      Thread.sleep(500);
      up();
      String first = PlutoPeers.childSpis(west).get(0)[0];
      PlutoPeers.await("west replaced the IPsec SA " + first, () -> PlutoPeers.childSpis(west).stream()
          .anyMatch(s -> !s[0].equals(first)), 15_000);
      // the capture holds the rekey's QI1 once tcpdump has written it (-U: per packet, but after the SA shows)
      PlutoPeers.await("the first Quick Mode and its rekey in the capture", () -> {
        try {
          return quickMode1sFrom(Files.readAllBytes(pcap), west.address()).size() >= 2;
        } catch (java.io.IOException | RuntimeException e) {
          return false;
        }
      }, 15_000);
    } finally {
      west.exec("kill", tcpdump);
    }
    long captured = System.nanoTime();
    Thread.sleep(300);
    List<byte[]> qi1s = quickMode1sFrom(Files.readAllBytes(pcap), west.address());
    assertTrue(qi1s.size() >= 2, "the first Quick Mode and its rekey in the capture: " + qi1s.size());
    byte[] qi1 = qi1s.get(0);
    byte[] live = qi1s.get(1);
    CompletableFuture<PingResult> pings = CompletableFuture.supplyAsync(
        () -> west.ping(east.subnetAddress(), west.subnetAddress(), 10));
    String hex = HexFormat.of().formatHex(qi1);
    west.exec("python3", "-c", SPOOF, west.address(), "500", east.address(), "500", hex, "1").requireOk();
    east.exec("ip", "route", "add", "10.77.1.1/32", "via", west.address()).requireOk();
    west.exec("python3", "-c", SPOOF, "10.77.1.1", "500", east.address(), "500", hex, "1").requireOk();
    // the rekey's QI1, whose IPsec SA is live (RFC 2409 §5.5: its message ID is taken all the same)
    west.exec("python3", "-c", SPOOF, west.address(), "500", east.address(), "500", HexFormat.of().formatHex(live),
        "1").requireOk();
    PingResult p = pings.get();
    String liveId = String.format("%08x", ByteBuffer.wrap(live, 20, 4).getInt());
    PlutoPeers.await("east's line on the last replay", () -> east.plutoLog().contains("Quick Mode message " + liveId),
        5_000);
    Thread.sleep(200);
    String log = east.plutoLog();
    String msgId = String.format("%08x", ByteBuffer.wrap(qi1, 20, 4).getInt());
    System.out.println("Ikev1AttacksIT replay of QI1 " + msgId + " (" + qi1.length + " bytes): east's drops:\n"
        + log.lines().filter(l -> l.contains(msgId) || l.contains(liveId)).reduce("", (a, b) -> a + b + "\n")
        + "pings " + p.received()
        + "/" + p.transmitted() + "; test took " + (System.nanoTime() - t0) / 1_000_000 + " ms (lab, plutos, tunnel and"
        + " its rekey " + (captured - t0) / 1_000_000 + " ms)");
    // one line each (pluto.dropped allows a burst of 20 lines before its 5 a second)
    System.out.println("Ikev1AttacksIT replay: east " + sasAndPolicies(east));
    assertEquals(1, count(log, "Quick Mode message " + liveId + " from /" + west.address() + ":500 dropped: message ID"
        + " already used"), "one line for the replayed QI1 of the live IPsec SA:\n" + tail(log));
    assertEquals(1, count(log, "Quick Mode message " + msgId + " from /" + west.address() + ":500 dropped: message ID"
        + " already used"), "one line for the replay from west's address:\n" + tail(log));
    assertEquals(1, count(log, "Quick Mode message " + msgId + " for #"), "one line for the one from 10.77.1.1:\n"
        + tail(log));
    assertTrue(log.contains("from /10.77.1.1:500 dropped: the ISAKMP SA's peer is " + west.address()), tail(log));
    // west keeps rekeying (every 6 s), so "unchanged" is: east holds no IPsec SA and no policy west did not
    // negotiate, and answered no Quick Mode west did not start (a replay taken would add one of each)
    try {
      // 15 s: two of west's 6 s rekey cycles, so a moment between two rekeys comes even on a loaded machine
      // (5 s failed once with the full suite running two lab classes at a time beside the VM lab)
      PlutoPeers.await("east's SAs and policy are west's", () -> matchesWest(), 15_000);
    } catch (AssertionError x) {
      throw new AssertionError(x.getMessage() + "\neast: " + sasAndPolicies(east) + "\nwest: "
          + sasAndPolicies(west) + logs(), x);
    }
    assertEquals(p.transmitted(), p.received(), "pings keep flowing:\n" + p.output());
  }

  // ---- what the test reads

  /**
   * The ISAKMP message of each Quick Mode (exchange 32, RFC 2409 §5.5) {@code from} started, in order: its first
   * datagram with a message ID not seen before (QI1; QI2 repeats the ID).
   */
  private static List<byte[]> quickMode1sFrom(byte[] pcap, String from) {
    List<byte[]> out = new ArrayList<>();
    java.util.Set<Integer> ids = new java.util.HashSet<>();
    ByteBuffer b = ByteBuffer.wrap(pcap);
    if (b.getInt(0) == 0xd4c3b2a1) {
      b.order(java.nio.ByteOrder.LITTLE_ENDIAN);
    }
    assertEquals(1, b.getInt(20), "an Ethernet capture (linktype 1)");
    int at = 24;
    while (at + 16 <= pcap.length) {
      int caplen = b.getInt(at + 8);
      int frame = at + 16;
      at = frame + caplen;
      int ip = frame + 14;
      int ihl = (pcap[ip] & 0x0f) * 4;
      String src = (pcap[ip + 12] & 0xff) + "." + (pcap[ip + 13] & 0xff) + "." + (pcap[ip + 14] & 0xff) + "."
          + (pcap[ip + 15] & 0xff);
      int udp = ip + ihl;
      int len = ((pcap[udp + 4] & 0xff) << 8 | (pcap[udp + 5] & 0xff)) - 8;
      int isakmp = udp + 8;
      int dport = (pcap[udp + 2] & 0xff) << 8 | (pcap[udp + 3] & 0xff);
      if (dport == 4500) { // RFC 3948 §2.2: four zero bytes before an IKE message on 4500
        isakmp += 4;
        len -= 4;
      }
      if (src.equals(from) && len >= 28 && (pcap[isakmp + 18] & 0xff) == 32
          && ids.add(ByteBuffer.wrap(pcap, isakmp + 20, 4).getInt())) {
        out.add(java.util.Arrays.copyOfRange(pcap, isakmp, isakmp + len));
      }
    }
    return out;
  }

  /**
   * Every IPsec SA east holds is the mirror of one west made, east's eroute sends into one west holds, and east
   * answered exactly as many Quick Modes (QR1) as west completed (QI2).
   */
  private boolean matchesWest() {
    List<String[]> w = PlutoPeers.childSpis(west);
    List<String[]> e = PlutoPeers.childSpis(east);
    // west may have let an old pair go before east's copy expires: "one west made" is read from west's log
    String westLog = west.plutoLog();
    boolean mirrored = !e.isEmpty() && e.stream().allMatch(x -> westLog.contains("ESP=>0x" + x[0] + " <0x" + x[1]));
    Matcher m = Pattern.compile("=> esp:0x([0-9a-f]{8})@").matcher(east.ipsec("look").requireOk().stdout());
    boolean routed = m.find() && w.stream().anyMatch(y -> y[0].equals(m.group(1)));
    return mirrored && routed && count(east.plutoLog(), "STATE_QUICK_R1: sent QR1")
        == count(west.plutoLog(), "STATE_QUICK_I2: sent QI2");
  }

  /** East's IPsec SAs (whack --status SPIs) and its eroutes and SAs as {@code ipsec look} shows them. */
  private static String sasAndPolicies(Host h) {
    List<String> spis = PlutoPeers.childSpis(h).stream().map(s -> s[0] + "/" + s[1]).sorted().toList();
    String look = h.ipsec("look").requireOk().stdout().lines()
        .filter(l -> l.contains("->") || l.contains("=>") || l.contains("tun0x") || l.contains("esp0x"))
        .map(l -> l.replaceAll("(?i)(life\\S*|add|use|bytes|packets|idle|age)[=:]\\S*", ""))
        .reduce("", (a, b) -> a + b + "\n");
    return "SPIs " + spis + "\n" + look;
  }

  private static long rssKb(Host h) {
    try {
      long pid = Long.parseLong(Files.readString(h.dir().resolve("pluto-lab.pid")).strip());
      Matcher m = Pattern.compile("VmRSS:\\s+(\\d+) kB").matcher(Files.readString(Path.of("/proc/" + pid + "/status")));
      assertTrue(m.find(), "VmRSS of pluto " + pid);
      return Long.parseLong(m.group(1));
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }

  private static int halfOpen(Host h) {
    Matcher m = Pattern.compile("half-open\\((\\d+)\\)").matcher(h.ipsec("whack", "--status").requireOk().stdout());
    assertTrue(m.find(), "a half-open count in whack --status");
    return Integer.parseInt(m.group(1));
  }

  private static long count(String log, String s) {
    return log.lines().filter(l -> l.contains(s)).count();
  }

  private static String tail(String log) {
    List<String> l = log.lines().toList();
    return String.join("\n", l.subList(Math.max(0, l.size() - 40), l.size()));
  }

  private String logs() {
    return "\n--- west ---\n" + tail(west.plutoLog()) + "\n--- east ---\n" + tail(east.plutoLog());
  }
}
