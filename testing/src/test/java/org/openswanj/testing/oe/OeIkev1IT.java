package org.openswanj.testing.oe;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
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
 * Opportunistic encryption over IKEv1, as Openswan 2.6 runs it: west's {@code conn private-or-clear} says
 * {@code ikev2=never}, so its OE instances initiate Main Mode with RSA signatures (keys from DNS) and a tunnel-mode
 * Quick Mode. East keeps the default (IKEv2) and answers west's Main Mode as IKEv1 all the same, its instance made
 * for the version of the peer's first message: an Openswan 2.6 host keeps its OE with us.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class OeIkev1IT {
  static final String WEST = "192.1.2.45";
  static final String EAST = "192.1.2.23";
  static OeLab lab;

  @BeforeAll
  static void up() throws IOException {
    lab = OeLab.up("oev", "west", "east");
    lab.zones(2048);
    lab.startNic(ZoneMode.UNSIGNED);
    lab.configureOe("west", "\nconn private-or-clear\n\tikev2=never\n");
    lab.configureOe("east", "");
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
  @Order(1)
  void westsOeIsMainModeWithKeysFromDnsAndEastAnswersIt() throws Exception {
    Path dump = Files.createTempFile("oe-v1", ".txt");
    Process td = lab.capture("west", dump, "host " + WEST + " and host " + EAST);
    Result r = lab.ping("west", EAST, 5);
    String seen = lab.stopCapture(td, dump);
    assertEquals(0, r.exitCode(), "west pings east: " + r + "\n--- west ---\n" + lab.log("west")
        + "\n--- east ---\n" + lab.log("east"));
    String logs = "\n--- west ---\n" + lab.log("west") + "\n--- east ---\n" + lab.log("east");
    assertTrue(seen.contains("ESP(spi=0x"), "ESP on the wire: " + seen + logs);
    assertFalse(seen.contains("ICMP echo"), "no clear ICMP: " + seen + logs);
    assertTrue(Pattern.compile(Pattern.quote(EAST) + ": FOUND via .*; initiating IKEv1\n").matcher(lab.log("west"))
        .find(), lab.log("west"));
    lab.awaitLog("west", Pattern.compile("OE tunnel " + Pattern.quote(WEST + " -> " + EAST) + " up"));
    String w = lab.status("west");
    assertTrue(w.contains("STATE_MAIN_I4"), "an ISAKMP SA (Main Mode) on west: " + w);
    assertTrue(w.contains("STATE_QUICK_I2"), "and its IPsec SA: " + w);
    assertTrue(w.contains(WEST + "<" + WEST + ">[" + WEST + "]..." + EAST + "<" + EAST + ">[" + EAST + "]"),
        "the instance names both hosts by address: " + w);
    String e = lab.status("east");
    assertTrue(e.contains("STATE_MAIN_R3") && e.contains("STATE_QUICK_R2"), "east answered in IKEv1: " + e);
    assertTrue(lab.log("east").contains("responding to OE from " + WEST), lab.log("east"));
  }
}
