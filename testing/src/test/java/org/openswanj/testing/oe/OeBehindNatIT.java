package org.openswanj.testing.oe;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
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
 * Opportunistic encryption from behind a NAT, which Libreswan's own suite marks "not yet supported": south has no key
 * and sits on a private LAN (192.1.3.66) behind a source NAT that makes it 192.1.2.99 on the OE LAN; it runs OE with
 * NULL authentication (RFC 7619). West (a key in DNS, {@code authby=rsasig|null}) lists the LAN, NAT included, as
 * private-or-clear. South's first packet to west brings up an anonymous IKEv2 SA through the NAT (NAT-T, RFC 7296
 * §2.23), its Child SA in transport mode: west keys the address it sees south at, not the private one south names
 * (§2.23.1), so a NATed stranger gets exactly its public address and no other. Pings cross both ways as ESP in UDP,
 * west's replies reaching south's private address through the NAT's mapping.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class OeBehindNatIT {
  static final String WEST = "192.1.2.45";
  static final String SOUTH_PRIVATE = "192.1.3.66";
  static final String SOUTH_PUBLIC = "192.1.2.99";
  static OeLab lab;

  @BeforeAll
  static void up() throws IOException {
    lab = OeLab.upBehindNat("oat", "south", "west", "east", "south");
    lab.zones(2048);
    lab.startNic(ZoneMode.UNSIGNED);
    lab.configureOe("west", "\nconn private-or-clear\n\tauthby=rsasig|null\n");
    lab.configureOe("south", "\nconn private-or-clear\n\tauthby=null\n");
    Files.writeString(lab.hostDir("south").resolve("ipsec.secrets"), ""); // south has no key at all
    lab.startPluto("west");
    lab.startPluto("south");
  }

  @AfterAll
  static void down() {
    if (lab != null) {
      lab.close();
    }
  }


  @Test
  @Order(1)
  void southBehindTheNatReachesWestOverAnAnonymousTransportSa() throws Exception {
    Path dump = Files.createTempFile("oe-nat", ".txt");
    Process td = lab.capture("west", dump, "host " + WEST + " and host " + SOUTH_PUBLIC);
    long t0 = System.nanoTime();
    Result r = lab.ping("south", WEST, 5);
    double ms = (System.nanoTime() - t0) / 1e6;
    String seen = lab.stopCapture(td, dump);
    assertEquals(0, r.exitCode(), "south pings west: " + r + "\n--- south ---\n" + lab.log("south")
        + "\n--- west ---\n" + lab.log("west"));
    assertTrue(seen.contains("UDP-encap: ESP(spi=0x"), "ESP in UDP on west's wire (RFC 3948): " + seen);
    assertFalse(seen.contains("ICMP echo"), "no clear ICMP between the NAT and west: " + seen);
    assertTrue(lab.log("west").contains("responding to OE from " + SOUTH_PUBLIC + " with NULL authentication"),
        lab.log("west"));
    assertTrue(lab.log("west").contains("peer behind NAT in transport mode names itself " + SOUTH_PRIVATE
        + "/32; keyed at " + SOUTH_PUBLIC + "/32 (RFC 7296 section 2.23.1)"), lab.log("west"));
    assertTrue(lab.log("south").contains("transport mode {ESP/NAT=>"), lab.log("south"));
    String w = lab.status("west");
    assertTrue(w.contains(WEST + "<" + WEST + ">[%null]..." + SOUTH_PUBLIC + "<" + SOUTH_PUBLIC + ">[%null]"),
        "west's instance is for the NAT's address: " + w);
    assertFalse(w.contains(SOUTH_PRIVATE), "and keys nothing for the private address: " + w);
    String s = lab.status("south");
    assertTrue(s.contains(SOUTH_PRIVATE + "<" + SOUTH_PRIVATE + ">[%null]..." + WEST + "<" + WEST + ">[%null]"),
        "south's own view names its private address: " + s);
    Matcher up = lab.awaitLog("south", Pattern.compile("OE tunnel " + Pattern.quote(SOUTH_PRIVATE + " -> " + WEST)
        + " up (\\d+) ms after the first packet"));
    System.out.printf("MEASURE OE behind NAT south->west: first packet to tunnel %s ms, 5 pings in %.0f ms%n",
        up.group(1), ms);
  }

  @Test
  @Order(2)
  void westReachesSouthThroughTheNatsMappingOverTheSameSa() throws Exception {
    String before = lab.status("west");
    Path dump = Files.createTempFile("oe-nat-back", ".txt");
    Process td = lab.capture("west", dump, "host " + WEST + " and host " + SOUTH_PUBLIC);
    Result r = lab.ping("west", SOUTH_PUBLIC, 3);
    String seen = lab.stopCapture(td, dump);
    assertEquals(0, r.exitCode(), "west pings south at the NAT's address: " + r + "\n" + lab.log("west"));
    assertTrue(r.stdout().contains("3 received"), r.stdout());
    assertFalse(seen.contains("ICMP echo"), "encrypted both ways: " + seen);
    assertEquals(count(before, "STATE_PARENT_R2"), count(lab.status("west"), "STATE_PARENT_R2"),
        "no new IKE SA: west's packets went into south's SA");
  }

  private static int count(String s, String what) {
    return s.split(Pattern.quote(what), -1).length - 1;
  }
}
