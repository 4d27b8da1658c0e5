package org.openswanj.cluster.takeover;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.openswanj.cluster.Samples;
import org.openswanj.cluster.state.MessageIdSync;

class TakeoverPlannerTest {
  private final TakeoverPlanner planner = new TakeoverPlanner(65_536);

  @Test
  void outboundSequenceStartsAMarginPastTheHighWaterWithAFreshWindow() {
    ChildTakeover t = planner.plan(List.of(Samples.child(1, 1_000_000, false))).childSas().get(0);
    assertEquals(1_000_000 + 65_536 + 1, t.nextOutboundSeq());
    assertEquals(64, t.inboundReplay().window());
    assertFalse(t.inboundReplay().esn());
    assertFalse(t.rekeyAtOnce());
  }

  @Test
  void aPeerWithReplayCounterSyncGetsAnInboundFloorAMarginPastTheInboundHighWaterOthersNone() {
    var c = Samples.child(1, 1_000, false);
    var withInbound = new org.openswanj.cluster.state.ChildSaRecord(c.ref(), c.selectors(), c.algorithms(), c.keys(),
        c.times(), c.outboundSeqHighWater(), 200_000);
    ChildTakeover replay = planner.plan(List.of(Samples.ike(40, MessageIdSync.MESSAGE_ID_AND_REPLAY), withInbound))
        .childSas().get(0);
    assertEquals(200_000 + 65_536 + 1, replay.inboundReplay().inboundFloor(), "RFC 6311 §5.2");
    assertEquals(64, replay.inboundReplay().window());
    assertFalse(replay.rekeyAtOnce());
    // message ID sync only, or no IKE record for its parent: a fresh window, as the peer will not jump
    assertEquals(0, planner.plan(List.of(Samples.ike(40, MessageIdSync.MESSAGE_ID), withInbound)).childSas().get(0)
        .inboundReplay().inboundFloor());
    assertEquals(0, planner.plan(List.of(withInbound)).childSas().get(0).inboundReplay().inboundFloor());
    // a floor whose doubling passes 2^32 - 1 would spend the peer's SA: rekey at once
    var high = new org.openswanj.cluster.state.ChildSaRecord(c.ref(), c.selectors(), c.algorithms(), c.keys(),
        c.times(), c.outboundSeqHighWater(), 0x8000_0000L);
    assertTrue(planner.plan(List.of(Samples.ike(40, MessageIdSync.MESSAGE_ID_AND_REPLAY), high)).childSas().get(0)
        .rekeyAtOnce());
  }

  @Test
  void exhausted32BitCounterAsksForARekeyButEsnDoesNot() {
    ChildTakeover near = planner.plan(List.of(Samples.child(1, 0xffffffffL - 70_000, false))).childSas().get(0);
    assertTrue(near.rekeyAtOnce());
    assertTrue(near.nextOutboundSeq() <= 0xffffffffL);
    ChildTakeover esn = planner.plan(List.of(Samples.child(1, 0xffffffffL - 70_000, true))).childSas().get(0);
    assertFalse(esn.rekeyAtOnce());
    assertEquals(0xffffffffL - 70_000 + 65_537, esn.nextOutboundSeq());
  }

  @Test
  void rfc6311PeerGetsASyncWithJumpedSendCounterOtherPeersAProbe() {
    IkeTakeover sync = planner.plan(List.of(Samples.ike(40, MessageIdSync.MESSAGE_ID))).ikeSas().get(0);
    assertEquals(IkeResync.RFC6311_SYNC, sync.resync());
    assertEquals(40 + TakeoverPlanner.MESSAGE_ID_JUMP, sync.nextSendRequest());
    assertEquals(7, sync.nextExpectedRequest());
    IkeTakeover probe = planner.plan(List.of(Samples.ike(40, MessageIdSync.UNSUPPORTED))).ikeSas().get(0);
    assertEquals(IkeResync.PROBE, probe.resync());
    assertEquals(40, probe.nextSendRequest());
    assertEquals(TakeoverPlanner.PROBE_WINDOW, probe.probeWindow());
  }

  @Test
  void anIsakmpSaIsResumedWithItsIpsecSasAndItsDpdNumberJumpedWithinPlutosRange() {
    TakeoverPlan plan = planner.plan(List.of(Samples.isakmp(41), Samples.child(1, 1_000, false)));
    assertEquals(0, plan.ikeSas().size());
    IsakmpTakeover t = plan.isakmpSas().get(0);
    assertEquals(41 + TakeoverPlanner.DPD_SEQ_JUMP, t.firstDpdSeq());
    assertEquals(1, plan.childrenOf(t.record().ref().spis()).size(), "the IPsec SA goes with its ISAKMP SA");
    assertEquals(1_000 + 65_536 + 1, plan.childrenOf(t.record().ref().spis()).get(0).nextOutboundSeq());
    assertEquals(0, plan.childSas().get(0).inboundReplay().inboundFloor(), "no RFC 6311 in IKEv1");
    long wrapped = planner.plan(List.of(Samples.isakmp(Integer.MAX_VALUE - 5))).isakmpSas().get(0).firstDpdSeq();
    assertEquals(TakeoverPlanner.DPD_SEQ_JUMP - 5, wrapped);
    assertTrue(wrapped >= 1 && wrapped <= Integer.MAX_VALUE);
  }
}
