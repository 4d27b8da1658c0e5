package org.openswanj.testing.interop;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.openswanj.testing.lab.Host;
import org.openswanj.testing.lab.Lab;
import org.openswanj.testing.lab.Result;

/**
 * NAT-keepalives from pluto on netkey (RFC 3948 §2.3), through bin/ipsec: with {@code forceencaps=yes} NAT-T is in
 * use between west and east, and west's {@code config setup} has {@code keep_alive=2}; east's tcpdump counts the
 * one-octet 0xFF datagrams from west's port 4500. With {@code force_keepalive=yes} they come every 2 s; without
 * it none (IKEv2 NAT-D says west is not behind a NAT).
 */
class NatKeepaliveIT {
  private Lab lab;
  private Host west;
  private Host east;

  @BeforeEach
  void up() {
    Lab.requirePluto();
    lab = Lab.up("ojka");
    west = lab.west();
    east = lab.east();
  }

  @AfterEach
  void down() {
    lab.stopPlutosAndClose();
  }

  private static void configure(Host h, Host peer, String setupLines, String auto) throws Exception {
    String conf = PlutoPeers.ipsecConf(h, peer, "netkey", "forceencaps=yes")
        .replace("\tprotostack=netkey\n", "\tprotostack=netkey\n\tplutostderrlog=" + h.plutoLogFile() + "\n"
            + setupLines)
        .replace("\tauto=add\n", "\tauto=" + auto + "\n");
    PlutoPeers.install(h, conf, PlutoPeers.secrets(h, peer));
  }

  /** One-octet UDP payloads (UDP length 9) from west's NAT-T port seen by east in {@code seconds}. */
  private long keepalivesSeenByEast(int seconds) {
    // the filter keeps UDP length 9 (8 + one octet) from west's 4500; tcpdump names the octet isakmp-nat-keep-alive
    Result r = east.exec(Duration.ofSeconds(seconds + 5L), "timeout", Integer.toString(seconds), "tcpdump", "-i",
        "eth0", "-n", "-l", "-x", "src " + west.address() + " and udp src port 4500 and udp[4:2] = 9");
    List<String> lines = r.stdout().lines().toList();
    long n = lines.stream().filter(l -> l.contains(west.address() + ".4500 > " + east.address() + ".4500")).count();
    long ff = lines.stream().filter(l -> l.trim().startsWith("0x0010:") && l.contains(" ff")).count();
    assertEquals(n, ff, "each of them is the octet 0xff (after the 20-byte IP and 8-byte UDP headers):\n" + r);
    return n;
  }

  private void tunnelUp(String westSetup) throws Exception {
    configure(east, west, "", "add");
    configure(west, east, westSetup, "start");
    assertEquals(0, east.setup("start").exitCode());
    Result w = west.setup("start");
    assertEquals(0, w.exitCode(), w.toString());
    try {
      // keepalives belong to the IKE SA (this kernel may lack the ESP algorithms: the Child SA does not matter)
      PlutoPeers.await("the IKE SA is up", () -> PlutoPeers.ikeStates(west).contains("STATE_PARENT_I3"), 20_000);
    } catch (AssertionError e) {
      throw new AssertionError(e.getMessage() + "\nwest: " + west.plutoLog() + "\neast: " + east.plutoLog(), e);
    }
  }

  @Test
  void forcedKeepalivesEveryKeepAliveSeconds() throws Exception {
    tunnelUp("\tkeep_alive=2\n\tforce_keepalive=yes\n");
    long n = keepalivesSeenByEast(7);
    assertTrue(n >= 3 && n <= 4, "one every 2 s over 7 s: " + n + "\nwest: " + west.plutoLog());
  }

  @Test
  void noneWhenNotBehindANatAndNotForced() throws Exception {
    tunnelUp("\tkeep_alive=2\n");
    assertEquals(0, keepalivesSeenByEast(5));
  }
}
