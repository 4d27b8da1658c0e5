package org.openswanj.testing.oe;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.openswanj.testing.lab.OeLab;
import org.openswanj.testing.lab.OeLab.ZoneMode;
import org.openswanj.testing.lab.Result;

/**
 * Opportunistic encryption as an administrator sets it up, with no conn for any pair of hosts: west and east have
 * host keys ({@code ipsec newhostkey}) published in nic's BIND 9 ({@code ipsec showhostkey}), {@code oe=yes}, klips,
 * and policy groups: west lists the LAN as private-or-clear, south (no key) as private and nic as clear; east lists
 * the LAN as private-or-clear. A ping from west to east brings an IKEv2 tunnel up and crosses it as ESP; north
 * (no key) is reached in the clear after the failure shunt; south is dropped; after the shunt lifetime OE is tried
 * again.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class OeTunnelIT {
  static final String WEST = "192.1.2.45";
  static final String EAST = "192.1.2.23";
  static final String NORTH = "192.1.2.33";
  static final String SOUTH = "192.1.2.66";
  static final int SHUNT_LIFETIME = 8;
  static OeLab lab;
  static Process westPluto;

  @BeforeAll
  static void up() throws IOException {
    lab = OeLab.up("oet", "west", "east", "north", "south");
    lab.zones(2048);
    lab.startNic(ZoneMode.SIGNED);
    configure("west", "private-or-clear", "192.1.2.0/24", "private", SOUTH + "/32", "clear", "192.1.2.254/32");
    configure("east", "private-or-clear", "192.1.2.0/24", "clear", "192.1.2.254/32");
    lab.startPluto("east");
    westPluto = lab.startPluto("west", "--shuntlifetime", Integer.toString(SHUNT_LIFETIME));
    // the decrypted traffic appears on ipsec0, where iptables counts it
    lab.exec("east", Duration.ofSeconds(10), "iptables", "-I", "INPUT", "-i", "ipsec0", "-p", "icmp").requireOk();
  }

  @AfterAll
  static void down() {
    if (lab != null) {
      lab.close();
    }
  }

  /** ipsec.conf with oe=yes and no conn; policy group files given as (group, subnet) pairs. */
  static void configure(String host, String... groups) throws IOException {
    writeConf(host, "");
    Path policies = lab.ipsecD(host);
    for (int i = 0; i < groups.length; i += 2) {
      Files.writeString(policies.resolve(groups[i]), "# OeTunnelIT\n" + groups[i + 1] + "\n");
    }
  }

  static void writeConf(String host, String extraSetup) throws IOException {
    Files.writeString(lab.hostDir(host).resolve("ipsec.conf"), "config setup\n\tprotostack=klips\n"
        + "\tinterfaces=\"ipsec0=eth0\"\n\toe=yes\n" + extraSetup);
  }

  static String status(String host) {
    return lab.ctl(host, "auto", "--config", lab.hostDir(host).resolve("ipsec.conf").toString(), "--status")
        .requireOk().stdout();
  }

  static long ipsec0Packets() {
    String out = lab.exec("east", Duration.ofSeconds(10), "iptables", "-L", "INPUT", "-v", "-x", "-n").requireOk()
        .stdout();
    Matcher m = Pattern.compile("^\\s*(\\d+)\\s+\\d+\\s+(?:\\S+\\s+)?(?:icmp|1)\\s+--\\s+ipsec0", Pattern.MULTILINE)
        .matcher(out);
    assertTrue(m.find(), "no ipsec0 rule in: " + out);
    return Long.parseLong(m.group(1));
  }

  static double firstReplyMs(String pingOut) {
    Matcher m = Pattern.compile("icmp_seq=1 ttl=\\d+ time=([\\d.]+) ms").matcher(pingOut);
    return m.find() ? Double.parseDouble(m.group(1)) : -1;
  }

  @Test
  @Order(1)
  void aPingToEastBringsUpAnOeTunnelAndCrossesItEncrypted() throws Exception {
    Path dump = Files.createTempFile("oe-tunnel", ".txt");
    Process td = lab.capture("east", dump, "host " + WEST + " and host " + EAST);
    long t0 = System.nanoTime();
    Result r = lab.ping("west", EAST, 5);
    double totalMs = (System.nanoTime() - t0) / 1e6;
    String seen = lab.stopCapture(td, dump);
    assertEquals(0, r.exitCode(), "west pings east with no conn written: " + r + "\n" + lab.log("west"));
    assertTrue(r.stdout().contains("5 received"), "not one echo lost, the first was held: " + r.stdout());
    assertTrue(seen.contains("ESP(spi=0x"), "ESP on the wire: " + seen);
    assertFalse(seen.contains("ICMP echo"), "no clear ICMP between west and east: " + seen);
    assertEquals(5, ipsec0Packets(), "the five echo requests came out of east's ipsec0, decrypted");

    String w = status("west");
    assertTrue(w.contains("\"private-or-clear#192.1.2.0/24[1]\""), "west's --status shows the instance: " + w);
    assertTrue(w.contains("instance \"private-or-clear#192.1.2.0/24[1]\" erouted"), w);
    assertTrue(w.contains("\"private-or-clear#192.1.2.0/24[1]\" esp.") && w.contains("(PARENT SA established)"),
        "and its IKE and ESP SAs: " + w);
    String keys = lab.ctl("west", "whack", "--listpubkeys").requireOk().stdout();
    assertTrue(Pattern.compile("RSA key \\S+ from IPSECKEY 23\\.2\\.1\\.192\\.in-addr\\.arpa\\., TTL \\d+s left, unvalidated")
        .matcher(keys).find(), "--listpubkeys shows east's key and where it came from: " + keys);
    String e = status("east");
    assertTrue(e.contains("\"private-or-clear#192.1.2.0/24[1]\""), "east answered with an instance: " + e);

    Matcher up = lab.awaitLog("west", Pattern.compile("OE tunnel " + Pattern.quote(WEST + " -> " + EAST)
        + " up (\\d+) ms after the first packet"));
    System.out.printf("OE first packet to tunnel: %s ms (pluto: acquire to IPsec SA), first echo answered in %.1f ms,"
        + " 5 pings in %.0f ms%n", up.group(1), firstReplyMs(r.stdout()), totalMs);
  }

  @Test
  @Order(2)
  void northWithoutAKeyIsReachedInTheClearAfterThePassShunt() throws Exception {
    Path dump = Files.createTempFile("oe-north", ".txt");
    Process td = lab.capture("north", dump, "host " + WEST + " and host " + NORTH + " and icmp");
    Result r = lab.ping("west", NORTH, 3);
    String seen = lab.stopCapture(td, dump);
    assertEquals(0, r.exitCode(), "private-or-clear: north answers in the clear: " + r);
    assertTrue(seen.contains("ICMP echo request"), "in the clear on the wire: " + seen);
    String westLog = lab.log("west");
    assertTrue(westLog.contains("OE to " + NORTH + " failed (" + NORTH + ": NO_KEY: no usable IPSECKEY, TXT or KEY"
        + " record at 33.2.1.192.in-addr.arpa."), westLog);
    assertTrue(westLog.contains("%pass for " + SHUNT_LIFETIME + "s"), westLog);
    String w = status("west");
    assertTrue(w.contains(WEST + " -> " + NORTH + ": %pass shunt, "), w);
  }

  @Test
  @Order(3)
  void southUnderPrivateIsDropped() throws Exception {
    Result r = lab.ping("west", SOUTH, 3);
    assertEquals(1, r.exitCode(), "private: no answer from south: " + r);
    assertTrue(r.stdout().contains("0 received"), r.stdout());
    String w = status("west");
    assertTrue(w.contains(WEST + " -> " + SOUTH + ": %drop shunt, "), w);
  }

  @Test
  @Order(4)
  void afterTheShuntLifetimeOeIsTriedAgain() throws Exception {
    Thread.sleep((SHUNT_LIFETIME + 1) * 1000L);
    String before = lab.log("west");
    assertTrue(before.contains("%pass shunt for " + WEST + " -> " + NORTH + " expired"), before);
    assertEquals(0, lab.ping("west", NORTH, 1).exitCode());
    String after = lab.log("west");
    assertEquals(2, count(after, "OE to " + NORTH + " failed"), "looked up again after the shunt expired: " + after);
  }

  @Test
  @Order(5)
  void afterTheInstanceIsTakenDownTheNextPacketStartsOeAgain() throws Exception {
    lab.ctl("west", "auto", "--config", lab.hostDir("west").resolve("ipsec.conf").toString(), "--down",
        "private-or-clear#192.1.2.0/24[1]").requireOk();
    Result r = lab.ping("west", EAST, 3);
    assertEquals(0, r.exitCode(), "a new instance carries the ping: " + r);
    Matcher up = lab.awaitLog("west", Pattern.compile("\\[2\\]\": OE tunnel " + Pattern.quote(WEST + " -> " + EAST)
        + " up (\\d+) ms"));
    assertTrue(status("west").contains("instance \"private-or-clear#192.1.2.0/24[2]\" erouted"));
    System.out.printf("OE first packet to tunnel, warm (second instance, key cached): %s ms, first echo answered in"
        + " %.1f ms%n", up.group(1), firstReplyMs(r.stdout()));
  }

  @Test
  @Order(6)
  void withATrustAnchorAnUnsignedKeyIsRefusedAndTheLogSaysWhy() throws Exception {
    lab.ctl("west", "whack", "--shutdown");
    assertTrue(westPluto.waitFor(20, TimeUnit.SECONDS), "west's pluto stops");
    writeConf("west", "\tdnssec-anchors=" + lab.anchors(OeLab.AnchorForm.DS) + "\n");
    Files.writeString(lab.hostDir("west").resolve("pluto.log"), "");
    try {
      lab.startNic(ZoneMode.UNSIGNED);
      westPluto = lab.startPluto("west", "--shuntlifetime", Integer.toString(SHUNT_LIFETIME));
      lab.ping("west", EAST, 1);
      Matcher refused = lab.awaitLog("west", Pattern.compile("OE to " + Pattern.quote(EAST) + " failed \\(" + Pattern.quote(EAST)
          + ": DNSSEC_REFUSED: ([^)]*)"));
      assertTrue(refused.group(1).contains("23.2.1.192.in-addr.arpa."), refused.group());
      String w = status("west");
      assertTrue(w.contains("DNSSEC on: "), "--status says DNSSEC is on: " + w);
      assertTrue(w.contains(WEST + " -> " + EAST + ": %pass shunt, "), w);

      lab.startNic(ZoneMode.SIGNED);
      Thread.sleep((SHUNT_LIFETIME + 1) * 1000L);
      lab.ping("west", EAST, 3);
      Matcher secure = lab.awaitLog("west", Pattern.compile(Pattern.quote(EAST) + ": FOUND via " + Pattern.quote(EAST)
          + " \\(RSA key \\S+ from IPSECKEY 23.2.1.192.in-addr.arpa., (\\w+)\\)"));
      assertEquals("secure", secure.group(1), "signed: the key is used, validated");
      lab.awaitLog("west", Pattern.compile("OE tunnel " + Pattern.quote(WEST + " -> " + EAST) + " up"));
      assertEquals(0, lab.ping("west", EAST, 3).exitCode(), "and the tunnel carries traffic");
    } finally {
      lab.startNic(ZoneMode.SIGNED);
    }
  }

  static int count(String text, String what) {
    int n = 0;
    for (int i = text.indexOf(what); i >= 0; i = text.indexOf(what, i + 1)) {
      n++;
    }
    return n;
  }
}
