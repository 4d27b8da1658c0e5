package org.openswanj.pluto.ikev2;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.openswanj.kernel.KernelException;
import org.openswanj.pluto.conn.Connection;
import org.openswanj.pluto.engine.Outcome;
import org.openswanj.pluto.ike.wire.DeletePayload;
import org.openswanj.pluto.ike.wire.ExchangeType;
import org.openswanj.pluto.ike.wire.IkeHeader;
import org.openswanj.pluto.ike.wire.Payload;
import org.openswanj.pluto.ike.wire.ProtocolId;

/** INFORMATIONAL (RFC 7296 §1.4, §1.5): deletes both ways, liveness checks (§2.4, Openswan's DPD), lifetimes. */
final class Informational {
  private final Ikev2Engine e;

  Informational(Ikev2Engine engine) {
    this.e = engine;
  }

  // ---- deleting ----

  /** Deletes the IKE SA and its Child SAs; with {@code notify}, tells the peer once (no wait, as Openswan). */
  void deleteIke(IkeSa sa, boolean notify) {
    if (sa.deleting) {
      return;
    }
    if (notify && sa.sendCipher != null && (sa.state.established() || sa.state == Ikev2State.STATE_PARENT_I2)) {
      SaLog.ike(sa, Outcome.COMMENT, "deleting state (" + sa.state.name() + ") and sending notification");
      sendOnce(sa, List.of(new DeletePayload(ProtocolId.IKE.wireValue(), 0, List.of())));
    } else {
      SaLog.ike(sa, Outcome.COMMENT, "deleting state (" + sa.state.name() + ")");
    }
    discard(sa);
  }

  /** Removes the IKE SA and its children here, silently. */
  void discard(IkeSa sa) {
    sa.deleting = true;
    e.messenger.abandon(sa);
    if (sa.replaceTimer != null) {
      sa.replaceTimer.cancel();
    }
    if (sa.dpdTimer != null) {
      sa.dpdTimer.cancel();
    }
    for (ChildSa c : new ArrayList<>(sa.children)) {
      removeChild(c);
    }
    if (sa.pendingChild != null) {
      sa.pendingChild = null;
    }
    for (IkeSa.Pending p : sa.pending) {
      if (p.watcher() != null && !p.watcher().closed()) {
        p.watcher().line(Outcome.LOG_SERIOUS, "\"" + p.conn().name() + "\": IKE SA #" + sa.serial
            + " it waited for is gone (" + sa.stateName() + ")");
        p.watcher().close();
      }
    }
    sa.pending.clear();
    e.machine.enter(sa, V2Transitions.Event.DELETED, "");
    if (sa.keys != null) {
      sa.keys.wipe(); // STYLE rule 9: key material is wiped when the SA dies
    }
    if (sa.sendCipher != null) {
      sa.sendCipher.wipe();
      sa.recvCipher.wipe();
    }
    e.forget(sa);
    e.initialContact.ended(sa);
    if (sa.conn.newestIkeSa() == sa.serial) {
      sa.conn.setNewestIkeSa(0);
    }
  }

  private void removeChild(ChildSa c) {
    if (c.replaceTimer != null) {
      c.replaceTimer.cancel();
    }
    for (ChildSa x : new ArrayList<>(c.parent.children)) {
      if (x.deferredOutbound != null && x.replacedSerial == c.serial) {
        e.children.completeOutbound(x); // the replacement takes over before the old SAs go
      }
    }
    e.children.uninstall(c, false);
    e.machine.enter(c, V2Transitions.Event.CHILD_DELETED, "");
    c.parent.children.remove(c);
    e.forget(c);
  }

  /** Deletes a Child SA, telling the peer (RFC 7296 §1.4.1: our inbound SPI in the Delete payload). */
  void deleteChild(ChildSa c, boolean notify) {
    IkeSa sa = c.parent;
    if (c.state == Ikev2State.STATE_CHILDSA_DEL) {
      return;
    }
    if (!notify || sa.deleting || !sa.state.established()) {
      removeChild(c);
      return;
    }
    c.deleting = true;
    SaLog.child(c, Outcome.COMMENT, String.format("deleting IPsec SA (ESP 0x%08x) and sending notification", c.inboundSpi));
    e.messenger.request(sa, ExchangeType.INFORMATIONAL,
        List.of(new DeletePayload(ProtocolId.ESP.wireValue(), 4, List.of(Children.spiBytes(c.inboundSpi)))),
        "INFORMATIONAL (delete IPsec SA)", r -> removeChild(c));
  }

  void sendDeleteChildSpi(IkeSa sa, int spi) {
    e.messenger.request(sa, ExchangeType.INFORMATIONAL,
        List.of(new DeletePayload(ProtocolId.ESP.wireValue(), 4, List.of(Children.spiBytes(spi)))),
        "INFORMATIONAL (delete unused IPsec SA)", r -> { });
  }

  /** One unretransmitted request (a last word before we drop the SA). */
  private void sendOnce(IkeSa sa, List<Payload> payloads) {
    IkeHeader h = IkeHeader.v2(sa.spiI, sa.spiR, ExchangeType.INFORMATIONAL, sa.originalInitiator, false,
        sa.window.takeRequestId());
    e.messenger.sendOnce(sa, h, payloads, "INFORMATIONAL request");
  }

  // ---- responder ----

  void respond(IkeSa sa, Ikev2Message m) {
    List<DeletePayload> deletes = m.all(DeletePayload.class);
    boolean deleteIke = deletes.stream().anyMatch(d -> d.protocolId() == ProtocolId.IKE.wireValue());
    if (deleteIke) {
      // RFC 7296 §1.4.1: answer with an empty INFORMATIONAL, then the IKE SA and its children are gone
      e.messenger.respond(sa, m.header(), List.of());
      SaLog.ike(sa, Outcome.COMMENT, "received Delete SA payload: deleting IKE SA (" + sa.state.name() + ")");
      discard(sa);
      return;
    }
    List<byte[]> ours = new ArrayList<>();
    for (DeletePayload d : deletes) {
      if (d.protocolId() != ProtocolId.ESP.wireValue() && d.protocolId() != ProtocolId.AH.wireValue()) {
        continue;
      }
      for (byte[] spi : d.spis()) {
        int peerInbound = Children.spiInt(spi);
        for (ChildSa c : new ArrayList<>(sa.children)) {
          if (c.outboundSpi == peerInbound) {
            ours.add(Children.spiBytes(c.inboundSpi));
            SaLog.child(c, Outcome.COMMENT, String.format("received Delete SA payload: deleting IPsec SA (ESP 0x%08x)",
                c.inboundSpi));
            removeChild(c);
          }
        }
      }
    }
    List<Payload> answer = ours.isEmpty() ? List.of()
        : List.of(new DeletePayload(ProtocolId.ESP.wireValue(), 4, ours));
    e.messenger.respond(sa, m.header(), answer); // empty answer = liveness reply (§1.4)
  }

  // ---- timers ----

  /** EVENT_SA_REPLACE before ikelifetime (the original initiator rekeys), else EVENT_SA_EXPIRE at it. */
  void scheduleIkeLifetime(IkeSa sa) {
    Connection c = sa.conn;
    Duration life = c.config().ikeLifetime();
    if (sa.replaceTimer != null) {
      sa.replaceTimer.cancel();
    }
    if (c.config().rekey() && sa.originalInitiator) {
      Duration at = life.minus(Children.fuzzedMargin(c, e.random()));
      sa.replaceTimer = e.guard.schedule(sa, at.isNegative() ? Duration.ZERO : at, () -> e.createChild.rekeyIke(sa));
    } else {
      sa.replaceTimer = e.guard.schedule(sa, life, () -> {
        SaLog.ike(sa, Outcome.COMMENT, "IKE SA expired (ikelifetime)");
        deleteIke(sa, true);
      });
    }
  }

  void scheduleChildLifetime(ChildSa child) {
    Connection c = child.conn;
    Duration life = c.config().saLifetime();
    // the IKE SA's initiator rekeys its Child SAs, and we those we made on the peer's IKE SA (CREATE_CHILD_SA)
    if (c.config().rekey() && (child.parent.originalInitiator || child.createdByUs)) {
      Duration at = life.minus(Children.fuzzedMargin(c, e.random()));
      child.replaceTimer = e.guard.schedule(child.parent, at.isNegative() ? Duration.ZERO : at, () -> e.createChild.rekeyChild(child));
    } else {
      child.replaceTimer = e.guard.schedule(child.parent, life, () -> {
        SaLog.child(child, Outcome.COMMENT, "IPsec SA expired (salifetime)");
        deleteChild(child, true);
      });
    }
  }

  /** Liveness (RFC 7296 §2.4) every dpddelay when the peer has been quiet; dpdaction when it stays silent. */
  void scheduleDpd(IkeSa sa) {
    Duration delay = sa.conn.config().dpdDelay();
    if (delay.isZero() || delay.isNegative()) {
      return;
    }
    sa.dpdTimer = e.guard.schedule(sa, delay, () -> dpdProbe(sa));
  }

  private void dpdProbe(IkeSa sa) {
    if (sa.deleting || !sa.state.established()) {
      return;
    }
    Duration delay = sa.conn.config().dpdDelay();
    Instant probeAt = e.loop().now();
    if (sa.lastInbound != null && sa.lastInbound.plus(delay).isAfter(probeAt)) {
      sa.dpdTimer = e.guard.schedule(sa, delay, () -> dpdProbe(sa));
      return;
    }
    e.messenger.request(sa, ExchangeType.INFORMATIONAL, List.of(), "INFORMATIONAL (liveness)", r -> { });
    e.metrics().dpd(org.openswanj.pluto.engine.EngineMetrics.IkeVersion.IKEV2, org.openswanj.pluto.engine.EngineMetrics.Dpd.SENT);
    sa.dpdTimer = e.guard.schedule(sa, sa.conn.config().dpdTimeout(), () -> {
      if (sa.deleting) {
        return;
      }
      if (sa.lastInbound == null || sa.lastInbound.isBefore(probeAt)) {
        peerDead(sa);
      } else {
        sa.dpdTimer = e.guard.schedule(sa, delay, () -> dpdProbe(sa));
      }
    });
  }

  /**
   * A request on an established IKE SA went unanswered through every retransmission: RFC 7296 §2.4 lets us conclude
   * that the peer has failed, so the IKE SA and its Child SAs go. With DPD configured its dpdaction follows;
   * otherwise, as after an Openswan rekey that ran out of tries, an {@code auto=start} conn is negotiated afresh
   * (keyingtries apply) and a routed one keeps its %trap.
   */
  void unanswered(IkeSa sa, String what) {
    if (!sa.conn.config().dpdDelay().isZero() && !sa.conn.config().dpdDelay().isNegative()) {
      peerDead(sa);
      return;
    }
    SaLog.ike(sa, Outcome.LOG_SERIOUS, "no answer to " + what + " - deleting the IKE SA and its IPsec SAs");
    java.util.Set<Connection> conns = conns(sa);
    discard(sa);
    conns.stream().filter(c -> c.config().auto() == org.openswanj.conf.AutoAction.START).forEach(c -> e.initiate(c, null));
  }

  private void peerDead(IkeSa sa) {
    e.metrics().dpd(org.openswanj.pluto.engine.EngineMetrics.IkeVersion.IKEV2, org.openswanj.pluto.engine.EngineMetrics.Dpd.TIMEOUT);
    SaLog.ike(sa, Outcome.LOG_SERIOUS, "DPD: No response from peer - declaring peer dead (dpdaction="
        + sa.conn.config().dpdAction().name().toLowerCase(java.util.Locale.ROOT) + ")");
    // every conn that had a Child SA on it takes its own dpdaction, the IKE SA's conn first (Openswan 2.6's
    // dpd_timeout runs for each state of the peer)
    java.util.Set<Connection> conns = conns(sa);
    discard(sa);
    conns.forEach(this::dpdAction);
  }

  /** The IKE SA's conn and those of its Child SAs, the IKE SA's first. */
  private static java.util.Set<Connection> conns(IkeSa sa) {
    java.util.Set<Connection> conns = new java.util.LinkedHashSet<>();
    conns.add(sa.conn);
    sa.children.forEach(ch -> conns.add(ch.conn));
    return conns;
  }

  private void dpdAction(Connection c) {
    switch (c.config().dpdAction()) {
      case CLEAR -> {
        try {
          e.children.unroute(c);
        } catch (KernelException ex) {
          SaLog.conn(c.name(), "cannot clear policies: " + ex.getMessage());
        }
      }
      case HOLD -> {
        try {
          e.children.route(c);
        } catch (KernelException ex) {
          SaLog.conn(c.name(), "cannot put %trap back: " + ex.getMessage());
        }
      }
      case RESTART -> e.initiate(c, null);
    }
  }
}
