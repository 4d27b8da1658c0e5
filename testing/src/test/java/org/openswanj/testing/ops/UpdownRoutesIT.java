package org.openswanj.testing.ops;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * bin/_updown as pluto runs it, in a private network namespace ({@code unshare -n}, so parallel runs never
 * meet) with an uplink, a default route and a TUN {@code ipsec0}: what {@code ip route} and {@code ip addr}
 * show after each verb, against Openswan 2.6's _updown.klips/_updown.netkey behaviour.
 */
class UpdownRoutesIT {
  private static final Path TOP = Path.of("..").toAbsolutePath().normalize();
  private static final String SETUP = "set -e; ip link set lo up; ip tuntap add dev ipsec0 mode tun; ip link set ipsec0 up; "
      + "ip link add eth0 type veth peer name eth0p; ip link set eth0p up; ip addr add 192.0.2.1/24 dev eth0; "
      + "ip link set eth0 up; ip route add default via 192.0.2.254; set +e\n";

  /** Runs {@code steps} (lines "VERB [VAR=value ...]", or "show") after SETUP; returns what "show" printed. */
  private static String run(Map<String, String> env, String... steps) throws IOException, InterruptedException {
    StringBuilder sh = new StringBuilder(SETUP);
    for (String step : steps) {
      if (step.startsWith("show")) {
        sh.append("echo '--'; ip route; ip -o -4 addr show dev eth0 | awk '{print $4}'")
            .append(step.substring(4)).append('\n');
      } else {
        String[] w = step.split(" ", 2);
        sh.append(w.length > 1 ? w[1] + " " : "").append("PLUTO_VERB=").append(w[0]).append(' ')
            .append(TOP.resolve("bin/_updown")).append(" || echo \"status $?\"\n");
      }
    }
    List<String> cmd = new ArrayList<>(List.of("unshare", "-n", "sh", "-c", sh.toString()));
    ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true);
    pb.environment().putAll(env);
    pb.environment().put("PLUTO_VERSION", "2.0");
    Process p = pb.start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertTrue(p.waitFor(30, TimeUnit.SECONDS));
    return out;
  }

  @Test
  void defaultPeerClientIsRoutedAsTwoHalvesAndTheDefaultRouteSurvives() throws Exception {
    String out = run(Map.of("PLUTO_STACK", "klips", "PLUTO_INTERFACE", "ipsec0", "PLUTO_PEER", "192.0.2.2",
        "PLUTO_NEXT_HOP", "192.0.2.2", "PLUTO_PEER_CLIENT", "0.0.0.0/0"),
        "prepare-client", "route-client", "show", "up-client", "down-client", "unroute-client", "show");
    String[] parts = out.split("--\n");
    assertEquals(3, parts.length, out);
    assertTrue(parts[1].contains("0.0.0.0/1 dev ipsec0") && parts[1].contains("128.0.0.0/1 dev ipsec0"), out);
    assertTrue(parts[1].contains("default via 192.0.2.254 dev eth0"), out);
    assertTrue(parts[2].contains("default via 192.0.2.254 dev eth0"), "default route deleted: " + out);
    assertFalse(parts[2].contains("ipsec0"), out);
    assertFalse(out.contains("status"), out);
  }

  @Test
  void netkeyRoutesOnlyForASourceIpWhichIsAddedAndRemoved() throws Exception {
    Map<String, String> env = Map.of("PLUTO_STACK", "netkey", "PLUTO_INTERFACE", "eth0", "PLUTO_PEER",
        "192.0.2.2", "PLUTO_NEXT_HOP", "192.0.2.2", "PLUTO_PEER_CLIENT", "10.2.0.0/24");
    String plain = run(env, "route-client", "show");
    assertFalse(plain.contains("10.2.0.0/24"), "netkey routed without leftsourceip: " + plain);
    String src = run(env, "route-client PLUTO_MY_SOURCEIP=10.1.0.1", "show",
        "unroute-client PLUTO_MY_SOURCEIP=10.1.0.1", "show");
    String[] parts = src.split("--\n");
    assertTrue(parts[1].contains("10.2.0.0/24 via 192.0.2.2 dev eth0 src 10.1.0.1"), src);
    assertTrue(parts[1].contains("10.1.0.1/32"), "leftsourceip not added: " + src);
    assertFalse(parts[2].contains("10.2.0.0/24") || parts[2].contains("10.1.0.1"), src);
  }

  @Test
  void v6VerbsRouteWithIpMinus6() throws Exception {
    String out = run(Map.of("PLUTO_STACK", "klips", "PLUTO_INTERFACE", "ipsec0", "PLUTO_PEER", "2001:db8::2",
        "PLUTO_PEER_CLIENT", "2001:db8:2::/48"), "route-client-v6",
        "show; ip -6 route show", "bogus-verb");
    assertTrue(out.contains("2001:db8:2::/48 dev ipsec0"), out);
    assertTrue(out.contains("unknown verb 'bogus-verb'") && out.contains("status 1"), out);
  }
}
