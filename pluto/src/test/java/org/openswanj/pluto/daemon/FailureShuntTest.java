package org.openswanj.pluto.daemon;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetAddress;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.openswanj.kernel.KernelEvent;
import org.openswanj.kernel.PolicyAction;
import org.openswanj.kernel.PolicyDirection;
import org.openswanj.kernel.PolicyId;
import org.openswanj.kernel.PolicySpec;
import org.openswanj.kernel.Selector;
import org.openswanj.pluto.engine.IkeSettings;
import org.openswanj.pluto.ikev2.TwoPlutos;
import org.openswanj.whack.proto.WhackRequest;

/**
 * failureshunt= and negotiationshunt= of an ordinary routed conn, for both IKE versions: what the kernel's
 * outbound eroute is while negotiating, after a refusal or an authentication failure, after a later success, and
 * what {@code whack --status} / {@code --shuntstatus} say.
 */
class FailureShuntTest {
  static final String PSK = "@west @east : PSK \"a-long-shared-secret\"\n";
  static final Selector FLOW = selector("192.0.1.0", 24, "192.0.2.0", 24);
  static final Selector PACKET = selector("192.0.1.1", 32, "192.0.2.1", 32);

  private static Selector selector(String src, int sp, String dst, int dp) {
    try {
      return Selector.of(InetAddress.getByName(src), sp, InetAddress.getByName(dst), dp);
    } catch (java.net.UnknownHostException e) {
      throw new IllegalStateException(e);
    }
  }

  /** West's conn, routed; east has no conn yet, so it answers NO_PROPOSAL_CHOSEN (IKEv2) / refuses (IKEv1). */
  private static TwoPlutos routedWest(String ikev2, String... extra) throws Exception {
    TwoPlutos t = new TwoPlutos(PSK, PSK, IkeSettings.defaults());
    String[] kw = new String[extra.length + 2];
    kw[0] = "keyingtries";
    kw[1] = "1";
    System.arraycopy(extra, 0, kw, 2, extra.length);
    assertTrue(t.add(t.west, "west-east", TwoPlutos.connFor(ikev2, kw)).text().contains("added"));
    String r = t.whack(t.west, new WhackRequest.Route("west-east")).text();
    assertTrue(r.contains("route installed (%trap)"), r);
    assertEquals(PolicyAction.TRAP, out(t).action());
    return t;
  }

  private static PolicySpec out(TwoPlutos t) {
    return t.west.backend.policies().get(new PolicyId(FLOW, PolicyDirection.OUT));
  }

  private static void acquire(TwoPlutos t) {
    t.west.backend.listener().onEvent(new KernelEvent.Acquire(PACKET, new PolicyId(FLOW, PolicyDirection.OUT), 0));
    t.loop.runPending();
  }

  private static String status(TwoPlutos t) {
    return t.whack(t.west, new WhackRequest.Status(false)).text();
  }

  private static String shunts(TwoPlutos t) {
    return t.whack(t.west, new WhackRequest.ShuntStatus()).text();
  }

  @Test
  void aRefusedAcquireLeavesThePassthroughShuntUntilASuccessReplacesIt() throws Exception {
    TwoPlutos t = routedWest("insist", "auto", "route", "failureshunt", "passthrough");
    acquire(t);
    assertEquals(PolicyAction.PASS, out(t).action(), t.west.backend.describe().toString());
    String s = status(t);
    assertTrue(s.contains("===192.0.2.0/24; fail erouted;"), s);
    assertTrue(s.contains("policy: PSK+ENCRYPT+TUNNEL+PFS+IKEv2ALLOW+IKEv2Init+failurePASS"), s);
    assertTrue(shunts(t).contains("192.0.1.0/24:0 -0-> 192.0.2.0/24:0 => %pass 0    west-east (failureshunt)"),
        shunts(t));
    // another packet finds the %pass, not a %trap: no new negotiation until the admin asks
    acquire(t);
    assertTrue(t.west.pluto.engine().ikeSas().isEmpty());
    // auto --up once east knows the conn: the IPsec SA's eroute replaces the failure shunt
    t.add(t.east, "west-east", TwoPlutos.conn());
    t.whack(t.west, new WhackRequest.Initiate("west-east", false));
    assertEquals(PolicyAction.IPSEC, out(t).action());
    assertTrue(status(t).contains("; erouted; eroute owner: #"), status(t));
    assertEquals("", shunts(t));
    // auto --down of an auto=route conn: back on its %trap
    t.whack(t.west, new WhackRequest.Terminate("west-east"));
    assertEquals(PolicyAction.TRAP, out(t).action());
    assertTrue(status(t).contains("; prospective erouted;"), status(t));
  }

  @Test
  void failureshuntNoneGoesBackToTheTrap() throws Exception {
    TwoPlutos t = routedWest("insist");
    acquire(t);
    assertEquals(PolicyAction.TRAP, out(t).action());
    String s = status(t);
    assertTrue(s.contains("; prospective erouted;"), s);
    assertTrue(!s.contains("failure"), s);
    // and the next packet starts a new negotiation, as before
    t.add(t.east, "west-east", TwoPlutos.conn());
    acquire(t);
    assertEquals(PolicyAction.IPSEC, out(t).action(), t.west.backend.describe().toString());
  }

  @Test
  void negotiationshuntPassesClearWhileIkeRunsThenTheFailureShuntDrops() throws Exception {
    TwoPlutos t = routedWest("insist", "negotiationshunt", "passthrough", "failureshunt", "drop");
    t.add(t.east, "west-east", TwoPlutos.conn());
    t.net.setTap(d -> null); // east's answers never come
    acquire(t);
    assertEquals(PolicyAction.PASS, out(t).action());
    assertTrue(status(t).contains("; erouted HOLD;"), status(t));
    assertTrue(shunts(t).contains("=> %pass 0    west-east (negotiationshunt)"), shunts(t));
    t.loop.advance(Duration.ofMinutes(5)); // retransmissions spent, keyingtries=1
    assertEquals(PolicyAction.DROP, out(t).action());
    assertTrue(status(t).contains("; fail erouted;"), status(t));
    assertTrue(shunts(t).contains("=> %drop 0    west-east (failureshunt)"), shunts(t));
  }

  @Test
  void negotiationshuntHoldIsTheDefault() throws Exception {
    TwoPlutos t = routedWest("insist");
    t.add(t.east, "west-east", TwoPlutos.conn());
    t.net.setTap(d -> null);
    acquire(t);
    assertEquals(PolicyAction.HOLD, out(t).action());
    assertTrue(status(t).contains("; erouted HOLD;"), status(t));
  }

  @Test
  void unrouteRemovesTheFailureShuntAndRouteRestoresTheTrap() throws Exception {
    TwoPlutos t = routedWest("insist", "failureshunt", "reject");
    t.whack(t.west, new WhackRequest.Initiate("west-east", false)); // auto --up of a routed conn, refused
    assertEquals(PolicyAction.REJECT, out(t).action());
    t.whack(t.west, new WhackRequest.Route("west-east"));
    assertEquals(PolicyAction.TRAP, out(t).action());
    assertTrue(status(t).contains("; prospective erouted;"), status(t));
    t.whack(t.west, new WhackRequest.Initiate("west-east", false));
    assertEquals(PolicyAction.REJECT, out(t).action());
    t.whack(t.west, new WhackRequest.Unroute("west-east"));
    assertNull(out(t), t.west.backend.describe().toString());
    assertTrue(status(t).contains("; unrouted;"), status(t));
    assertEquals("", shunts(t));
  }

  @Test
  void anUnroutedConnGetsNoShunt() throws Exception {
    TwoPlutos t = new TwoPlutos(PSK, PSK, IkeSettings.defaults());
    t.add(t.west, "west-east", TwoPlutos.conn("keyingtries", "1", "failureshunt", "drop"));
    t.whack(t.west, new WhackRequest.Initiate("west-east", false));
    assertNull(out(t));
    assertTrue(status(t).contains("; unrouted;"), status(t));
  }

  @Test
  void ikev1AuthenticationFailureInstallsTheFailureShunt() throws Exception {
    TwoPlutos t = new TwoPlutos(PSK, "@west @east : PSK \"another-secret\"\n", IkeSettings.defaults());
    Map<String, String> c = TwoPlutos.connFor("never", "keyingtries", "1", "failureshunt", "drop");
    t.add(t.west, "west-east", c);
    t.add(t.east, "west-east", TwoPlutos.connFor("never"));
    t.whack(t.west, new WhackRequest.Route("west-east"));
    acquire(t);
    t.loop.advance(Duration.ofMinutes(5));
    assertEquals(PolicyAction.DROP, out(t).action(), t.west.backend.describe().toString());
    assertTrue(status(t).contains("; fail erouted;"), status(t));
  }

  @Test
  void ikev2AuthenticationFailureInstallsTheFailureShunt() throws Exception {
    TwoPlutos t = new TwoPlutos(PSK, "@west @east : PSK \"another-secret\"\n", IkeSettings.defaults());
    t.add(t.west, "west-east", TwoPlutos.conn("keyingtries", "1", "failureshunt", "passthrough"));
    t.add(t.east, "west-east", TwoPlutos.conn());
    t.whack(t.west, new WhackRequest.Route("west-east"));
    acquire(t);
    assertEquals(PolicyAction.PASS, out(t).action(), t.west.backend.describe().toString());
  }

  @Test
  void aBadNegotiationshuntIsRefusedWithItsName() throws Exception {
    TwoPlutos t = new TwoPlutos(PSK, PSK, IkeSettings.defaults());
    String r = t.add(t.west, "west-east", TwoPlutos.conn("negotiationshunt", "reject")).text();
    assertTrue(r.contains("negotiationshunt") && !r.contains("added connection"), r);
  }
}
