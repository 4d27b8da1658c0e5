package org.openswanj.pluto.ikev1;

import org.openswanj.pluto.ike.wire.IkeProtocolException;
import org.openswanj.pluto.ike.wire.InvalidSyntaxException;
import org.openswanj.pluto.ike.wire.MessageRules;
import org.openswanj.pluto.ikev1.V1Transitions.Event;
import org.openswanj.pluto.ikev1.V1Transitions.Packet;
import org.openswanj.pluto.ikev1.V1Transitions.Transition;

/**
 * The IKEv1 engine's transition code, walking {@link V1Transitions}: a peer's message is opened, its shape
 * checked once ({@code MessageRules}, STYLE rule 4) and its row's processor run; a processor that succeeds (now
 * or on a helper's result) enters its row's to-state here, the only place an IKEv1 state is set, and the state's
 * story is logged. A processor that fails logs why and leaves the state as it was. Event loop only.
 */
final class V1Machine {
  /** Runs a peer's message through its row; a malformed one is thrown for the caller to log in its words. */
  void run(Ikev1Engine e, Transition t, Packet p) throws IkeProtocolException {
    run(e, t.inbound().orElseThrow(() -> new IllegalStateException(t.event() + " is ours")), p);
  }

  /** The same for an exchange that keeps the state (Informational, Transaction). */
  void run(Ikev1Engine e, V1Transitions.Keeping k, Packet p) throws IkeProtocolException {
    run(e, k.inbound(), p);
  }

  private static void run(Ikev1Engine e, V1Transitions.Inbound in, Packet p) throws IkeProtocolException {
    V1Protect.Opened o = in.opener().open(e, p);
    if (o == null) {
      return; // dropped and logged by the opener (a message that does not decrypt)
    }
    if (p.endpoints() != null && p.sa() != null && p.header().encrypted() && p.sa().state != null
        && p.sa().state.isakmpEstablished()) {
      e.floatPeer(p.sa(), p.local(), p.remote()); // decrypted and its HASH checked: authenticated
    }
    MessageRules.checkV1(in.shape(), o.payloads());
    in.processor().process(e, p, o);
  }

  /** Opener of a message sent in the clear (RFC 2409 §5: phase 1 before the keys). */
  static V1Protect.Opened plain(Ikev1Engine e, Packet p) throws InvalidSyntaxException {
    if (p.header().encrypted()) {
      throw new InvalidSyntaxException("this message must not be encrypted (RFC 2409 §5)");
    }
    return new V1Protect.Opened(p.outer().payloads(), null, p.sa() == null ? null : p.sa().iv);
  }

  /** {@code sa} takes the to-state of its row for {@code event}, and the story is logged with {@code detail}. */
  void enter(IsakmpSa sa, Event event, String detail) {
    Transition t = row(sa.state, event, sa.serial);
    Ikev1State to = t.to().orElseGet(() -> sa.cfg.established);
    sa.state = to;
    V1Log.transition(sa, to, detail, t.outcome());
  }

  /** The same for an IPsec SA. */
  void enter(QuickSa q, Event event, String detail) {
    Transition t = row(q.state, event, q.serial);
    Ikev1State to = t.to().orElseThrow();
    q.state = to;
    V1Log.transition(q, to, detail, t.outcome());
  }

  /** A transition not in the table is a bug: the SA's guard ends that SA. */
  private static Transition row(Ikev1State from, Event event, long serial) {
    return V1Transitions.find(from, event).orElseThrow(() -> new IllegalStateException("no IKEv1 transition for "
        + event + " in " + (from == null ? "a new SA" : from) + " (#" + serial + ")"));
  }
}
