package org.openswanj.testing.oe;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
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
 * Opportunistic encryption with NULL authentication (RFC 7619) in the OE lab: west and east publish host keys in
 * nic's BIND 9; south has no key and runs OE with NULL authentication only ({@code conn private-or-clear} with
 * {@code authby=null}, Libreswan's spelling). West allows both ({@code authby=rsasig|null}); east is Openswan
 * 2.6's default (keys from DNS only). South reaches west over an anonymous tunnel; west still reaches east with
 * RSA; and when east comes back NULL-only while west holds its authenticated SA, west refuses it.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class OeNullAuthIT {
  static final String WEST = "192.1.2.45";
  static final String EAST = "192.1.2.23";
  static final String SOUTH = "192.1.2.66";
  static OeLab lab;
  static Process eastPluto;

  @BeforeAll
  static void up() throws IOException {
    lab = OeLab.up("oen", "west", "east", "south");
    lab.zones(2048);
    lab.startNic(ZoneMode.SIGNED);
    configure("west", "authby=rsasig|null");
    configure("east", null);
    configure("south", "authby=null");
    Files.writeString(lab.hostDir("south").resolve("ipsec.secrets"), ""); // south has no key at all
    lab.startPluto("west");
    eastPluto = lab.startPluto("east");
    lab.startPluto("south");
  }

  @AfterAll
  static void down() {
    if (lab != null) {
      lab.close();
    }
  }

  /** oe=yes, the LAN private-or-clear, nic clear; {@code auth}: the private-or-clear conn's authby= line. */
  static void configure(String host, String auth) {
    lab.configureOe(host, auth == null ? "" : "\nconn private-or-clear\n\t" + auth + "\n");
  }

  static String status(String host) {
    return lab.status(host);
  }

  @Test
  @Order(1)
  void southWithoutAKeyReachesWestOverAnAnonymousTunnel() throws Exception {
    Path dump = Files.createTempFile("oe-null", ".txt");
    Process td = lab.capture("south", dump, "host " + SOUTH + " and host " + WEST);
    long t0 = System.nanoTime();
    Result r = lab.ping("south", WEST, 5);
    double ms = (System.nanoTime() - t0) / 1e6;
    String seen = lab.stopCapture(td, dump);
    assertEquals(0, r.exitCode(), "south pings west: " + r + "\n--- south ---\n" + lab.log("south") + "\n--- west ---\n"
        + lab.log("west"));
    assertTrue(r.stdout().contains("5 received"), "the first echo was held, not lost: " + r.stdout());
    assertTrue(seen.contains("ESP(spi=0x"), "ESP on the wire: " + seen);
    assertFalse(seen.contains("ICMP echo"), "no clear ICMP between south and west: " + seen);
    assertTrue(lab.log("south").contains("authby=null; initiating IKEv2 with NULL authentication (RFC 7619)"),
        lab.log("south"));
    assertTrue(lab.log("west").contains("responding to OE from " + SOUTH + " with NULL authentication (RFC 7619): no OE"
        + " key in DNS"), lab.log("west"));
    String w = status("west");
    assertTrue(w.contains(WEST + "<" + WEST + ">[%null]..." + SOUTH + "<" + SOUTH + ">[%null]"),
        "west's --status shows the anonymous instance: " + w);
    assertTrue(w.contains("AUTHNULL"), w);
    Matcher up = lab.awaitLog("south", Pattern.compile("OE tunnel " + Pattern.quote(SOUTH + " -> " + WEST)
        + " up (\\d+) ms after the first packet"));
    System.out.printf("MEASURE OE NULL auth south->west: first packet to tunnel %s ms, 5 pings in %.0f ms%n",
        up.group(1), ms);
  }

  @Test
  @Order(2)
  void westStillAuthenticatesEastWithItsKeyFromDns() throws Exception {
    Result r = lab.ping("west", EAST, 3);
    assertEquals(0, r.exitCode(), r + "\n" + lab.log("west"));
    lab.awaitLog("west", Pattern.compile("OE tunnel " + Pattern.quote(WEST + " -> " + EAST) + " up"));
    assertTrue(Pattern.compile(Pattern.quote(EAST) + ": FOUND via .*; initiating IKEv2\n").matcher(lab.log("west")).find(),
        "a key in DNS: RSA, though west allows NULL:\n" + lab.log("west"));
    String w = status("west");
    assertTrue(w.contains(WEST + "<" + WEST + ">[" + WEST + "]..." + EAST + "<" + EAST + ">[" + EAST + "]"),
        "the RSA instance names both hosts by address: " + w);
    assertFalse(w.contains(EAST + "<" + EAST + ">[%null]"), "east is not anonymous: " + w);
  }

  @Test
  @Order(3)
  void anAnonymousEastDoesNotReplaceTheAuthenticatedSa() throws Exception {
    String before = status("west");
    // west initiated only to east: its one STATE_PARENT_I3 is the authenticated SA with east
    Matcher sa = Pattern.compile("#(\\d+): \"(private-or-clear#192\\.1\\.2\\.0/24\\[\\d+\\])\":500 STATE_PARENT_I3")
        .matcher(before);
    assertTrue(sa.find(), "west's authenticated IKE SA with east: " + before);
    // kill -9: a shutdown would send west a Delete, and the point is west still holding the SA
    eastPluto.toHandle().descendants().forEach(ProcessHandle::destroyForcibly);
    eastPluto.destroyForcibly();
    assertTrue(eastPluto.waitFor(20, TimeUnit.SECONDS), "east's pluto is gone");
    Files.deleteIfExists(lab.hostDir("east").resolve("pluto.ctl"));
    configure("east", "authby=null");
    eastPluto = lab.startPluto("east");
    lab.ping("east", WEST, 2);
    lab.awaitLog("west", Pattern.compile("peer %null failed to authenticate \\([^)]*\\): answering AUTHENTICATION_FAILED"));
    String after = status("west");
    assertTrue(after.contains("#" + sa.group(1) + ": \"" + sa.group(2) + "\":500 STATE_PARENT_I3"),
        "the authenticated SA is still there:\n" + after);
    assertFalse(after.contains(EAST + "<" + EAST + ">[%null]"), "and no anonymous instance for east: " + after);
  }
}
