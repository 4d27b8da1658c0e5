package org.openswanj.pluto.ikev2;

import java.net.InetSocketAddress;
import java.util.List;
import org.openswanj.pluto.engine.EngineMetrics.Drop;
import org.openswanj.pluto.engine.Outcome;
import org.openswanj.pluto.ike.wire.ExchangeType;
import org.openswanj.pluto.ike.wire.IkeMessage;
import org.openswanj.pluto.ike.wire.IkeProtocolException;
import org.openswanj.pluto.ike.wire.InvalidSyntaxException;
import org.openswanj.pluto.ike.wire.MessageIdSyncData;
import org.openswanj.pluto.ike.wire.NotifyPayload;
import org.openswanj.pluto.ike.wire.NotifyType;
import org.openswanj.pluto.ike.wire.Payload;
import org.openswanj.pluto.ike.wire.ReplayCounterSyncData;

/**
 * RFC 6311's IKE message ID synchronisation, both sides. A cluster node that took an IKE SA over
 * ({@link Resume}) sends IKEV2_MESSAGE_ID_SYNC in an INFORMATIONAL with message ID zero (§5.1); the peer, any
 * pluto, takes the higher of its own counters and the offered ones and answers with them; both continue from
 * there. Support is announced in IKE_AUTH (§6.1) by every pluto, since any pluto may be a cluster's peer.
 *
 * <p>The IPsec replay counter synchronisation (§5.2) rides in the same request: IPSEC_REPLAY_COUNTER_SYNC asks the
 * peer to advance the outbound ESP sequence counter of every Child SA of the IKE SA by its delta, so that the
 * cluster's new node can refuse, as replays, numbers the old node may already have received. A pluto whose backend
 * can advance a counter in place ({@code KernelFeature.SEQ_ADVANCE}: klips, none) announces
 * IPSEC_REPLAY_COUNTER_SYNC_SUPPORTED beside IKEV2_MESSAGE_ID_SYNC_SUPPORTED and honours the request; netkey's
 * cannot yet (XFRM_MSG_NEWAE is not sent), so a netkey pluto announces message ID sync only.
 */
public final class MidSync {
  /** What a peer announced in IKE_AUTH (§6.1). */
  public enum Support {
    NONE,
    /** IKEV2_MESSAGE_ID_SYNC_SUPPORTED. */
    MESSAGE_ID,
    /** ... and IPSEC_REPLAY_COUNTER_SYNC_SUPPORTED. */
    MESSAGE_ID_AND_REPLAY;

    /** The peer's announcement in its IKE_AUTH message. */
    static Support of(Ikev2Message m) {
      if (m.notify(NotifyType.IKEV2_MESSAGE_ID_SYNC_SUPPORTED).isEmpty()) {
        return NONE;
      }
      return m.notify(NotifyType.IPSEC_REPLAY_COUNTER_SYNC_SUPPORTED).isPresent() ? MESSAGE_ID_AND_REPLAY : MESSAGE_ID;
    }
  }

  private static final String WHAT = "INFORMATIONAL (IKEV2_MESSAGE_ID_SYNC)";

  private final Ikev2Engine e;

  MidSync(Ikev2Engine e) {
    this.e = e;
  }

  /**
   * §6.1: the notify our IKE_AUTH carries; the initiator's always, the responder's only in answer to the
   * initiator's (a responder announces nothing the initiator did not offer).
   */
  static List<Payload> announce(IkeSa sa, Ikev2Message peerRequest, boolean canAdvanceSequence) {
    if (peerRequest != null && peerRequest.notify(NotifyType.IKEV2_MESSAGE_ID_SYNC_SUPPORTED).isEmpty()) {
      return List.of();
    }
    // §6.1: IPSEC_REPLAY_COUNTER_SYNC_SUPPORTED goes with IKEV2_MESSAGE_ID_SYNC_SUPPORTED, never alone, and a
    // responder announces it only when the initiator did
    sa.replaySyncAnnounced = canAdvanceSequence && (peerRequest == null
        || peerRequest.notify(NotifyType.IPSEC_REPLAY_COUNTER_SYNC_SUPPORTED).isPresent());
    NotifyPayload mid = new NotifyPayload(NotifyType.IKEV2_MESSAGE_ID_SYNC_SUPPORTED, new byte[0]);
    return sa.replaySyncAnnounced
        ? List.of(mid, new NotifyPayload(NotifyType.IPSEC_REPLAY_COUNTER_SYNC_SUPPORTED, new byte[0]))
        : List.of(mid);
  }

  /**
   * §5.1: a request with message ID zero is a synchronisation when it is an INFORMATIONAL carrying
   * IKEV2_MESSAGE_ID_SYNC; without it, it is the original responder's first request (RFC 7296 §2.2: each side
   * counts its own requests from zero), handled by the window like any other.
   */
  static boolean isSyncRequest(Ikev2Message m) {
    return m.header().messageId() == 0 && m.header().exchange() == ExchangeType.INFORMATIONAL
        && m.notify(NotifyType.IKEV2_MESSAGE_ID_SYNC).isPresent();
  }

  /** A response is the answer to a synchronisation when that is what we are waiting for. */
  static boolean isSyncResponse(IkeSa sa, Ikev2Message m) {
    MessageWindow.Outstanding o = sa.window.outstanding();
    return m.header().messageId() == 0 && m.header().exchange() == ExchangeType.INFORMATIONAL && o != null
        && o.messageId == 0 && o.what.equals(WHAT);
  }

  /**
   * RFC 6311 §5.1: an INFORMATIONAL with message ID zero carrying IKEV2_MESSAGE_ID_SYNC is a synchronisation,
   * outside the window: it neither moves nor uses it; its row ({@link V2Transitions}) admits it only on an
   * established IKE SA and only with the sync's shape. False: not one (the original responder's first request,
   * or a message that does not open), for the window to judge as any other.
   */
  boolean received(IkeSa sa, InetSocketAddress local, InetSocketAddress remote, IkeMessage outer,
      byte[] bytes) {
    Ikev2Message m;
    try {
      m = Fragments.fragmentNumber(outer) > 0 ? null : e.messenger.open(sa, outer, bytes);
    } catch (IkeProtocolException ex) {
      m = null;
    }
    if (m == null || !MidSync.isSyncRequest(m)) {
      return false;
    }
    e.machine.request(new V2Transitions.Received(sa, m, local, remote), () -> sa.lastInbound = e.loop().now());
    if (!sa.deleting) {
      e.replication().ikeChanged(sa); // both counters may have moved
    }
    return true;
  }

  // ---- the cluster node's side ----

  /**
   * §5.1: offers M1 (our next request) and P1 (the peer's next request as we know it); the peer answers with
   * the counters both continue from. Requests made meanwhile queue behind it.
   */
  void start(IkeSa sa, long m1, long p1) {
    start(sa, m1, p1, 0, false);
  }

  /**
   * The same, with §5.2's IPSEC_REPLAY_COUNTER_SYNC asking the peer to advance its outbound ESP counters by
   * {@code replayDelta} (none when 0); 64 bits wide when {@code esn}.
   */
  void start(IkeSa sa, long m1, long p1, long replayDelta, boolean esn) {
    int nonce = e.random().nextInt();
    MessageIdSyncData offer = new MessageIdSyncData(nonce, m1, p1);
    List<Payload> notifies = replayDelta > 0
        ? List.of(offer.toNotify(), new ReplayCounterSyncData(replayDelta).toNotify(esn)) : List.of(offer.toNotify());
    SaLog.ike(sa, Outcome.COMMENT, "RFC 6311 message ID sync sent: EXPECTED_SEND_REQ_MESSAGE_ID=" + m1
        + " EXPECTED_RECV_REQ_MESSAGE_ID=" + p1 + (replayDelta > 0 ? " IPSEC_REPLAY_COUNTER_SYNC=" + replayDelta : ""));
    e.messenger.requestMessageIdSync(sa, notifies, WHAT, r -> answered(sa, offer, notifies, r));
  }

  private void answered(IkeSa sa, MessageIdSyncData offer, List<Payload> notifies, Ikev2Message r) {
    if (r == null) {
      return; // no answer: the Messenger's retransmission limit has already declared the peer dead
    }
    MessageIdSyncData d;
    try {
      d = MessageIdSyncData.of(r.payloads()); // the shape is checked: present and of 12 octets
    } catch (InvalidSyntaxException ex) {
      throw new IllegalStateException(ex);
    }
    if (d.nonce() != offer.nonce()) {
      // §5.1: the response echoes our nonce; this one answers another sync (an older node's): ours goes again
      e.dropped(Drop.MESSAGE_ID, sa.logPrefix() + ": IKEV2_MESSAGE_ID_SYNC response with a nonce that is not ours, "
          + "dropped; asking again");
      e.messenger.requestMessageIdSync(sa, notifies, WHAT, again -> answered(sa, offer, notifies, again));
      return;
    }
    // the response's counters are the peer's: P2 is its next request, M2 the next it expects of us. §5.1: M2
    // is at least M1 and P2 at least P1; a peer that answers less is not believed below what we offered
    long m2 = Math.max(d.expectedRecv(), offer.expectedSend());
    long p2 = Math.max(d.expectedSend(), offer.expectedRecv());
    sa.window.resume(m2, p2);
    SaLog.ike(sa, Outcome.COMMENT, "RFC 6311 message ID sync done: our next request " + m2
        + ", the peer's next request " + p2);
    e.replication().ikeChanged(sa);
  }

  // ---- the peer's side ----

  /** §5.1: the cluster's IKEV2_MESSAGE_ID_SYNC request (message ID zero, its shape checked), on an established SA. */
  void respond(IkeSa sa, Ikev2Message m) {
    MessageIdSyncData d;
    try {
      d = MessageIdSyncData.of(m.payloads());
    } catch (InvalidSyntaxException ex) {
      throw new IllegalStateException(ex);
    }
    if (sa.syncAnswer != null && sa.syncAnsweredNonce == d.nonce()) {
      e.messenger.resend(sa, sa.syncAnswer); // its retransmission (RFC 7296 §2.1): the same answer
      return;
    }
    if (sa.peerSync == Support.NONE) {
      // §6.1: only a peer that announced support may synchronise
      e.dropped(Drop.UNEXPECTED, sa.logPrefix() + ": IKEV2_MESSAGE_ID_SYNC from a peer that did not announce "
          + "IKEV2_MESSAGE_ID_SYNC_SUPPORTED, dropped");
      return;
    }
    long expected = sa.window.expectedRequestId();
    if (d.expectedSend() < expected) {
      // §5.1: an M1 at or below the highest message ID already seen from the cluster is dropped silently
      e.dropped(Drop.MESSAGE_ID, sa.logPrefix() + ": IKEV2_MESSAGE_ID_SYNC with EXPECTED_SEND_REQ_MESSAGE_ID "
          + d.expectedSend() + " below the next expected " + expected + ", dropped");
      return;
    }
    replayCounterSync(sa, m);
    long next = sa.window.nextRequestId();
    // §5.1: M2 is the higher of M1 and one more than the highest ID received from the cluster; P2 the higher of
    // P1 and one more than the highest ID we sent
    long m2 = Math.max(d.expectedSend(), expected);
    long p2 = Math.max(d.expectedRecv(), next);
    sa.window.resume(p2, m2);
    SaLog.ike(sa, Outcome.COMMENT, "RFC 6311 message ID sync from the peer: our next request " + p2 + " (was "
        + next + "), the peer's next request " + m2 + " (was " + expected + ")");
    sa.syncAnswer = e.messenger.respondMessageIdSync(sa, m.header(),
        List.of(new MessageIdSyncData(d.nonce(), p2, m2).toNotify()));
    sa.syncAnsweredNonce = d.nonce();
  }

  /**
   * §5.2: the request's IPSEC_REPLAY_COUNTER_SYNC, if any (its shape checked with the message's): every installed
   * Child SA of the IKE SA sends on from its counter plus the delta. Once per request: a retransmission gets the
   * cached answer ({@link #respond}) and advances nothing again.
   */
  private void replayCounterSync(IkeSa sa, Ikev2Message m) {
    ReplayCounterSyncData d;
    try {
      d = ReplayCounterSyncData.of(m.payloads()).orElse(null);
    } catch (InvalidSyntaxException ex) {
      throw new IllegalStateException(ex); // the shape check refused it before this
    }
    if (d == null) {
      return;
    }
    if (!sa.replaySyncAnnounced) {
      // §6.1: only what we announced may be asked of us; the message ID sync itself goes on
      e.dropped(Drop.UNEXPECTED, sa.logPrefix() + ": IPSEC_REPLAY_COUNTER_SYNC although we did not announce "
          + "IPSEC_REPLAY_COUNTER_SYNC_SUPPORTED, ignored");
      return;
    }
    int advanced = 0;
    for (ChildSa c : sa.children) {
      if (!c.installed || c.deleting || c.outboundSpi == 0) {
        continue;
      }
      try {
        e.installer().advanceOutbound(sa.local.getAddress(), sa.remote.getAddress(), c.outboundSpi, d.delta());
        c.firstOutboundSeq = c.firstOutboundSeq > Long.MAX_VALUE - d.delta() ? Long.MAX_VALUE
            : c.firstOutboundSeq + d.delta();
        advanced++;
      } catch (org.openswanj.kernel.KernelException ex) {
        SaLog.child(c, Outcome.LOG_SERIOUS, "RFC 6311 replay counter sync: cannot advance outbound SA "
            + String.format("0x%08x", c.outboundSpi) + ": " + ex.getMessage());
      }
    }
    SaLog.ike(sa, Outcome.COMMENT, "RFC 6311 replay counter sync from the peer: outbound ESP sequence numbers of "
        + advanced + " Child SA" + (advanced == 1 ? "" : "s") + " advanced by " + d.delta());
  }
}
