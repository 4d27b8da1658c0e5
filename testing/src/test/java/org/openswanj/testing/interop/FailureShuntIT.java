package org.openswanj.testing.interop;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.openswanj.testing.interop.PlutoPeers.CONN;

import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.openswanj.testing.lab.Host;
import org.openswanj.testing.lab.Lab;
import org.openswanj.testing.lab.PingResult;
import org.openswanj.testing.lab.Result;

/**
 * failureshunt= through bin/ipsec (klips): west routes 192.0.1.0/24 - 192.0.2.0/24 with {@code auto=route}
 * toward an east whose pluto has no such conn and refuses (NO_PROPOSAL_CHOSEN). The first ping raises the ACQUIRE;
 * once keyingtries=1 is spent, {@code failureshunt=passthrough} lets the pings out in the clear (east, routed back
 * to west without IPsec, answers), {@code failureshunt=drop} discards them; {@code ipsec auto --status} shows
 * "fail erouted" and the policy's +failurePASS / +failureDROP, {@code whack --shuntstatus} the shunt. Toward an east
 * with no pluto (IKE unanswered), {@code negotiationshunt=passthrough} lets the pings out in the clear while west
 * retransmits ("erouted HOLD"), {@code hold} keeps them back.
 */
class FailureShuntIT {
  private Lab lab;
  private Host west;
  private Host east;

  @BeforeEach
  void up() {
    Lab.requirePluto();
    lab = Lab.up("ojfs");
    west = lab.west();
    east = lab.east();
  }

  @AfterEach
  void down() {
    lab.stopPlutosAndClose();
  }

  private static void configure(Host h, String conf, Host peer) throws Exception {
    PlutoPeers.install(h, conf, PlutoPeers.secrets(h, peer));
  }

  /** East runs pluto without the conn (it refuses west) and routes west's subnet back in the clear. */
  private void startRefusingEastAndRoutedWest(String failureShunt) throws Exception {
    configure(east, "config setup\n\tprotostack=klips\n\tinterfaces=\"ipsec0=eth0\"\n", west);
    east.exec("ip", "route", "add", west.subnet(), "via", west.address()).requireOk();
    configure(west, PlutoPeers.ipsecConf(west, east, "klips", "keyingtries=1", "failureshunt=" + failureShunt)
        .replace("\tauto=add\n", "\tauto=route\n"), east);
    assertEquals(0, east.setup("start").exitCode());
    Result start = west.setup("start");
    assertEquals(0, start.exitCode(), start.toString());
    assertTrue(status().contains("; prospective erouted;"), status());
  }

  /** East runs no pluto at all (IKE goes unanswered, west retransmits for about a minute). */
  private void startSilentEastAndRoutedWest(String negotiationShunt) throws Exception {
    east.exec("ip", "route", "add", west.subnet(), "via", west.address()).requireOk();
    configure(west, PlutoPeers.ipsecConf(west, east, "klips", "keyingtries=1", "negotiationshunt=" + negotiationShunt)
        .replace("\tauto=add\n", "\tauto=route\n"), east);
    Result start = west.setup("start");
    assertEquals(0, start.exitCode(), start.toString());
    west.ping("192.0.2.254", "192.0.1.254", 1); // the ACQUIRE
    PlutoPeers.await("the negotiation shunt replaces the %trap", () -> status().contains("; erouted HOLD;"), 20_000);
  }

  private String status() {
    return west.ipsec("auto", "--status").stdout();
  }

  /** The first packet hits the %trap; the negotiation it starts is refused and the failure shunt goes in. */
  private void triggerTheRefusedNegotiation() {
    west.ping("192.0.2.254", "192.0.1.254", 1);
    PlutoPeers.await("the failure shunt replaces the %trap", () -> status().contains("; fail erouted;"), 20_000);
  }

  @Test
  void passthroughSendsTheTrafficInTheClearAfterTheRefusal() throws Exception {
    startRefusingEastAndRoutedWest("passthrough");
    triggerTheRefusedNegotiation();
    String s = status();
    assertTrue(s.contains("policy: PSK+ENCRYPT+TUNNEL+PFS+IKEv2ALLOW+IKEv2Init+failurePASS;"), s);
    PingResult p = west.ping("192.0.2.254", "192.0.1.254", 3, Duration.ofSeconds(5));
    assertTrue(p.allReplied(), "the pings go out in the clear and east answers: " + p.output());
    assertTrue(PlutoPeers.childSpis(west).isEmpty(), "no IPsec SA carried them");
    assertEquals(List.of("000 192.0.1.0/24:0 -0-> 192.0.2.0/24:0 => %pass 0    " + CONN + " (failureshunt)"),
        west.ipsec("whack", "--shuntstatus").stdout().lines().toList());
  }

  @Test
  void dropDiscardsTheTrafficUntilTheConnIsUnrouted() throws Exception {
    startRefusingEastAndRoutedWest("drop");
    triggerTheRefusedNegotiation();
    assertTrue(status().contains("+failureDROP;"), status());
    PingResult p = west.ping("192.0.2.254", "192.0.1.254", 2);
    assertEquals(0, p.received(), "failureshunt=drop: nothing gets through: " + p.output());
    // the same pings once the conn and its shunt are gone, on a plain route: east does answer
    assertEquals(0, west.ipsec("auto", "--unroute", CONN).exitCode());
    assertTrue(status().contains("; unrouted;"), status());
    assertEquals("", west.ipsec("whack", "--shuntstatus").stdout());
    west.exec("ip", "route", "replace", east.subnet(), "via", east.address()).requireOk();
    PingResult clear = west.ping("192.0.2.254", "192.0.1.254", 2, Duration.ofSeconds(5));
    assertTrue(clear.allReplied(), "without the shunt the same pings are answered: " + clear.output());
  }

  @Test
  void negotiationshuntPassthroughLetsTheTrafficOutWhileIkeRuns() throws Exception {
    startSilentEastAndRoutedWest("passthrough");
    PingResult p = west.ping("192.0.2.254", "192.0.1.254", 3, Duration.ofSeconds(5));
    assertTrue(p.allReplied(), "cleartext goes out while west retransmits: " + p.output());
    assertTrue(west.ipsec("whack", "--shuntstatus").stdout().contains("=> %pass 0    " + CONN + " (negotiationshunt)"));
  }

  @Test
  void negotiationshuntHoldKeepsTheTrafficBackWhileIkeRuns() throws Exception {
    startSilentEastAndRoutedWest("hold");
    PingResult p = west.ping("192.0.2.254", "192.0.1.254", 2);
    assertEquals(0, p.received(), "negotiationshunt=hold (the default): nothing in the clear: " + p.output());
  }
}
