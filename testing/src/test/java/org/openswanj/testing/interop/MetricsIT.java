package org.openswanj.testing.interop;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.openswanj.testing.interop.PlutoPeers.CONN;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.openswanj.testing.lab.Host;
import org.openswanj.testing.lab.Lab;
import org.openswanj.testing.lab.Result;

/**
 * Metrics as an admin scrapes them: two plutos started with {@code ipsec setup start} (klips), the tunnel up, a
 * ping through it, then {@code ipsec whack --metrics} and an HTTP GET on west's {@code metrics=} address (inside
 * west's namespace) show the same families and the IPsec SA's packets.
 */
class MetricsIT {
  private static final Pattern TYPE = Pattern.compile("(?m)^# TYPE (\\S+) (\\S+)$");
  private Lab lab;
  private Host west;
  private Host east;

  @BeforeEach
  void up() {
    Lab.requirePluto();
    lab = Lab.up("ojme");
    west = lab.west();
    east = lab.east();
  }

  @AfterEach
  void down() {
    lab.stopPlutosAndClose();
  }

  private static void configure(Host h, Host peer, String setupLine, String auto) throws Exception {
    String conf = PlutoPeers.ipsecConf(h, peer, "klips", "ike=aes256-sha2_256-modp2048", "esp=aes256gcm16")
        .replace("\tauto=add\n", "\tauto=" + auto + "\n")
        .replace("config setup\n", "config setup\n" + setupLine);
    PlutoPeers.install(h, conf, PlutoPeers.secrets(h, peer));
  }

  private static List<String> families(String exposition) {
    Matcher m = TYPE.matcher(exposition);
    List<String> out = new java.util.ArrayList<>();
    while (m.find()) {
      out.add(m.group(1) + " " + m.group(2));
    }
    return out;
  }

  private static long sample(String exposition, String nameAndLabels) {
    for (String l : exposition.split("\n")) {
      if (l.startsWith(nameAndLabels + " ")) {
        return Long.parseLong(l.substring(nameAndLabels.length() + 1).trim());
      }
    }
    throw new AssertionError("no sample " + nameAndLabels + " in:\n" + exposition);
  }

  @Test
  void whackAndHttpShowTheTunnelsCounters() throws Exception {
    String at = west.address() + ":9090";
    configure(east, west, "", "add");
    configure(west, east, "\tmetrics=" + at + "\n", "start");
    assertEquals(0, east.setup("start").exitCode());
    Result started = west.setup("start");
    assertEquals(0, started.exitCode(), started.toString());
    PlutoPeers.await("auto=start brings the tunnel up", () -> PlutoPeers.childSpis(west).size() == 1
        && PlutoPeers.childSpis(east).size() == 1, 20_000);
    assertTrue(west.ping("192.0.2.254", "192.0.1.254", 4).allReplied());

    Result whack = west.ipsec("whack", "--metrics");
    assertEquals(0, whack.exitCode(), whack.toString());
    String text = whack.stdout();
    assertTrue(text.endsWith("# EOF\n"), "OpenMetrics ends with # EOF:\n" + text);
    String[] spis = PlutoPeers.childSpis(west).get(0);
    String in = "pluto_ipsec_sa_packets_total{conn=\"" + CONN + "\",spi=\"0x" + spis[0] + "\",direction=\"in\"}";
    String out = "pluto_ipsec_sa_packets_total{conn=\"" + CONN + "\",spi=\"0x" + spis[1] + "\",direction=\"out\"}";
    System.out.println("MetricsIT: " + in + " " + sample(text, in) + "; " + out + " " + sample(text, out));
    assertTrue(sample(text, in) >= 4, "the 4 pings' replies came in through the SA:\n" + text);
    assertTrue(sample(text, out) >= 4, "the 4 pings went out through it");
    assertEquals(1, sample(text, "pluto_ike_handshakes_completed_total{ike_version=\"2\"}"));
    assertEquals(1, sample(text, "pluto_ike_sas{ike_version=\"2\",state=\"STATE_PARENT_I3\"}"));

    // the same families over HTTP, on the address metrics= names (inside west's namespace)
    Result http = west.exec("curl", "-sS", "--max-time", "10", "-D", "/dev/stderr", "http://" + at + "/metrics");
    assertEquals(0, http.exitCode(), http.toString());
    assertTrue(http.stderr().toLowerCase(java.util.Locale.ROOT)
        .contains("content-type: application/openmetrics-text; version=1.0.0; charset=utf-8"), http.stderr());
    assertEquals(families(text), families(http.stdout()));
    assertTrue(http.stdout().endsWith("# EOF\n"), http.stdout());
    assertTrue(sample(http.stdout(), in) >= 4, http.stdout());
    // only there: loopback in west's namespace has no listener
    Result loopback = west.exec("curl", "-sS", "--max-time", "5", "http://127.0.0.1:9090/metrics");
    assertNotEquals(0, loopback.exitCode(), "nothing listens on 127.0.0.1:9090: " + loopback);
  }

  @Test
  void aBadMetricsValueIsAConfigErrorNamingTheKeyword() throws Exception {
    configure(west, east, "\tmetrics=west:9090\n", "add");
    Result r = west.setup("start");
    assertNotEquals(0, r.exitCode(), r.toString());
    assertTrue((r.stdout() + r.stderr()).contains("metrics=west:9090: \"west\" is not an IPv4 or IPv6 address"),
        r.toString());
    assertTrue(!Files.exists(west.ctlSocket()), "pluto did not start");
  }
}
