package org.openswanj.testing.interop;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.openswanj.testing.interop.PlutoPeers.CONN;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.openswanj.testing.lab.Host;
import org.openswanj.testing.lab.Lab;
import org.openswanj.testing.lab.PingResult;
import org.openswanj.testing.lab.Result;

/**
 * Shunt conns as an Openswan admin writes them ({@code type=passthrough|drop|reject}, {@code auto=route}),
 * through bin/ipsec. On klips, with 192.0.1.0/24 - 192.0.2.0/24 tunnelled: a passthrough /32 inside the
 * tunnelled /24 is answered in the clear (the tunnel's byte counters do not move), a drop /32 is silent, a
 * reject /32 answers ICMP unreachable (administratively prohibited, ping's "Packet filtered"), {@code whack --shuntstatus} lists the three, and a shunt cannot be
 * initiated. On netkey (this kernel has XFRM policies): the shunts are allow/block policies in and out, each
 * more preferred than the tunnel's %trap for the /24, and deleting the conn removes them.
 */
class ShuntConnsIT {
  private Lab lab;
  private Host west;
  private Host east;

  @BeforeEach
  void up() {
    Lab.requirePluto();
    lab = Lab.up("ojsh");
    west = lab.west();
    east = lab.east();
  }

  @AfterEach
  void down() {
    lab.stopPlutosAndClose();
  }

  private void configure(Host h, String conf) throws Exception {
    Host peer = h == west ? east : west;
    PlutoPeers.install(h, conf, PlutoPeers.secrets(h, peer));
  }

  /** A shunt conn from {@code me}'s subnet to one host of the peer's /24 (or the reverse on the peer). */
  private static String shunt(String name, String type, Host me, String mySubnet, Host peer, String peerSubnet) {
    return "\nconn " + name + "\n\tleft=" + me.address() + "\n\tleftsubnet=" + mySubnet + "\n\tright="
        + peer.address() + "\n\trightsubnet=" + peerSubnet + "\n\ttype=" + type + "\n\tauto=route\n";
  }

  private static long outBytes(Host h) {
    Matcher m = Pattern.compile("outBytes=(\\d+)").matcher(h.ipsec("whack", "--trafficstatus").stdout());
    long sum = 0;
    while (m.find()) {
      sum += Long.parseLong(m.group(1));
    }
    return sum;
  }

  @Test
  void klipsShuntsInsideATunnelledSubnetPassDropAndReject() throws Exception {
    for (String a : List.of("192.0.2.253/32", "192.0.2.252/32", "192.0.2.251/32")) {
      east.exec("ip", "addr", "add", a, "dev", "lo").requireOk();
    }
    configure(east, PlutoPeers.ipsecConf(east, west, "klips")
        + shunt("pass-253", "passthrough", east, "192.0.2.253/32", west, "192.0.1.0/24"));
    configure(west, PlutoPeers.ipsecConf(west, east, "klips").replace("\tauto=add\n", "\tauto=start\n")
        + shunt("pass-253", "passthrough", west, "192.0.1.0/24", east, "192.0.2.253/32")
        + shunt("drop-252", "drop", west, "192.0.1.0/24", east, "192.0.2.252/32")
        + shunt("reject-251", "reject", west, "192.0.1.0/24", east, "192.0.2.251/32"));
    assertEquals(0, east.setup("start").exitCode());
    Result start = west.setup("start");
    assertEquals(0, start.exitCode(), start.toString());
    assertTrue(start.stdout().contains("\"pass-253\": route installed (%pass)"), start.stdout());
    PlutoPeers.await("the tunnel is up", () -> PlutoPeers.childSpis(west).size() == 1, 20_000);

    assertTrue(west.ping("192.0.2.254", "192.0.1.254", 2).allReplied(), "the tunnel carries the /24");
    long before = outBytes(west);
    assertTrue(before > 0, "tunnel traffic is counted");
    PingResult pass = west.ping("192.0.2.253", "192.0.1.254", 3);
    assertTrue(pass.allReplied(), "the passthrough host answers: " + pass.output());
    assertEquals(before, outBytes(west), "and its packets bypassed the tunnel (no ESP bytes)");

    PingResult drop = west.ping("192.0.2.252", "192.0.1.254", 2);
    assertEquals(0, drop.received(), "type=drop is silent: " + drop.output());
    PingResult reject = west.ping("192.0.2.251", "192.0.1.254", 2);
    assertEquals(0, reject.received());
    assertTrue(reject.output().contains("From 192.0.2.251 icmp_seq=1 Packet filtered"),
        "type=reject answers ICMP unreachable, administratively prohibited: " + reject.output());
    assertFalse(drop.output().contains("From "), "while drop answers nothing: " + drop.output());
    assertEquals(before, outBytes(west), "no shunted packet went into the tunnel");

    Result shunts = west.ipsec("whack", "--shuntstatus");
    assertEquals(0, shunts.exitCode());
    assertEquals(List.of(
        "000 192.0.1.0/24:0 -0-> 192.0.2.253/32:0 => %pass 0    pass-253",
        "000 192.0.1.0/24:0 -0-> 192.0.2.252/32:0 => %drop 0    drop-252",
        "000 192.0.1.0/24:0 -0-> 192.0.2.251/32:0 => %reject 0    reject-251"), shunts.stdout().lines().toList());

    Result up = west.ipsec("auto", "--up", "pass-253");
    assertEquals(30, up.exitCode(), "RC_INITSHUNT: " + up);
    assertTrue(up.stdout().contains("cannot initiate an authby=never connection"), up.stdout());
  }

  private static List<String[]> outPolicies(Host h) {
    // "src A dst B \n\tdir out priority N ..." blocks; [selector, block text]
    String text = h.exec("ip", "xfrm", "policy").requireOk().stdout();
    List<String[]> out = new ArrayList<>();
    for (String block : text.split("(?m)^(?=src )")) {
      if (!block.isBlank()) {
        out.add(new String[] {block.lines().findFirst().orElse("").trim(), block});
      }
    }
    return out;
  }

  private static long priority(String block) {
    Matcher m = Pattern.compile("priority (\\d+)").matcher(block);
    assertTrue(m.find(), block);
    return Long.parseLong(m.group(1));
  }

  private static String find(List<String[]> policies, String selector, String dir) {
    return policies.stream().filter(p -> p[0].equals(selector) && p[1].contains("dir " + dir + " "))
        .map(p -> p[1]).findFirst().orElseThrow(() -> new AssertionError("no " + dir + " policy " + selector + " in "
            + policies.stream().map(p -> p[1]).toList()));
  }

  @Test
  void netkeyShuntsAreAllowAndBlockPoliciesPreferredOverTheTunnelsTrap() throws Exception {
    configure(west, PlutoPeers.ipsecConf(west, east, "netkey").replace("\tauto=add\n", "\tauto=route\n")
        + shunt("pass-253", "passthrough", west, "192.0.1.0/24", east, "192.0.2.253/32")
        + shunt("drop-252", "drop", west, "192.0.1.0/24", east, "192.0.2.252/32"));
    Result start = west.setup("start");
    assertEquals(0, start.exitCode(), start.toString());

    List<String[]> p = outPolicies(west);
    String trap = find(p, "src 192.0.1.0/24 dst 192.0.2.0/24", "out");
    assertTrue(trap.contains("tmpl"), "the tunnel's %trap asks for ESP: " + trap);
    String pass = find(p, "src 192.0.1.0/24 dst 192.0.2.253/32", "out");
    assertFalse(pass.contains("tmpl") || pass.contains("action block"), "passthrough: allow, no SA: " + pass);
    find(p, "src 192.0.2.253/32 dst 192.0.1.0/24", "in");
    find(p, "src 192.0.2.253/32 dst 192.0.1.0/24", "fwd");
    String drop = find(p, "src 192.0.1.0/24 dst 192.0.2.252/32", "out");
    assertTrue(drop.contains("action block"), drop);
    assertTrue(find(p, "src 192.0.2.252/32 dst 192.0.1.0/24", "in").contains("action block"));
    assertTrue(priority(pass) < priority(trap) && priority(drop) < priority(trap),
        "XFRM takes the lowest priority: the /32 shunts win over the /24 trap (" + priority(pass) + ", "
            + priority(drop) + " vs " + priority(trap) + ")");

    Result shunts = west.ipsec("whack", "--shuntstatus");
    assertEquals(2, shunts.stdout().lines().count(), shunts.stdout());

    assertEquals(0, west.ipsec("auto", "--delete", "pass-253").exitCode());
    List<String[]> after = outPolicies(west);
    assertTrue(after.stream().noneMatch(x -> x[0].contains("192.0.2.253/32")), "deleting the conn removes its policies");
    assertTrue(after.stream().anyMatch(x -> x[0].equals("src 192.0.1.0/24 dst 192.0.2.252/32")), "the others stay");
  }
}
