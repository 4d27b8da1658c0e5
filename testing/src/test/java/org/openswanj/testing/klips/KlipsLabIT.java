package org.openswanj.testing.klips;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.openswanj.testing.lab.ChildSaInfo;
import org.openswanj.testing.lab.Host;
import org.openswanj.testing.lab.IkeSaInfo;
import org.openswanj.testing.lab.Lab;
import org.openswanj.testing.lab.PingResult;
import org.openswanj.testing.lab.Result;
import org.openswanj.testing.lab.StrongSwan;
import org.openswanj.testing.lab.SwanctlConn;

/**
 * The klips backend end to end, everything through bin/ipsec (pluto, auto --add/--up/--down, whack --status
 * and --trafficstatus, look): pluto to pluto with raw ESP and with forced UDP encapsulation (what the wire
 * carries, checked with tcpdump), iptables on {@code ipsec0} seeing the decrypted traffic, rekeys under
 * traffic without loss, and pluto (klips) against strongSwan's charon (kernel-libipsec) initiating either way.
 * Each test has its own lab.
 */
class KlipsLabIT {
  static final String PSK = "klips-lab-shared-secret-0123456789";
  static final String CONN = PlutoConn.NAME;
  private static final int TRANSFER_BYTES = 4 << 20;
  private static final String WEST6 = "2001:db8:1::254";
  private static final String EAST6 = "2001:db8:2::254";
  /**
   * ESP bytes tcpdump must at least see: a quarter of the transfer. tcpdump drops packets under load (the capture
   * is a sample: what it sees must all be ESP); the volume itself is proved exactly by the SA byte counters below.
   * Bytes, not packets: ESP in UDP leaves west as UDP GSO runs, which the capture on west sees whole (up to 64 KB).
   */
  private static final int MIN_ESP_BYTES = TRANSFER_BYTES / 4;
  private static final Pattern LENGTH = Pattern.compile("length (\\d+)$");

  @BeforeAll
  static void prerequisites() {
    Lab.requirePluto();
    Lab.requireCommand("tcpdump", "tcpdump");
    Lab.requireCommand("iptables", "iptables");
  }

  @Test
  void rawEspCarriesPingsAndTcpAndTheWireShowsOnlyEsp() {
    try (Lab lab = Lab.up("kraw")) {
      bringUpPlutoPair(lab, PlutoConn.gcm(PSK));
      assertTransferOnlyAsEsp(lab, Capture.RAW_ESP, Capture.RAW_ESP);
      assertLookShowsTunnel(lab.west(), lab.east(), "raw");
      assertDownEndsTunnel(lab);
    }
  }

  @Test
  void forceEncapsCarriesEverythingInUdp4500() {
    try (Lab lab = Lab.up("kenc")) {
      bringUpPlutoPair(lab, PlutoConn.gcm(PSK).withForceEncaps(true));
      assertTransferOnlyAsEsp(lab, Capture.UDP_4500, Capture.UDP_ESP);
      assertLookShowsTunnel(lab.west(), lab.east(), "udp 192\\.1\\.2\\.23:4500");
    }
  }

  /**
   * IPv6 subnets over the IPv4 tunnel, raw ESP and ESP in UDP: a TCP transfer arrives intact, so the kernel took
   * what klips wrote to ipsec0, including its merged GSO_TCPV6 packets (user-space GRO), and west's TSO6
   * super-packets were cut right; east's ipsec0 received fewer packets than the inbound SA decrypted (merged),
   * and neither side counted a send error.
   */
  @Test
  void ipv6SubnetsCarryATcpTransferIntactWithSegmentsMerged() {
    for (boolean encaps : new boolean[] {false, true}) {
      try (Lab lab = Lab.up(encaps ? "kv6u" : "kv6")) {
        Host west = lab.west();
        Host east = lab.east();
        west.exec("ip", "addr", "add", WEST6 + "/128", "dev", "lo").requireOk();
        east.exec("ip", "addr", "add", EAST6 + "/128", "dev", "lo").requireOk();
        PlutoConn conn = PlutoConn.gcm(PSK).withForceEncaps(encaps)
            .withSubnets(java.util.Map.of("west", "2001:db8:1::/64", "east", "2001:db8:2::/64"));
        conn.startAndAdd(east, west);
        conn.startAndAdd(west, east);
        Result up = west.ipsec("auto", "--up", CONN);
        assertTrue(up.stdout().contains("IPsec SA established"), () -> up.stdout() + up.stderr() + logs(lab));
        awaitRoute6(west, "2001:db8:2::/64");
        awaitRoute6(east, "2001:db8:1::/64");
        long rx0 = rxPackets(east);
        TcpTransfer.Outcome o = TcpTransfer.run(west, WEST6, east, EAST6, TRANSFER_BYTES, 6L);
        assertTrue(o.intact(), (encaps ? "ESP in UDP" : "raw ESP") + ": the IPv6 transfer arrived intact: " + o);
        long delivered = rxPackets(east) - rx0;
        String look = east.ipsec("look").requireOk().stdout();
        Matcher in = Pattern.compile("(?m)^in  esp:\\S+ tunnel AES_GCM_16 (raw|udp \\S+): (\\d+) bytes, (\\d+) packets")
            .matcher(look);
        assertTrue(in.find(), look);
        long decrypted = Long.parseLong(in.group(3));
        assertTrue(Long.parseLong(in.group(2)) >= TRANSFER_BYTES, look);
        assertTrue(delivered * 2 < decrypted, "east's ipsec0 took " + delivered + " packets for " + decrypted
            + " decrypted: TCP segments were not merged\n" + look);
        for (Host h : List.of(west, east)) {
          String l = h.ipsec("look").requireOk().stdout();
          assertTrue(l.contains("send errors 0"), h.name() + ": " + l);
        }
      }
    }
  }

  private static long rxPackets(Host h) {
    return Long.parseLong(h.exec("cat", "/sys/class/net/ipsec0/statistics/rx_packets").requireOk().stdout().trim());
  }

  private static void awaitRoute6(Host me, String subnet) {
    long deadline = System.nanoTime() + 5_000_000_000L;
    while (!me.exec("ip", "-6", "route", "show", subnet).requireOk().stdout().contains("dev ipsec0")) {
      assertTrue(System.nanoTime() < deadline, me.name() + ": no route to " + subnet + " via ipsec0");
      Background.sleep(20);
    }
  }

  /** The KLIPS promise: decrypted packets arrive on ipsec0, so iptables rules on ipsec0 count and drop them. */
  @Test
  void iptablesOnIpsec0CountsAndDropsTheDecryptedPackets() {
    try (Lab lab = Lab.up("kfw")) {
      bringUpPlutoPair(lab, PlutoConn.gcm(PSK));
      Host east = lab.east();
      iptables(east, "-A", "INPUT", "-i", "ipsec0", "-p", "icmp", "--icmp-type", "echo-request", "-m", "comment",
          "--comment", "oj-ipsec0-icmp", "-j", "ACCEPT");
      iptables(east, "-A", "INPUT", "-i", "eth0", "-p", "icmp", "-m", "comment", "--comment", "oj-eth0-icmp",
          "-j", "ACCEPT");
      iptables(east, "-A", "INPUT", "-i", "eth0", "-p", "esp", "-m", "comment", "--comment", "oj-eth0-esp",
          "-j", "ACCEPT");

      assertAllReplied(lab.west().ping(east.subnetAddress(), lab.west().subnetAddress(), 10), lab);
      assertEquals(10, iptablesPackets(east, "oj-ipsec0-icmp"), "each decrypted echo request seen on ipsec0");
      assertEquals(0, iptablesPackets(east, "oj-eth0-icmp"), "no clear ICMP on eth0");
      assertTrue(iptablesPackets(east, "oj-eth0-esp") >= 10, "the ESP packets arrive on eth0");

      long inBefore = PlutoStatus.totals(east)[0];
      iptables(east, "-I", "INPUT", "1", "-i", "ipsec0", "-p", "icmp", "-m", "comment", "--comment",
          "oj-ipsec0-drop", "-j", "DROP");
      PingResult dropped = lab.west().ping(east.subnetAddress(), lab.west().subnetAddress(), 5);
      assertEquals(0, dropped.received(), "a DROP rule on ipsec0 stops the pings:\n" + dropped.output());
      assertEquals(5, iptablesPackets(east, "oj-ipsec0-drop"), "the DROP rule on ipsec0 took all 5");
      assertTrue(PlutoStatus.totals(east)[0] >= inBefore + 5 * 84,
          "the dropped pings were decrypted first (east's inBytes grew)");

      iptables(east, "-D", "INPUT", "1");
      assertAllReplied(lab.west().ping(east.subnetAddress(), lab.west().subnetAddress(), 3), lab);
    }
  }

  /** Make-before-break: 30 s SAs rekeyed 10 s early, a ping every 0.1 s for 70 s, not one lost. */
  @Test
  void rekeysUnderTrafficLoseNoPacket() {
    try (Lab lab = Lab.up("krekey")) {
      Host west = lab.west();
      Host east = lab.east();
      bringUpPlutoPair(lab, PlutoConn.gcm(PSK).with("salifetime=30s", "rekeymargin=10s", "rekeyfuzz=0%"));
      String firstSpi = PlutoStatus.spiTo(west, east.address());
      Result r = west.exec(Duration.ofSeconds(100), "ping", "-n", "-q", "-c", "700", "-i", "0.1", "-W", "2",
          "-I", west.subnetAddress(), east.subnetAddress());
      Matcher m = Pattern.compile("(\\d+) packets transmitted, (\\d+) received").matcher(r.stdout());
      assertTrue(m.find(), () -> "ping printed no statistics (" + r + "): " + r.stdout() + r.stderr() + logs(lab));
      long rekeys = west.plutoLog().lines().filter(l -> l.contains("initiating rekey of IPsec SA")).count()
          + east.plutoLog().lines().filter(l -> l.contains("initiating rekey of IPsec SA")).count();
      System.out.printf("rekey test: %s transmitted, %s received, %d rekeys%n", m.group(1), m.group(2), rekeys);
      assertEquals("700", m.group(1));
      assertEquals("700", m.group(2), () -> "every ping across the rekeys answered\n" + logs(lab));
      assertTrue(rekeys >= 2, "at least two rekeys in 70 s (lifetime 30 s, margin 10 s): " + rekeys);
      String lastSpi = PlutoStatus.spiTo(west, east.address());
      assertNotEquals(firstSpi, lastSpi, "the SA was replaced");
      assertEquals(lastSpi, PlutoStatus.spiTo(west, east.address()));
      assertTrue(PlutoStatus.espSas(east).contains(lastSpi + "@" + east.address()), "east has the same new SA");
    }
  }

  @Test
  void charonInteropAesGcm128X25519BothWays() {
    try (Lab lab = Lab.up("kssgcm")) {
      assertCharonInterop(lab, PlutoConn.gcm(PSK), "aes128gcm16-prfsha256-x25519", "aes128gcm16",
          new String[] {"AES_GCM_16", "", "CURVE_25519"}, new String[] {"AES_GCM_16", ""});
    }
  }

  @Test
  void charonInteropAesCbc128Sha256Modp2048BothWays() {
    try (Lab lab = Lab.up("ksscbc")) {
      assertCharonInterop(lab, PlutoConn.gcm(PSK).withAlgs("aes128-sha2_256;modp2048", "aes128-sha2_256"),
          "aes128-sha256-modp2048", "aes128-sha256", new String[] {"AES_CBC", "HMAC_SHA2_256_128", "MODP_2048"},
          new String[] {"AES_CBC", "HMAC_SHA2_256_128"});
    }
  }

  /**
   * West runs pluto (klips), east charon (encap = yes, so the ESP is in UDP 4500). Pluto initiates, pings
   * cross both ways, charon lists the SAs pluto reports; pluto takes the tunnel down; charon initiates, again.
   * {@code ike}: charon's IKE encryption, integrity, DH names; {@code child}: the child's encryption, integrity.
   */
  private static void assertCharonInterop(Lab lab, PlutoConn conn, String proposals, String espProposals,
      String[] ike, String[] child) {
    Host west = lab.west();
    Host east = lab.east();
    StrongSwan charon = east.strongSwan();
    charon.start();
    charon.load(SwanctlConn.psk(CONN, east, west, PSK).proposals(proposals).espProposals(espProposals).build());
    conn.startAndAdd(west, east);

    Result up = west.ipsec("auto", "--up", CONN);
    assertEquals(0, up.exitCode(), () -> "pluto initiates: " + up.stdout() + logs(lab) + charonLog(charon));
    assertCharonAgrees(lab, charon, ike, child, false);

    west.ipsec("auto", "--down", CONN).requireOk();
    long deadline = System.nanoTime() + 5_000_000_000L;
    while (!charon.listSas().isEmpty() && System.nanoTime() < deadline) {
      Background.sleep(100);
    }
    assertEquals(List.of(), charon.listSas(), "charon deleted its SAs on pluto's Delete");

    charon.initiate("net");
    assertCharonAgrees(lab, charon, ike, child, true);
  }

  private static void assertCharonAgrees(Lab lab, StrongSwan charon, String[] ike, String[] child,
      boolean charonInitiated) {
    Host west = lab.west();
    Host east = lab.east();
    PlutoConn.awaitRoute(west, east);
    assertAllReplied(west.ping(east.subnetAddress(), west.subnetAddress(), 5), lab);
    assertAllReplied(east.ping(west.subnetAddress(), east.subnetAddress(), 5), lab);
    IkeSaInfo sa = charon.established(CONN);
    assertEquals(charonInitiated, sa.initiator(), "who initiated");
    assertEquals(List.of(ike[0], 128, ike[1], ike[2]), List.of(sa.encrAlg(), sa.encrKeysize(), sa.integAlg(),
        sa.dhGroup()), "charon's IKE SA algorithms");
    ChildSaInfo c = sa.child("net");
    assertEquals("INSTALLED", c.state());
    assertTrue(c.encap(), "ESP in UDP");
    assertEquals(List.of(child[0], 128, child[1]), List.of(c.encrAlg(), c.encrKeysize(), c.integAlg()));
    assertEquals(PlutoStatus.spiTo(west, east.address()), c.spiIn(), "pluto's outbound SA is charon's inbound");
    assertEquals(PlutoStatus.spiTo(west, west.address()), c.spiOut(), "charon's outbound SA is pluto's inbound");
    assertTrue(c.packetsIn() >= 10 && c.packetsOut() >= 10, "charon counted the pings: " + c);
    long[] t = PlutoStatus.totals(west);
    assertTrue(t[0] >= 10 * 84 && t[1] >= 10 * 84, "pluto counted the pings: in " + t[0] + ", out " + t[1]);
  }

  private static String charonLog(StrongSwan charon) {
    List<String> l = charon.log().lines().toList();
    return "\n--- end of charon.log ---\n" + String.join("\n", l.subList(Math.max(0, l.size() - 15), l.size()));
  }

  // ---------------------------------------------------------------------------------------------- helpers

  /** Starts pluto (klips) on both hosts with {@code conn}, adds it on both, brings it up from west. */
  static void bringUpPlutoPair(Lab lab, PlutoConn conn) {
    conn.startAndAdd(lab.east(), lab.west());
    conn.startAndAdd(lab.west(), lab.east());
    Result up = lab.west().ipsec("auto", "--up", CONN);
    assertEquals(0, up.exitCode(), () -> "ipsec auto --up: " + up.stdout() + up.stderr() + logs(lab));
    assertTrue(up.stdout().contains("IPsec SA established"), up.stdout());
    PlutoConn.awaitRoute(lab.west(), lab.east());
    PlutoConn.awaitRoute(lab.east(), lab.west());
    assertAllReplied(lab.west().ping(lab.east().subnetAddress(), lab.west().subnetAddress(), 5), lab);
    assertAllReplied(lab.east().ping(lab.west().subnetAddress(), lab.east().subnetAddress(), 5), lab);
  }

  /**
   * A 4 MB TCP transfer west to east arrives intact; tcpdump on west's eth0 sees only packets matching
   * {@code every}, at least {@link #MIN_ESP_BYTES} in packets matching {@code esp}, and never an inner address; both
   * sides' --trafficstatus counters grow by at least the 4 MB that crossed.
   */
  private static void assertTransferOnlyAsEsp(Lab lab, Pattern every, Pattern esp) {
    Host west = lab.west();
    Host east = lab.east();
    long[] w0 = PlutoStatus.totals(west);
    long[] e0 = PlutoStatus.totals(east);
    TcpTransfer.Outcome o;
    List<String> packets;
    try (Capture cap = Capture.start(west, "transfer")) {
      o = TcpTransfer.run(west, east, TRANSFER_BYTES, 4L);
      packets = cap.stop();
    }
    System.out.printf("%s: %d bytes in %d ms, %d IP packets on west's eth0%n", lab.prefix(), o.receivedBytes(),
        o.millis(), packets.size());
    assertTrue(o.intact(), "the transfer arrived intact: " + o);
    List<String> other = packets.stream().filter(p -> !every.matcher(p).find()).toList();
    assertTrue(other.isEmpty(), () -> other.size() + " packets on eth0 not " + every + ", e.g. "
        + other.subList(0, Math.min(5, other.size())));
    long espBytes = packets.stream().filter(p -> esp.matcher(p).find()).map(LENGTH::matcher)
        .filter(Matcher::find).mapToLong(m -> Long.parseLong(m.group(1))).sum();
    assertTrue(espBytes >= MIN_ESP_BYTES, "ESP bytes in the capture: " + espBytes);
    assertFalse(packets.stream().anyMatch(p -> p.contains("192.0.1.") || p.contains("192.0.2.")),
        "no inner (subnet) address visible on the wire");
    long[] w1 = PlutoStatus.totals(west);
    long[] e1 = PlutoStatus.totals(east);
    assertTrue(w1[1] - w0[1] >= TRANSFER_BYTES, "west outBytes grew by the transfer: " + (w1[1] - w0[1]));
    assertTrue(e1[0] - e0[0] >= TRANSFER_BYTES, "east inBytes grew by the transfer: " + (e1[0] - e0[0]));
    assertTrue(w1[0] > w0[0] && e1[1] > e0[1], "the ACKs were counted east to west");
  }

  /** {@code ipsec look} names ipsec0 on eth0, the eroute to east's subnet and both SAs with no failures. */
  private static void assertLookShowsTunnel(Host west, Host east, String transport) {
    String look = west.ipsec("look").requireOk().stdout();
    String out = PlutoStatus.spiTo(west, east.address());
    assertTrue(look.contains("interface ipsec0->eth0"), look);
    assertTrue(look.contains("eroute " + west.subnet() + " -> " + east.subnet() + " => esp:0x" + out + "@"
        + east.address()), look);
    assertTrue(Pattern.compile("(?m)^out esp:0x" + out + "@\\S+ tunnel AES_GCM_16 " + transport
        + ": \\d+ bytes, \\d+ packets, replay 0, integrity 0").matcher(look).find(), look);
    assertTrue(Pattern.compile("(?m)^in  esp:0x[0-9a-f]+@" + Pattern.quote(west.address()) + " tunnel AES_GCM_16 "
        + transport + ": \\d+ bytes").matcher(look).find(), look);
  }

  /** {@code ipsec auto --down} deletes the SAs on both sides and traffic stops. */
  private static void assertDownEndsTunnel(Lab lab) {
    lab.west().ipsec("auto", "--down", CONN).requireOk();
    long deadline = System.nanoTime() + 5_000_000_000L;
    while (!PlutoStatus.traffic(lab.east()).isEmpty() && System.nanoTime() < deadline) {
      Background.sleep(100);
    }
    assertEquals(List.of(), PlutoStatus.traffic(lab.west()), "west has no IPsec SA after --down");
    assertEquals(List.of(), PlutoStatus.traffic(lab.east()), "east deleted its SA on west's Delete");
    Result ping = lab.west().exec("ping", "-n", "-c", "2", "-i", "0.2", "-W", "1", "-I",
        lab.west().subnetAddress(), lab.east().subnetAddress());
    assertNotEquals(0, ping.exitCode(), "no ping crosses after --down: " + ping.stdout());
  }

  static void assertAllReplied(PingResult p, Lab lab) {
    assertTrue(p.allReplied(), () -> "every ping answered:\n" + p.output() + logs(lab));
  }

  private static void iptables(Host h, String... args) {
    String[] cmd = new String[args.length + 1];
    cmd[0] = "iptables";
    System.arraycopy(args, 0, cmd, 1, args.length);
    h.exec(cmd).requireOk();
  }

  /** The packet counter of the INPUT rule carrying comment {@code tag}. */
  private static long iptablesPackets(Host h, String tag) {
    String out = h.exec("iptables", "-L", "INPUT", "-v", "-n", "-x").requireOk().stdout();
    return out.lines().filter(l -> l.contains("/* " + tag + " */")).findFirst()
        .map(l -> Long.parseLong(l.trim().split("\\s+")[0]))
        .orElseThrow(() -> new AssertionError("no iptables rule '" + tag + "' in:\n" + out));
  }

  /** Both sides' {@code ipsec look} (drop counters) and the end of their pluto logs, for failure messages. */
  static String logs(Lab lab) {
    StringBuilder s = new StringBuilder();
    for (String h : List.of("west", "east")) {
      if (lab.host(h).plutoRunning()) {
        Result look = lab.host(h).ipsec("look");
        s.append("\n--- ipsec look on ").append(h).append(" ---\n").append(look.stdout()).append(look.stderr());
      }
      List<String> l = lab.host(h).plutoLog().lines().toList();
      s.append("\n--- end of ").append(h).append("'s pluto.log ---\n")
          .append(String.join("\n", l.subList(Math.max(0, l.size() - 15), l.size())));
    }
    return s.toString();
  }
}
