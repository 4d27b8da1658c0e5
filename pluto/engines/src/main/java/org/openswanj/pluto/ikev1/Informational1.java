package org.openswanj.pluto.ikev1;

import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.openswanj.conf.DpdAction;
import org.openswanj.pluto.conn.Connection;
import org.openswanj.pluto.crypto.Ikev1KeyDerivation;
import org.openswanj.pluto.engine.EngineMetrics.Drop;
import org.openswanj.pluto.engine.EngineMetrics;
import org.openswanj.pluto.engine.Outcome;
import org.openswanj.pluto.engine.SaEvent;
import org.openswanj.pluto.ike.wire.ExchangeType;
import org.openswanj.pluto.ike.wire.IkeCodec;
import org.openswanj.pluto.ike.wire.IkeHeader;
import org.openswanj.pluto.ike.wire.IkeMessage;
import org.openswanj.pluto.ike.wire.IkeProtocolException;
import org.openswanj.pluto.ike.wire.NotifyType;
import org.openswanj.pluto.ike.wire.Payload;
import org.openswanj.pluto.ike.wire.ProtocolId;
import org.openswanj.pluto.ike.wire.V1DeletePayload;
import org.openswanj.pluto.ike.wire.V1NotifyPayload;
import org.openswanj.pluto.ike.wire.V1SaPayload;

/**
 * Informational exchanges (RFC 2408 §4.8, RFC 2409 §5.7): Delete of ISAKMP and ESP SAs both ways and
 * notifications, protected with HASH(1) and the phase 2 IV; DPD R-U-THERE answered (RFC 3706 §5); clear
 * notifications for failures before there are keys. Also the removal of SAs from the kernel and the tables.
 */
final class Informational1 {
  private final Ikev1Engine e;

  Informational1(Ikev1Engine engine) {
    this.e = engine;
  }

  // ---- sending ----

  /** An unprotected notification answering a first message (no keys yet), e.g. NO_PROPOSAL_CHOSEN. */
  void notifyClear(InetSocketAddress local, InetSocketAddress remote, IkeHeader h, NotifyType type) {
    IkeHeader out = IkeHeader.v1(h.initiatorSpi(), h.responderSpi(), ExchangeType.INFORMATIONAL_V1, 0, 0);
    V1NotifyPayload n = new V1NotifyPayload(V1SaPayload.DOI_IPSEC, ProtocolId.IKE.wireValue(),
        cookies(h.initiatorSpi(), h.responderSpi()), type.wireValue(), new byte[0]);
    e.transport().send(local, remote, IkeCodec.encode(out, List.of(n)));
  }

  /**
   * The one place an IKEv1 negotiation refusal thrown as its typed error is logged and answered, protected by the
   * ISAKMP SA, with the IKEv1 notify closest to it ({@link IkeProtocolException#notifyTypeV1()}).
   */
  void refuse(IsakmpSa sa, IkeProtocolException ex) {
    NotifyType type = ex.notifyTypeV1();
    V1Log.sa(sa, Outcome.LOG_SERIOUS, ex.getMessage() + ": answering " + type);
    notifyProtected(sa, type, ex.notifyData());
  }

  /** The same before there are keys (Main or Aggressive Mode's first message): in the clear, and no state kept. */
  void refuseClear(InetSocketAddress local, InetSocketAddress remote, IkeHeader h, IkeProtocolException ex) {
    NotifyType type = ex.notifyTypeV1();
    V1Log.global(ex.getMessage() + ": answering " + type);
    e.refusedStateless();
    notifyClear(local, remote, h, type);
  }

  /**
   * A refused Quick Mode: the notify names the exchange by the SPI of the initiator's first proposal (RFC 2408
   * §3.14.1: the SPI of the SA being negotiated), so that the initiator ends that one of its Quick Modes only.
   */
  void refuseQuick(IsakmpSa sa, IkeProtocolException ex, org.openswanj.pluto.ike.wire.V1Proposal offered) {
    if (offered == null || offered.spi().length != 4) {
      refuse(sa, ex);
      return;
    }
    NotifyType type = ex.notifyTypeV1();
    V1Log.sa(sa, Outcome.LOG_SERIOUS, ex.getMessage() + ": answering " + type);
    sendProtected(sa, List.of(new V1NotifyPayload(V1SaPayload.DOI_IPSEC, offered.protocol().wireValue(),
        offered.spi(), type.wireValue(), ex.notifyData())));
  }

  void notifyProtected(IsakmpSa sa, NotifyType type, byte[] data) {
    sendProtected(sa, List.of(new V1NotifyPayload(V1SaPayload.DOI_IPSEC, ProtocolId.IKE.wireValue(),
        cookies(sa.cookieI, sa.cookieR), type.wireValue(), data)));
  }

  /** RFC 2409 §5.7: HDR*, HASH(1), N/D with a fresh message ID and its own phase 2 IV. */
  void sendProtected(IsakmpSa sa, List<Payload> rest) {
    if (sa.keys == null || sa.iv == null) {
      return;
    }
    int mid = e.randomMessageId();
    byte[] a = sa.keys.skeyidA().bytes();
    List<Payload> msg = V1Protect.hashed(t -> Ikev1KeyDerivation.quickHash1(sa.algs.prf(), a, mid, t), rest);
    IkeHeader h = IkeHeader.v1(sa.cookieI, sa.cookieR, ExchangeType.INFORMATIONAL_V1, 0, mid);
    e.transport().send(sa.local, sa.remote, V1Protect.seal(sa, h, msg, V1Protect.phase2Iv(sa, mid)).bytes());
  }

  static byte[] cookies(long i, long r) {
    return ByteBuffer.allocate(16).putLong(i).putLong(r).array();
  }

  // ---- deleting ----

  /** Removes an IPsec SA pair; with {@code tell}, sends a Delete for our inbound SPI first. */
  void deleteQuick(QuickSa q, boolean tell) {
    IsakmpSa sa = q.parent;
    if (tell && q.installed && usable(sa)) {
      sendProtected(sa, List.of(new V1DeletePayload(V1SaPayload.DOI_IPSEC, ProtocolId.ESP.wireValue(), 4,
          List.of(V1Proposals.spiBytes(q.inboundSpi)))));
    }
    q.sender.cancel();
    for (var t : new org.openswanj.pluto.engine.EventLoop.Timer[] {q.replaceTimer, q.expireTimer}) {
      if (t != null) {
        t.cancel();
      }
    }
    if (q.installed) {
      V1Log.quick(q, Outcome.COMMENT, "deleting state (" + q.state + ")");
      uninstall(q);
    } else if (q.inboundInstalled) {
      uninstallInbound(q);
    }
    q.wipeKeys();
    e.forget(q);
    if (q.watcher != null) { // a whack waiting for this Quick Mode gets its answer (what was logged to it)
      q.watcher.close();
      q.watcher = null;
    }
  }

  /** A responder's half SA (QI2 never came): its inbound SA goes; the conn's policies stay with their owner. */
  private void uninstallInbound(QuickSa q) {
    q.inboundInstalled = false;
    IsakmpSa sa = q.parent;
    Connection c = q.conn;
    if (c.erouteOwner() == 0) {
      try {
        e.installer().restorePolicies(c, sa.remote.getAddress(), q.selectors, q.transport,
            QuickKeys.saPeer(q));
      } catch (org.openswanj.kernel.KernelException ex) {
        V1Log.quick(q, Outcome.LOG_SERIOUS, "cannot restore policies: " + ex.getMessage());
      }
    }
    e.installer().deleteInboundSa(sa.local.getAddress(), sa.remote.getAddress(), q.inboundSpi);
  }

  private void uninstall(QuickSa q) {
    q.installed = false;
    IsakmpSa sa = q.parent;
    Connection c = q.conn;
    if (c.erouteOwner() == q.serial) {
      try {
        e.installer().restorePolicies(c, sa.remote.getAddress(), q.selectors, q.transport,
            QuickKeys.saPeer(q));
      } catch (org.openswanj.kernel.KernelException ex) {
        V1Log.quick(q, Outcome.LOG_SERIOUS, "cannot restore policies: " + ex.getMessage());
      }
      c.setErouteOwner(0);
      c.setRouting(c.config().auto() == org.openswanj.conf.AutoAction.ROUTE ? Connection.Routing.PROSPECTIVE
          : Connection.Routing.UNROUTED);
    }
    e.installer().deleteSas(sa.local.getAddress(), sa.remote.getAddress(), q.inboundSpi, q.outboundSpi);
  }

  /**
   * Removes an ISAKMP SA; with {@code tell}, sends a Delete for it first. Installed IPsec SAs stay (Openswan:
   * they live until their own expiry or Delete); Quick Modes still running on it are dropped.
   */
  void deleteIsakmp(IsakmpSa sa, boolean tell) {
    if (sa.deleting) {
      return;
    }
    if (tell && usable(sa)) {
      sendProtected(sa, List.of(new V1DeletePayload(V1SaPayload.DOI_IPSEC, ProtocolId.IKE.wireValue(), 16,
          List.of(cookies(sa.cookieI, sa.cookieR)))));
    }
    sa.deleting = true;
    sa.sender.cancel();
    if (sa.cfg != null) {
      sa.cfg.sender.cancel();
    }
    if (sa.expireTimer != null) {
      sa.expireTimer.cancel();
    }
    if (sa.dpdTimer != null) {
      sa.dpdTimer.cancel();
    }
    if (sa.replaceTimer != null) {
      sa.replaceTimer.cancel();
    }
    for (IsakmpSa.Pending p : sa.pending) {
      if (p.watcher() != null) { // a conn waiting for this phase 1 will not get its Quick Mode on it
        p.watcher().line(Outcome.LOG_SERIOUS, "\"" + p.conn().name() + "\": ISAKMP SA #" + sa.serial
            + " deleted before its Quick Mode");
        p.watcher().close();
      }
    }
    sa.pending.clear();
    for (QuickSa q : List.copyOf(sa.quicks)) {
      if (!q.installed) {
        if (q.watcher != null) {
          q.watcher.close();
        }
        q.sender.cancel();
        if (q.inboundInstalled) {
          uninstallInbound(q);
        }
        e.forget(q);
      }
    }
    if (sa.state != null) {
      V1Log.sa(sa, Outcome.COMMENT, "deleting state (" + sa.state + ")");
    }
    sa.wipe();
    e.forget(sa);
  }

  private boolean usable(IsakmpSa sa) {
    return !sa.deleting && sa.state != null && sa.state.keyed() && e.live(sa);
  }

  /** The ISAKMP SA lives {@code ikelifetime}; its IPsec SAs are rekeyed with a new one when they need it. */
  void scheduleIsakmpLifetime(IsakmpSa sa) {
    Connection c = sa.conn;
    sa.expireTimer = e.guard.schedule(sa, c.config().ikeLifetime(), () -> {
      V1Log.sa(sa, Outcome.COMMENT, "ISAKMP SA expired (ikelifetime)");
      deleteIsakmp(sa, true);
    });
    // the initiator replaces it rekeymargin (plus up to rekeyfuzz) before then, as Openswan does (rekey=yes)
    long fuzz = c.config().rekeyMargin().toMillis() * c.config().rekeyFuzzPercent() / 100;
    Duration margin = c.config().rekeyMargin().plusMillis(fuzz <= 0 ? 0 : (long) (e.random().nextDouble() * fuzz));
    if (sa.initiator && c.config().rekey() && c.config().ikeLifetime().compareTo(margin) > 0) {
      sa.replaceTimer = e.guard.schedule(sa, c.config().ikeLifetime().minus(margin), () -> e.phase1.replace(sa));
    }
  }

  // ---- DPD (RFC 3706) ----

  /**
   * Starts liveness checks when {@code dpddelay} is set and the peer announced DPD (§5.1: both must send the
   * vendor ID): after {@code dpddelay} without anything authenticated from the peer, R_U_THERE; no
   * R_U_THERE_ACK within {@code dpdtimeout} and the peer is declared dead.
   */
  void scheduleDpd(IsakmpSa sa) {
    Duration delay = sa.conn.config().dpdDelay();
    if (delay.isZero() || delay.isNegative()) {
      return;
    }
    if (!sa.peerDpd) {
      V1Log.sa(sa, Outcome.COMMENT, "dpddelay is set but the peer did not announce DPD (RFC 3706); not probing it");
      return;
    }
    // §5.5: the first sequence number is random, later ones count up
    sa.dpdSeq = e.random().nextInt(0x7fffffff) + 1;
    sa.lastInbound = e.loop().now();
    sa.dpdTimer = e.guard.schedule(sa, delay, () -> dpdProbe(sa));
  }

  /**
   * The liveness check after a cluster takeover (docs/HA.md): an R_U_THERE at once, numbered {@code seq}, past
   * every number the old node may have sent (RFC 3706 §5.5: a receiver may drop a number that does not increase;
   * charon answers any and counts only the next expected as liveness). No ACK within dpdtimeout: dpdaction, as for
   * any probe; without dpddelay the one R_U_THERE is all.
   */
  void probeAfterTakeover(IsakmpSa sa, int seq) {
    if (!sa.peerDpd) {
      V1Log.sa(sa, Outcome.COMMENT, "the peer did not announce DPD (RFC 3706): no liveness check after the takeover");
      return;
    }
    if (sa.dpdTimer != null) {
      sa.dpdTimer.cancel();
    }
    V1Log.sa(sa, Outcome.COMMENT, "liveness check after the takeover: R_U_THERE sequence number " + seq);
    sa.takeoverDpdSeq = seq;
    if (sa.conn.config().dpdDelay().isZero() || sa.conn.config().dpdDelay().isNegative()) {
      sa.dpdSeq = seq;
      sa.dpdPending = seq;
      notifyProtected(sa, NotifyType.R_U_THERE, ByteBuffer.allocate(4).putInt(seq).array());
      e.metrics().dpd(EngineMetrics.IkeVersion.IKEV1, EngineMetrics.Dpd.SENT);
      return;
    }
    sa.dpdSeq = seq == 1 ? Integer.MAX_VALUE : seq - 1; // dpdProbe counts on to seq
    sa.lastInbound = null; // nothing heard from the peer by this node yet: probe now
    dpdProbe(sa);
  }

  private void dpdProbe(IsakmpSa sa) {
    if (!usable(sa)) {
      return;
    }
    Duration delay = sa.conn.config().dpdDelay();
    Instant now = e.loop().now();
    if (sa.lastInbound != null && sa.lastInbound.plus(delay).isAfter(now)) {
      sa.dpdTimer = e.guard.schedule(sa, Duration.between(now, sa.lastInbound.plus(delay)), () -> dpdProbe(sa));
      return;
    }
    sa.dpdSeq = sa.dpdSeq == Integer.MAX_VALUE ? 1 : sa.dpdSeq + 1;
    sa.dpdPending = sa.dpdSeq;
    notifyProtected(sa, NotifyType.R_U_THERE, ByteBuffer.allocate(4).putInt(sa.dpdSeq).array());
    e.metrics().dpd(EngineMetrics.IkeVersion.IKEV1, EngineMetrics.Dpd.SENT);
    Instant sent = now;
    sa.dpdTimer = e.guard.schedule(sa, sa.conn.config().dpdTimeout(), () -> {
      if (!usable(sa)) {
        return;
      }
      if (sa.lastInbound == null || sa.lastInbound.isBefore(sent)) {
        peerDead(sa);
      } else {
        sa.dpdTimer = e.guard.schedule(sa, delay, () -> dpdProbe(sa));
      }
    });
    // until the timeout, keep asking every dpddelay as Openswan does (a lost R_U_THERE is not death)
    if (delay.compareTo(sa.conn.config().dpdTimeout()) < 0) {
      e.guard.schedule(sa, delay, () -> {
        if (usable(sa) && sa.dpdPending != 0 && (sa.lastInbound == null || sa.lastInbound.isBefore(sent))) {
          sa.dpdSeq++;
          sa.dpdPending = sa.dpdSeq;
          notifyProtected(sa, NotifyType.R_U_THERE, ByteBuffer.allocate(4).putInt(sa.dpdSeq).array());
          e.metrics().dpd(EngineMetrics.IkeVersion.IKEV1, EngineMetrics.Dpd.SENT);
        }
      });
    }
  }

  /** dpdaction: every SA with the peer goes; then the conn's policies are cleared, put on %trap, or re-keyed. */
  private void peerDead(IsakmpSa sa) {
    Connection c = sa.conn;
    DpdAction action = c.config().dpdAction();
    e.metrics().dpd(EngineMetrics.IkeVersion.IKEV1, EngineMetrics.Dpd.TIMEOUT);
    V1Log.sa(sa, Outcome.LOG_SERIOUS, "DPD: No response from peer - declaring peer dead (dpdaction="
        + action.name().toLowerCase(java.util.Locale.ROOT) + ")");
    // the conns sharing this ISAKMP SA (leftsubnets='s instances) lost the same peer: each gets its dpdaction
    java.util.Set<Connection> dead = new java.util.LinkedHashSet<>(List.of(c));
    for (QuickSa q : e.ipsecSas()) {
      if (q.parent == sa || q.conn == c) {
        dead.add(q.conn);
        deleteQuick(q, false);
      }
    }
    for (IsakmpSa other : e.isakmpSas()) {
      if (other.conn == c) {
        deleteIsakmp(other, false);
      }
    }
    for (Connection d : dead) {
      switch (d.config().dpdAction()) {
        case CLEAR -> e.installer().unroute(d);
        case HOLD -> {
          try {
            e.installer().route(d);
          } catch (org.openswanj.kernel.KernelException ex) {
            V1Log.sa(sa, Outcome.LOG_SERIOUS, "\"" + d.name() + "\": cannot put %trap back: " + ex.getMessage());
          }
        }
        case RESTART -> e.initiate(d, null); // the first opens a phase 1, the others wait for it
      }
    }
  }


  // ---- receiving ----

  void onMessage(InetSocketAddress local, InetSocketAddress remote, IkeHeader h, IkeMessage outer, byte[] bytes) {
    if (!h.encrypted()) {
      onClear(remote, h, outer);
      return;
    }
    IsakmpSa sa = e.find(h.initiatorSpi(), h.responderSpi());
    if (sa == null || !usable(sa)) {
      e.dropped(Drop.UNKNOWN_SA, "protected Informational " + h + " from " + remote + " for no usable ISAKMP SA dropped");
      return;
    }
    e.guard.run(sa, SaEvent.DATAGRAM, () -> {
      try {
        e.machine.run(e, V1Transitions.keeping(sa.state, ExchangeType.INFORMATIONAL_V1).orElseThrow(),
            new V1Transitions.Packet(sa, null, h, null, bytes, new InetSocketAddress[] {local, remote}));
      } catch (IkeProtocolException ex) {
        V1Log.sa(sa, Outcome.LOG_SERIOUS, "dropping Informational message: " + ex.getMessage());
      }
    });
  }

  /** The opener of a protected Informational: decrypted with its message ID's IV, HASH(1) checked. */
  V1Protect.Opened openProtected(V1Transitions.Packet in) throws IkeProtocolException {
    IsakmpSa sa = in.sa();
    byte[] a = sa.keys.skeyidA().bytes();
    int mid = in.header().messageId();
    return QuickMode.openHashed(sa, in.header(), in.bytes(), V1Protect.phase2Iv(sa, mid), "Informational HASH(1)",
        t -> Ikev1KeyDerivation.quickHash1(sa.algs.prf(), a, mid, t));
  }

  void onProtected(V1Transitions.Packet in, V1Protect.Opened o) {
    IsakmpSa sa = in.sa();
    List<Payload> ps = o.payloads();
    sa.lastInbound = e.loop().now(); // authenticated: the peer is alive
    for (Payload p : ps) {
      if (p instanceof V1DeletePayload d) {
        onDelete(sa, d);
      } else if (p instanceof V1NotifyPayload n) {
        onNotify(sa, n);
      }
    }
  }

  private void onDelete(IsakmpSa sa, V1DeletePayload d) {
    if (d.protocolId() == ProtocolId.IKE.wireValue()) {
      for (byte[] spi : d.spis()) {
        if (java.util.Arrays.equals(spi, cookies(sa.cookieI, sa.cookieR)) && !sa.deleting) {
          V1Log.sa(sa, Outcome.COMMENT, "received Delete SA payload: deleting ISAKMP State #" + sa.serial);
          deleteIsakmp(sa, false);
        }
      }
      return;
    }
    if (d.protocolId() != ProtocolId.ESP.wireValue()) {
      V1Log.sa(sa, Outcome.COMMENT, "ignoring Delete SA payload for protocol " + d.protocolId());
      return;
    }
    for (byte[] spi : d.spis()) {
      int s = V1Proposals.spiInt(spi);
      for (QuickSa q : e.ipsecSas()) {
        if (q.outboundSpi == s && q.installed && q.parent.remote.getAddress().equals(sa.remote.getAddress())) {
          V1Log.sa(sa, Outcome.COMMENT, String.format("received Delete SA(0x%08x) payload: deleting IPSEC State #%d", s,
              q.serial));
          deleteQuick(q, false);
        }
      }
    }
  }

  private void onNotify(IsakmpSa sa, V1NotifyPayload n) {
    if (n.type() == NotifyType.R_U_THERE) {
      // RFC 3706 §5: answer with the same SPI and sequence number
      sendProtected(sa, List.of(new V1NotifyPayload(V1SaPayload.DOI_IPSEC, n.protocolId(), n.spi(),
          NotifyType.R_U_THERE_ACK.wireValue(), n.data())));
    } else if (n.notifyType() < 16384) {
      // an error about our Quick Mode (RFC 2408 §3.14.1): end the exchange it names by our proposal's SPI (as
      // pluto answers), else every one still waiting for QR1 (several run at once with leftsubnets=)
      V1Log.sa(sa, Outcome.LOG_SERIOUS, "received informational message " + n.type());
      boolean named = n.spi().length == 4 && (n.protocolId() == ProtocolId.ESP.wireValue()
          || n.protocolId() == ProtocolId.AH.wireValue());
      for (QuickSa q : List.copyOf(sa.quicks)) {
        if (q.initiator && q.state == Ikev1State.STATE_QUICK_I1
            && (!named || q.inboundSpi == V1Proposals.spiInt(n.spi()))) {
          V1Log.quick(q, Outcome.LOG_SERIOUS, "STATE_QUICK_I1: the peer refused our Quick Mode with " + n.type());
          boolean own = q.watcher == null;
          deleteQuick(q, false);
          if (own && sa.watcher != null) {
            sa.watcher.close();
            sa.watcher = null;
          }
        }
      }
    } else if (n.type() == NotifyType.R_U_THERE_ACK) {
      // §5.5: an ACK must echo a sequence number we sent; an old or forged one proves nothing
      int seq = n.data().length == 4 ? ByteBuffer.wrap(n.data()).getInt() : 0;
      if (seq != 0 && seq == sa.dpdPending) {
        sa.dpdPending = 0;
        if (seq == sa.takeoverDpdSeq) {
          sa.takeoverDpdSeq = 0;
          V1Log.sa(sa, Outcome.COMMENT, "R_U_THERE_ACK " + Integer.toUnsignedString(seq) + ": the peer answered the "
              + "liveness check after the takeover");
        }
        if (sa.dpdTimer != null) {
          sa.dpdTimer.cancel();
        }
        Duration delay = sa.conn.config().dpdDelay();
        if (!delay.isZero() && !delay.isNegative()) { // without dpddelay only a takeover's check was sent
          sa.dpdTimer = e.guard.schedule(sa, delay, () -> dpdProbe(sa));
        }
      } else {
        e.dropped(Drop.MESSAGE_ID, "\"" + sa.conn.name() + "\" #" + sa.serial + ": R_U_THERE_ACK with sequence number " + seq
            + " we are not waiting for; ignored");
      }
    } else {
      V1Log.sa(sa, Outcome.COMMENT, "received and ignored informational message " + n.type());
    }
  }

  /** Notifications in clear can be forged; they only end our own first attempt that the peer refused. */
  private void onClear(InetSocketAddress remote, IkeHeader h, IkeMessage outer) {
    for (Payload p : outer.payloads()) {
      if (!(p instanceof V1NotifyPayload n)) {
        continue;
      }
      IsakmpSa sa = e.find(h.initiatorSpi(), 0);
      V1Log.global("received unprotected informational " + n.type() + " from " + remote.getAddress().getHostAddress());
      if (sa != null && sa.initiator && n.notifyType() < 16384 && (sa.state == Ikev1State.STATE_MAIN_I1
          || sa.state == Ikev1State.STATE_AGGR_I1) && sa.remote.getAddress().equals(remote.getAddress())) {
        // RFC 2408 §3.14.1: NO-PROPOSAL-CHOSEN 14, INVALID-ID-INFORMATION 18, AUTHENTICATION-FAILED 24
        sa.failure = switch (n.notifyType()) {
          case 14 -> EngineMetrics.Failure.NO_PROPOSAL;
          case 18, 24 -> EngineMetrics.Failure.AUTH_FAILED;
          default -> EngineMetrics.Failure.OTHER;
        };
        e.phase1.fail(sa, sa.state + ": the peer answered " + n.type() + "; giving up");
      }
    }
  }
}
