package org.openswanj.testing.oe;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.openswanj.testing.lab.OeLab;
import org.openswanj.testing.lab.OeLab.ZoneMode;
import org.openswanj.testing.lab.Result;

/**
 * Opportunistic encryption over IPv6: the LAN's 2001:db8:1:2::/64 in private-or-clear on west and east, their
 * IPSECKEY records at their ip6.arpa names in nic's BIND; west's first ping6 to east is held, looked up, and
 * crosses as ESP between the two IPv6 addresses. And in the same lab, IPv4 OE started by hand with
 * {@code ipsec whack --oppohere --oppothere}, before any packet.
 */
class OeIpv6IT {
  static final String WEST6 = "2001:db8:1:2::45";
  static final String EAST6 = "2001:db8:1:2::23";
  static OeLab lab;

  @BeforeAll
  static void up() throws IOException {
    lab = OeLab.up("o6t", "west", "east");
    lab.zones(2048);
    lab.startNic(ZoneMode.UNSIGNED);
    for (String h : new String[] {"west", "east"}) {
      lab.configureOe(h, "", "2001:db8:1:2::/64", "clear 2001:db8:1:2::254/128");
    }
    lab.startPluto("west");
    lab.startPluto("east");
  }

  @AfterAll
  static void down() {
    if (lab != null) {
      lab.close();
    }
  }

  @Test
  void westsPing6ToEastCrossesAsEspWithKeysFromIp6Arpa() throws Exception {
    Path dump = Files.createTempFile("oe-v6", ".txt");
    Process td = lab.capture("west", dump, "host " + WEST6 + " and host " + EAST6);
    Result r = lab.exec("west", Duration.ofSeconds(40), "ping", "-6", "-n", "-c", "5", "-i", "0.2", "-W", "5", EAST6);
    String seen = lab.stopCapture(td, dump);
    String logs = "\n--- west ---\n" + lab.log("west") + "\n--- east ---\n" + lab.log("east");
    assertEquals(0, r.exitCode(), "west pings east over IPv6: " + r + logs);
    assertTrue(seen.contains("ESP(spi=0x"), "ESP on the wire: " + seen + logs);
    assertFalse(seen.contains("ICMP6, echo request"), "no clear ICMPv6 echo: " + seen + logs);
    lab.awaitLog("west", Pattern.compile("OE tunnel " + Pattern.quote(WEST6 + " -> " + EAST6) + " up (\\d+) ms"));
    assertTrue(lab.log("east").contains("responding to OE from " + WEST6), logs);
    String w = lab.status("west");
    assertTrue(w.contains(WEST6 + "<" + WEST6 + ">[" + WEST6 + "]..." + EAST6 + "<" + EAST6 + ">[" + EAST6 + "]"),
        "the instance names both hosts by their IPv6 addresses: " + w);
  }

  @Test
  void whackOppoHereThereBringsOeUpByHandAndExitsZero() throws Exception {
    Result r = lab.ctl("west", "whack", "--oppohere", "192.1.2.45", "--oppothere", "192.1.2.23");
    String logs = "\n--- west ---\n" + lab.log("west") + "\n--- east ---\n" + lab.log("east");
    assertEquals(0, r.exitCode(), r + logs);
    assertTrue(r.stdout().contains("000 initiate on demand from 192.1.2.45 to 192.1.2.23 because of whack"), r.stdout());
    assertTrue(Pattern.compile("004 \"private-or-clear#192\\.1\\.2\\.0/24\\[\\d+\\]\": OE tunnel 192\\.1\\.2\\.45 -> "
        + "192\\.1\\.2\\.23 up \\d+ ms").matcher(r.stdout()).find(), r.stdout());
    Path dump = Files.createTempFile("oe-byhand", ".txt");
    Process td = lab.capture("west", dump, "host 192.1.2.45 and host 192.1.2.23");
    Result ping = lab.ping("west", "192.1.2.23", 3);
    String seen = lab.stopCapture(td, dump);
    assertTrue(ping.stdout().contains("3 received"), "no packet held: the SA was there before the first: " + ping);
    assertFalse(seen.contains("ICMP echo"), seen);
    Result again = lab.ctl("west", "whack", "--oppohere", "192.1.2.45", "--oppothere", "192.1.2.23");
    assertEquals(0, again.exitCode());
    assertTrue(again.stdout().contains("already erouted"), again.stdout());
    Result none = lab.ctl("west", "whack", "--oppohere", "192.1.2.45", "--oppothere", "192.1.2.254");
    assertEquals(33, none.exitCode(), "nic is in clear: OPPOFAILURE " + none);
    assertTrue(none.stdout().contains("which does not start OE"), none.stdout());
  }
}
