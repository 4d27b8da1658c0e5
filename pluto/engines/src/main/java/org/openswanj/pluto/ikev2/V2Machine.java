package org.openswanj.pluto.ikev2;

import java.net.InetSocketAddress;
import java.util.Optional;
import org.openswanj.pluto.engine.EngineMetrics.Drop;
import org.openswanj.pluto.engine.Outcome;
import org.openswanj.pluto.ike.wire.ExchangeType;
import org.openswanj.pluto.ike.wire.InvalidSyntaxException;
import org.openswanj.pluto.ikev2.V2Transitions.Direction;
import org.openswanj.pluto.ikev2.V2Transitions.Event;
import org.openswanj.pluto.ikev2.V2Transitions.Inbound;
import org.openswanj.pluto.ikev2.V2Transitions.Received;
import org.openswanj.pluto.ikev2.V2Transitions.Shape;
import org.openswanj.pluto.ikev2.V2Transitions.Transition;

/**
 * The IKEv2 engine's transition code, walking {@link V2Transitions}: a peer's message (decrypted by the engine) finds
 * its row, its shape is checked once ({@code MessageRules}, STYLE rule 4) and the row's handler runs; a handler that
 * succeeds (now or on a helper's result) enters its row's to-state here, the only place an IKE or Child SA's state
 * is set, and the story is logged. Event loop only.
 */
final class V2Machine {
  private final Ikev2Engine e;

  V2Machine(Ikev2Engine engine) {
    this.e = engine;
  }

  /** A first IKE_SA_INIT: no SA yet; a refusal leaves none (RFC 7296 §2.21.1, answered unprotected). */
  void initRequest(InetSocketAddress local, InetSocketAddress remote, Ikev2Message m) {
    Inbound in = V2Transitions.inbound(null, Event.IKE_SA_INIT_REQUEST).orElseThrow();
    try {
      in.shape().check(m.payloads());
    } catch (InvalidSyntaxException ex) {
      e.saInit.refuse(local, remote, m.header(), ex);
      return;
    }
    in.handler().orElseThrow().handle(e, new Received(null, m, local, remote));
  }

  /**
   * A peer's request on {@code sa}, decrypted: checked, then {@code accepted} (the engine moves the window and
   * notes the peer alive, only for a well-formed request), then handled. Exchanges with no row in this state are
   * dropped, as they were before the table.
   */
  void request(Received r, Runnable accepted) {
    IkeSa sa = r.sa();
    ExchangeType x = r.message().header().exchange();
    Optional<Event> event = Event.of(x, Direction.REQUEST, MidSync.isSyncRequest(r.message()));
    Optional<Inbound> in = event.flatMap(ev -> V2Transitions.inbound(sa.state, ev));
    Shape shape = in.map(Inbound::shape).orElse(new Shape(x, Direction.REQUEST));
    try {
      shape.check(r.message().payloads());
    } catch (InvalidSyntaxException ex) {
      if (event.orElse(null) == Event.MESSAGE_ID_SYNC_REQUEST) {
        // RFC 6311 §5.1: outside the window there is no answer to cache; a malformed sync is dropped
        e.dropped(Drop.MALFORMED, "\"" + sa.conn.name() + "\" #" + sa.serial + ": " + ex.getMessage() + ", dropped");
        return;
      }
      // RFC 7296 §2.21.2 / §3.10.1: an authenticated request with bad syntax is answered with its error
      String what = "malformed " + x + " request: " + ex.getMessage();
      e.messenger.answer(sa, r.message().header(), () -> {
        throw new InvalidSyntaxException(what);
      });
      return;
    }
    accepted.run();
    if (in.isEmpty()) {
      if (event.isPresent()) {
        SaLog.debug(x + " request in state " + sa.state + " dropped");
      } else {
        e.dropped(Drop.UNEXPECTED, "unexpected " + x + " request dropped");
      }
      return;
    }
    in.get().handler().orElseThrow().handle(e, r);
  }

  /**
   * A response to our outstanding request, decrypted (IKE_SA_INIT's is clear): checked, then {@code accepted},
   * then the row's handler or, where the row names none, the continuation the request left.
   */
  void response(Received r, Runnable accepted) {
    IkeSa sa = r.sa();
    ExchangeType x = r.message().header().exchange();
    Optional<Inbound> in = Event.of(x, Direction.RESPONSE, MidSync.isSyncResponse(sa, r.message()))
        .flatMap(ev -> V2Transitions.inbound(sa.state, ev));
    if (in.isEmpty()) {
      e.dropped(Drop.UNEXPECTED, "\"" + sa.conn.name() + "\" #" + sa.serial + ": unexpected " + x + " response in "
          + sa.stateName() + " dropped");
      return;
    }
    try {
      in.get().shape().check(r.message().payloads());
    } catch (InvalidSyntaxException ex) {
      String what = "malformed " + x + " response: " + ex.getMessage();
      if (x == ExchangeType.IKE_SA_INIT) {
        e.saInit.fail(sa, what); // unprotected (§2.21.1): this keying attempt fails
      } else {
        SaLog.ike(sa, Outcome.LOG_SERIOUS, what); // our request stays outstanding and is retransmitted
      }
      return;
    }
    accepted.run();
    MessageWindow.Outstanding o = e.messenger.answered(sa);
    if (in.get().handler().isPresent()) {
      in.get().handler().get().handle(e, r);
    } else {
      o.handler.onResponse(r.message());
    }
    e.messenger.sendQueued(sa);
  }

  /** {@code sa} takes the to-state of its row for {@code event}, and the story is told with {@code detail}. */
  void enter(IkeSa sa, Event event, String detail) {
    Transition t = row(sa.state, event, sa.serial);
    Ikev2State to = t.to().orElseThrow(() -> new IllegalStateException(event + " is a Child SA's"));
    sa.state = to;
    if (t.story().outcome() != null) {
      SaLog.transition(sa, to, t.story().line(to) + (detail.isEmpty() ? "" : " " + detail),
          t.story().outcome());
    }
  }

  /** The same for a Child SA; a new one takes its IKE SA's state, which must be established. */
  void enter(ChildSa c, Event event, String detail) {
    Transition t = row(c.state, event, c.serial);
    Ikev2State to = t.to().orElse(c.parent.state);
    if (!to.established() && to != Ikev2State.STATE_CHILDSA_DEL) {
      throw new IllegalStateException("Child SA #" + c.serial + " on IKE SA #" + c.parent.serial + " in " + to);
    }
    c.state = to;
    if (t.story().outcome() != null) {
      SaLog.childEstablished(c, to, t.story().line(to) + (detail.isEmpty() ? "" : " " + detail),
          t.story().outcome());
    }
  }

  /** A transition not in the table is a bug: the SA's guard ends that SA. */
  private static Transition row(Ikev2State from, Event event, long serial) {
    return V2Transitions.find(from, event).orElseThrow(() -> new IllegalStateException("no IKEv2 transition for "
        + event + " in " + (from == null ? "a new SA" : from) + " (#" + serial + ")"));
  }
}
