package org.openswanj.cluster.takeover;

import java.util.ArrayList;
import java.util.List;
import org.openswanj.cluster.state.ChildSaRecord;
import org.openswanj.cluster.state.IkeSaRecord;
import org.openswanj.cluster.state.IsakmpSaRecord;
import org.openswanj.cluster.state.MessageIdSync;
import org.openswanj.cluster.state.SaRecord;
import org.openswanj.kernel.Replay;

/**
 * Computes a takeover from the warm copy; pure (the engine sends and installs). Outbound ESP sequence numbers
 * start {@code seqMargin} past the last published high-water: the active node publishes a Child SA again
 * before its counter passes the published value (the high-water is a reservation), and the margin covers
 * what it sent while that publish was in flight. RFC 4303 §3.3.3: a sender never reuses a number, so a
 * counter that would pass 2^32 - 1 (2^64 - 1 with ESN, RFC 4304) asks for a rekey at once instead.
 *
 * <p>Inbound, where the peer announced RFC 6311's replay counter synchronisation (§5.2): the new inbound SA refuses
 * every number up to the floor, {@code seqMargin} past the published inbound high-water, and the peer is asked to
 * advance its outbound counters by the floor; the peer's counter, at most the floor before (the high-water is a
 * reservation the active node renews before passing it), is then past it. Without that announcement the window
 * starts fresh: numbers the old node had received would be accepted once more (docs/HA.md).
 */
public final class TakeoverPlanner {
  static final long MAX_SEQ_32 = 0xffffffffL;
  /** IKE message IDs an RFC 6311 peer is told we jumped: requests the old node may have sent unpublished. */
  static final long MESSAGE_ID_JUMP = 16;
  static final int PROBE_WINDOW = 16;
  /**
   * R_U_THERE sequence numbers skipped at an ISAKMP SA's takeover (RFC 3706 §5.5): the record holds the number at
   * publication, and the old node went on counting one per dpddelay (more while the peer did not answer) since.
   * 2^20 covers a probe a second for twelve days, longer than any ikelifetime (at most 24 h, as Openswan's).
   */
  static final long DPD_SEQ_JUMP = 1L << 20;

  private final long seqMargin;

  public TakeoverPlanner(long seqMargin) {
    if (seqMargin < 1) {
      throw new IllegalArgumentException("sequence margin " + seqMargin + " < 1");
    }
    this.seqMargin = seqMargin;
  }

  public TakeoverPlan plan(List<SaRecord> records) {
    List<IkeTakeover> ike = new ArrayList<>();
    List<IsakmpTakeover> isakmp = new ArrayList<>();
    java.util.Set<org.openswanj.cluster.state.IkeSpis> replaySync = new java.util.HashSet<>();
    for (SaRecord r : records) {
      if (r instanceof IsakmpSaRecord v1) {
        isakmp.add(isakmp(v1));
      } else if (r instanceof IkeSaRecord i) {
        ike.add(ike(i));
        if (i.messageIds().sync() == MessageIdSync.MESSAGE_ID_AND_REPLAY) {
          replaySync.add(i.ref().spis());
        }
      }
    }
    List<ChildTakeover> child = new ArrayList<>();
    for (SaRecord r : records) {
      if (r instanceof ChildSaRecord c) {
        child.add(child(c, replaySync.contains(c.ref().parent())));
      }
    }
    return new TakeoverPlan(ike, isakmp, child);
  }

  /** The first R_U_THERE number after the jump, in 1..2^31 - 1 where pluto's DPD counts (wrapping to 1). */
  IsakmpTakeover isakmp(IsakmpSaRecord r) {
    long space = Integer.MAX_VALUE;
    return new IsakmpTakeover(r, (Math.max(0, r.features().dpdSeq() - 1) + DPD_SEQ_JUMP) % space + 1);
  }

  ChildTakeover child(ChildSaRecord c, boolean replaySync) {
    boolean esn = c.algorithms().replay().esn();
    long limit = esn ? Long.MAX_VALUE : MAX_SEQ_32;
    long next = c.outboundSeqHighWater() > limit - seqMargin - 1 ? limit : c.outboundSeqHighWater() + seqMargin + 1;
    long floor = !replaySync ? 0 : c.inboundSeqHighWater() > limit - seqMargin - 1 ? limit
        : c.inboundSeqHighWater() + seqMargin + 1;
    // the peer's counter after its jump may reach twice the floor: past the limit its SA is spent, so rekey now
    boolean rekey = next >= limit - seqMargin || floor > (limit - seqMargin) / 2;
    Replay window = new Replay(c.algorithms().replay().window(), esn, 0, floor);
    return new ChildTakeover(c, next, window, rekey);
  }

  IkeTakeover ike(IkeSaRecord i) {
    var ids = i.messageIds();
    if (ids.sync() == MessageIdSync.UNSUPPORTED) {
      return new IkeTakeover(i, IkeResync.PROBE, ids.nextSendRequest(), ids.nextExpectedRequest(), PROBE_WINDOW);
    }
    // RFC 6311 §4: offer counters at least as high as anything the old node used; the peer takes the max
    long send = Math.min(MAX_SEQ_32, ids.nextSendRequest() + MESSAGE_ID_JUMP);
    return new IkeTakeover(i, IkeResync.RFC6311_SYNC, send, ids.nextExpectedRequest(), 0);
  }
}
