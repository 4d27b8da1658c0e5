package org.openswanj.cluster.vip;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.common.net.InetAddresses;
import java.io.IOException;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Two gateways (namespaces a, b) and a LAN peer (namespace peer, with the bridge) share a LAN; the VIP moves
 * from a to b and the peer's neighbour entry follows the gratuitous ARP before it sends anything.
 */
class VipClaimIT {
  private static final InetAddress VIP = InetAddresses.forString("10.99.0.100");
  private final String tag = System.getProperty("oj.lab.tag", "cluster");
  private final String peer = "oj-" + tag + "-peer";
  private final String a = "oj-" + tag + "-a";
  private final String b = "oj-" + tag + "-b";

  private static String sh(String... cmd) throws IOException, InterruptedException {
    Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    if (p.waitFor() != 0) {
      throw new IOException(String.join(" ", cmd) + ": " + out.strip());
    }
    return out;
  }

  @BeforeEach
  void lan() throws Exception {
    teardown();
    for (String ns : List.of(peer, a, b)) {
      sh("ip", "netns", "add", ns);
      sh("ip", "-n", ns, "link", "set", "lo", "up");
    }
    sh("ip", "-n", peer, "link", "add", "br0", "type", "bridge");
    sh("ip", "-n", peer, "addr", "add", "10.99.0.3/24", "dev", "br0");
    sh("ip", "-n", peer, "link", "set", "br0", "up");
    int i = 1;
    for (String gw : List.of(a, b)) {
      String port = "p" + gw.substring(gw.length() - 1);
      sh("ip", "-n", gw, "link", "add", "eth0", "type", "veth", "peer", "name", port, "netns", peer);
      sh("ip", "-n", gw, "addr", "add", "10.99.0." + i++ + "/24", "dev", "eth0");
      sh("ip", "-n", gw, "link", "set", "eth0", "up");
      sh("ip", "-n", peer, "link", "set", port, "master", "br0", "up");
    }
  }

  @AfterEach
  void teardown() throws Exception {
    for (String ns : List.of(peer, a, b)) {
      new ProcessBuilder("ip", "netns", "del", ns).redirectErrorStream(true).start().waitFor();
    }
  }

  private String mac(String ns) throws Exception {
    String out = sh("ip", "-n", ns, "-br", "link", "show", "eth0");
    return out.trim().split("\\s+")[2];
  }

  private String peerNeighbour() throws Exception {
    String out = sh("ip", "-n", peer, "neigh", "show", VIP.getHostAddress());
    String[] f = out.trim().split("\\s+");
    List<String> words = new ArrayList<>(List.of(f));
    int at = words.indexOf("lladdr");
    return at < 0 ? "" : words.get(at + 1);
  }

  private VipClaim on(String ns) {
    return new VipClaim(List.of("ip", "netns", "exec", ns), "eth0");
  }

  @Test
  void addressMovesAndTheLanFollowsTheGratuitousArp() throws Exception {
    on(a).claim(VIP);
    sh("ip", "netns", "exec", peer, "ping", "-c", "1", "-W", "2", VIP.getHostAddress());
    assertEquals(mac(a), peerNeighbour(), "peer reached the VIP at a");

    on(a).release(VIP); // fenced
    on(b).claim(VIP);   // elected
    assertEquals(mac(b), peerNeighbour(), "the announcement moved the peer's entry to b without any traffic");
    assertNotEquals(mac(a), mac(b));
    sh("ip", "netns", "exec", peer, "ping", "-c", "1", "-W", "2", VIP.getHostAddress());
    on(b).claim(VIP); // claiming twice is harmless
    on(a).release(VIP); // so is releasing what we do not hold
  }

  @Test
  void failuresAreOneLineNamingTheCommand() {
    VipClaimException e = assertThrows(VipClaimException.class,
        () -> new VipClaim(List.of("ip", "netns", "exec", a), "nosuch0").claim(VIP));
    assertTrue(e.getMessage().startsWith("ip addr add 10.99.0.100/32 dev nosuch0: exit "), e.getMessage());
    assertTrue(e.getMessage().lines().count() == 1);
    assertThrows(VipClaimException.class, () -> on(a).claim(InetAddresses.forString("2001:db8::1")));
  }

  private boolean holds(String ns) throws Exception {
    return sh("ip", "-n", ns, "-4", "-o", "addr", "show", "dev", "eth0").contains(" " + VIP.getHostAddress() + "/32");
  }

  /**
   * With a lifetime the kernel takes the address away by itself when its holder stops renewing it (the daemon
   * died), and keeps it while renewed; renewing is how an address is claimed again, so it never fails on one held.
   */
  @Test
  void anAddressClaimedForALifetimeGoesUnlessRenewed() throws Exception {
    on(a).add(VIP, java.time.Duration.ofSeconds(2));
    assertTrue(holds(a));
    assertTrue(sh("ip", "-n", a, "-o", "addr", "show", "dev", "eth0").matches("(?s).*valid_lft [12]sec.*"),
        "the kernel counts the lifetime down");
    for (int i = 0; i < 4; i++) { // 3 s of renewals every 0.75 s: past the 2 s lifetime
      Thread.sleep(750);
      on(a).add(VIP, java.time.Duration.ofSeconds(2));
    }
    assertTrue(holds(a), "renewed: still held");
    long renewedAt = System.nanoTime();
    while (holds(a) && System.nanoTime() - renewedAt < 5_000_000_000L) {
      Thread.sleep(100);
    }
    double gone = (System.nanoTime() - renewedAt) / 1e9;
    assertTrue(!holds(a) && gone > 1.0 && gone < 3.5, "no renewal: gone after " + gone + " s");
    on(a).release(VIP); // releasing an expired address is harmless
  }
}
