package org.openswanj.testing.oe;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.openswanj.testing.lab.OeLab;
import org.openswanj.testing.lab.OeLab.ZoneMode;
import org.openswanj.testing.lab.Result;

/**
 * OE at scale (issue 9): one pluto (west) opens OE to 50 distinct peer addresses at once, all on one responder
 * (east holds 192.1.2.100-149 besides its own), each with an IPSECKEY record at its reverse name (east's host key,
 * gateway the address itself) in nic's BIND. West pings all 50 in parallel with no conn written; each flow is held,
 * looked up, negotiated, and answered. Prints the time to all up and tunnels per second.
 */
class OeScaleIT {
  static final int PEERS = 50;
  static final int FIRST = 100;
  static OeLab lab;

  @BeforeAll
  static void up() throws IOException {
    lab = OeLab.up("osc", "west", "east");
    lab.zones(2048);
    Path eastSecrets = lab.hostDir("east").resolve("ipsec.secrets");
    String one = lab.ipsec("east", "showhostkey", "--file", eastSecrets.toString(), "--ipseckey", "--gateway",
        "192.1.2." + FIRST, "--hostname", "192.1.2." + FIRST).requireOk().stdout().lines()
        .filter(l -> !l.startsWith(";") && !l.isBlank()).collect(Collectors.joining("\n"));
    assertTrue(one.startsWith(FIRST + ".2.1.192.in-addr.arpa."), "showhostkey's record: " + one);
    StringBuilder records = new StringBuilder("\n; OeScaleIT: east's key for each of its extra addresses\n");
    for (int i = FIRST; i < FIRST + PEERS; i++) {
      records.append(one.replace(FIRST + ".2.1.192.in-addr.arpa.", i + ".2.1.192.in-addr.arpa.")
          .replace("192.1.2." + FIRST, "192.1.2." + i)).append('\n');
      lab.exec("east", Duration.ofSeconds(10), "ip", "addr", "add", "192.1.2." + i + "/24", "dev", "eth0")
          .requireOk();
    }
    Files.writeString(lab.dir().resolve("nic/zones/unsigned/db.2.1.192.in-addr.arpa"), records.toString(),
        StandardOpenOption.APPEND);
    lab.startNic(ZoneMode.UNSIGNED);
    lab.configureOe("west", "");
    lab.configureOe("east", "");
    lab.startPluto("east");
    lab.startPluto("west");
  }

  @AfterAll
  static void down() {
    if (lab != null) {
      lab.close();
    }
  }

  @Test
  void westOpensOeToFiftyPeerAddressesAtOnce() throws Exception {
    long t0 = System.nanoTime();
    Result r = lab.exec("west", Duration.ofSeconds(120), "bash", "-c", "for i in $(seq " + FIRST + " "
        + (FIRST + PEERS - 1) + "); do (ping -n -c 2 -i 0.5 -W 20 192.1.2.$i >/dev/null 2>&1 && echo up $i) & done;"
        + " wait");
    double wallMs = (System.nanoTime() - t0) / 1e6;
    String logs = "\n--- west ---\n" + tail(lab.log("west")) + "\n--- east ---\n" + tail(lab.log("east"));
    long answered = r.stdout().lines().filter(l -> l.startsWith("up ")).count();
    assertEquals(PEERS, answered, "every one of the " + PEERS + " addresses answered: " + r.stdout() + logs);
    Matcher m = Pattern.compile("OE tunnel 192\\.1\\.2\\.45 -> 192\\.1\\.2\\.(\\d+) up (\\d+) ms after the first packet")
        .matcher(lab.log("west"));
    List<Integer> ms = new ArrayList<>();
    while (m.find()) {
      ms.add(Integer.parseInt(m.group(2)));
    }
    assertEquals(PEERS, ms.size(), "one OE tunnel per address: " + logs);
    String status = lab.status("west");
    long erouted = status.lines().filter(l -> l.contains("-> 192.1.2.") && l.endsWith("erouted")).count();
    assertEquals(PEERS, erouted, status);
    int slowest = ms.stream().mapToInt(Integer::intValue).max().orElseThrow();
    ms.sort(null);
    System.out.printf("MEASURE OE %d peers at once: all up %d ms after their first packets (median %d ms),"
        + " %.1f tunnels/s; %d pings each answered in %.0f ms wall%n", PEERS, slowest, ms.get(ms.size() / 2),
        PEERS * 1000.0 / slowest, 2, wallMs);
  }

  private static String tail(String log) {
    List<String> l = log.lines().toList();
    return String.join("\n", l.subList(Math.max(0, l.size() - 40), l.size()));
  }
}
