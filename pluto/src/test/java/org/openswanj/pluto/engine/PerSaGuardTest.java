package org.openswanj.pluto.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.Map;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.Test;
import org.openswanj.pluto.ikev1.Ikev1State;
import org.openswanj.pluto.ikev2.Ikev2State;
import org.openswanj.pluto.ikev2.TwoPlutos.Node;
import org.openswanj.pluto.ikev2.TwoPlutos;
import org.openswanj.pluto.net.MemoryNetwork;
import org.openswanj.whack.proto.WhackRequest;

/**
 * A bug in a handler (here: the transport throws while the handler sends) kills that SA and never the daemon,
 * whatever the event: datagram, timer, helper result, whack command; IKEv1 and IKEv2. After it the SA is gone
 * from the engine and the kernel, the whack that waited for it has its answer, and the same pluto negotiates
 * again.
 */
class PerSaGuardTest {
  private static final String PSK = "@west @east : PSK \"a-long-shared-secret\"\n";
  private static final String FAULT = "java.lang.IllegalStateException: injected fault in the sending handler;"
      + " deleting the SA";

  enum Version {
    IKEV1("never"),
    IKEV2("insist");

    final String ikev2;

    Version(String ikev2) {
      this.ikev2 = ikev2;
    }
  }

  private static TwoPlutos up(Version v) throws Exception {
    TwoPlutos t = new TwoPlutos(PSK, PSK, IkeSettings.defaults());
    Map<String, String> conn = TwoPlutos.connFor(v.ikev2);
    assertTrue(t.add(t.west, "west-east", conn).text().contains("added connection description"));
    assertTrue(t.add(t.east, "west-east", conn).text().contains("added connection description"));
    return t;
  }

  private static int sas(Node n) {
    return n.pluto.engine().ikeSas().size() + n.pluto.engine().childSas().size()
        + n.pluto.ikev1().isakmpSas().size() + n.pluto.ikev1().ipsecSas().size();
  }

  private static long bugs(Node n) {
    return n.pluto.engine().internalErrors() + n.pluto.ikev1().internalErrors();
  }

  /** The SA is gone here and in the kernel, one bug was counted, and nothing else broke. */
  private static void assertBuried(Node n) {
    assertEquals(0, sas(n), "SAs left in the engines");
    assertTrue(n.backend.sas().isEmpty(), "kernel SAs left: " + n.backend.describe());
    assertEquals(1, bugs(n), "bugs counted");
  }

  /** The daemon still answers whack and still negotiates with the same peer. */
  private static void assertStillWorks(TwoPlutos t, Version v) {
    t.west.faults.heal();
    t.east.faults.heal();
    t.net.setTap(UnaryOperator.identity());
    t.whack(t.west, new WhackRequest.Terminate("west-east"));
    t.loop.runPending();
    TwoPlutos.Recorder status = t.whack(t.west, new WhackRequest.Status(false));
    assertTrue(status.closed && status.text().contains("\"west-east\""), status.text());
    TwoPlutos.Recorder up = t.whack(t.west, new WhackRequest.Initiate("west-east", false));
    assertTrue(up.closed, up.text());
    assertEstablished(t, v);
  }

  private static void assertEstablished(TwoPlutos t, Version v) {
    if (v == Version.IKEV1) {
      assertEquals(Ikev1State.STATE_MAIN_I4, t.west.pluto.ikev1().isakmpSas().get(0).state());
      assertEquals(1, t.west.pluto.ikev1().ipsecSas().size());
    } else {
      assertEquals(Ikev2State.STATE_PARENT_I3, t.west.pluto.engine().ikeSas().get(0).state());
      assertEquals(1, t.west.pluto.engine().childSas().size());
    }
    assertEquals(2, t.west.backend.sas().size(), t.west.backend.describe().toString());
    // east may still hold SAs whose Delete the fault swallowed: they live until their own expiry
    assertTrue(t.east.backend.sas().size() >= 2, t.east.backend.describe().toString());
  }

  private static TwoPlutos.Recorder initiate(TwoPlutos t) {
    return t.whack(t.west, new WhackRequest.Initiate("west-east", false));
  }

  // ---- datagram ----

  @Test
  void ikev1BugAnsweringMainModeKillsTheNewResponderSa() throws Exception {
    TwoPlutos t = up(Version.IKEV1);
    t.east.faults.failFrom(1); // MR1 is sent while east processes MI1
    initiate(t);
    assertBuried(t.east);
    // west's retransmission of MI1 finds a healed east: the same daemon completes the negotiation
    t.east.faults.heal();
    t.loop.advance(Duration.ofSeconds(2));
    assertEstablished(t, Version.IKEV1);
    assertEquals(1, bugs(t.east), "no further bug");
  }

  @Test
  void ikev2BugAnsweringIkeAuthRemovesTheInstalledChild() throws Exception {
    TwoPlutos t = up(Version.IKEV2);
    t.east.faults.failFrom(2); // the IKE_SA_INIT answer goes; the IKE_AUTH answer throws, its Child SA installed
    initiate(t);
    assertBuried(t.east);
    assertTrue(t.east.backend.policies().values().stream().noneMatch(p -> p.action()
        == org.openswanj.kernel.PolicyAction.IPSEC), "IPsec policies left: " + t.east.backend.describe());
    assertStillWorks(t, Version.IKEV2);
  }

  // ---- timer ----

  @Test
  void ikev1BugInRetransmitTimer() throws Exception {
    timerCase(Version.IKEV1);
  }

  @Test
  void ikev2BugInRetransmitTimer() throws Exception {
    timerCase(Version.IKEV2);
  }

  private void timerCase(Version v) throws Exception {
    TwoPlutos t = up(v);
    t.net.setTap(d -> null); // east never hears west: west retransmits
    t.west.faults.failFrom(2);
    TwoPlutos.Recorder r = initiate(t);
    assertEquals(1, sas(t.west), "the first message went");
    t.loop.advance(Duration.ofSeconds(1));
    assertTrue(r.text().matches("(?s).*\"west-east\" #1: STATE_\\w+_I1: internal error in timer handler: "
        + FAULT.replace(".", "\\.") + ".*"), r.text());
    assertTrue(r.closed, "the whack waiting for the SA got its answer");
    assertBuried(t.west);
    assertStillWorks(t, v);
  }

  // ---- helper result ----

  @Test
  void ikev1BugAfterDhHelper() throws Exception {
    TwoPlutos t = up(Version.IKEV1);
    t.west.faults.failFrom(2); // MI1 goes from the whack step; MI2 is sent when the DH helper's key is back
    TwoPlutos.Recorder r = initiate(t);
    assertTrue(r.text().contains("#1: STATE_MAIN_I2: internal error in helper result handler: " + FAULT), r.text());
    assertTrue(r.closed);
    assertBuried(t.west);
    assertStillWorks(t, Version.IKEV1);
  }

  @Test
  void ikev2BugAfterDhHelper() throws Exception {
    TwoPlutos t = up(Version.IKEV2);
    t.west.faults.failFrom(1); // IKE_SA_INIT is sent when the DH helper's key is back
    TwoPlutos.Recorder r = initiate(t);
    assertTrue(r.text().contains("#1: STATE_PARENT_I1: internal error in helper result handler: " + FAULT), r.text());
    assertTrue(r.closed);
    assertBuried(t.west);
    assertStillWorks(t, Version.IKEV2);
  }

  // ---- whack ----

  @Test
  void ikev1BugInWhackTerminate() throws Exception {
    whackCase(Version.IKEV1);
  }

  @Test
  void ikev2BugInWhackTerminate() throws Exception {
    whackCase(Version.IKEV2);
  }

  private void whackCase(Version v) throws Exception {
    TwoPlutos t = up(v);
    initiate(t);
    assertEstablished(t, v);
    t.west.faults.failFrom(1); // the Delete notification throws
    TwoPlutos.Recorder r = t.whack(t.west, new WhackRequest.Terminate("west-east"));
    assertTrue(r.closed, r.text());
    assertBuried(t.west);
    assertStillWorks(t, v);
  }

  /** Malformed input is not a bug: nothing reaches the guard (the fuzz tests hold this too). */
  @Test
  void aDatagramOfAnotherMajorVersionIsNoBug() throws Exception {
    TwoPlutos t = up(Version.IKEV2);
    byte[] v3 = new byte[28];
    v3[7] = 1;
    v3[17] = 0x30;
    v3[18] = 34;
    v3[27] = 28;
    java.net.InetSocketAddress westIke = new java.net.InetSocketAddress(t.west.address, 500);
    java.net.InetSocketAddress eastIke = new java.net.InetSocketAddress(t.east.address, 500);
    t.net.inject(westIke, eastIke, v3);
    t.loop.runPending();
    assertEquals(0, bugs(t.east));
    MemoryNetwork.Datagram answer = t.net.log().get(t.net.log().size() - 1);
    assertEquals(eastIke, answer.from());
  }
}
