package org.openswanj.pluto.ikev2;

import static org.openswanj.pluto.ikev2.Ikev2State.STATE_CHILDSA_DEL;
import static org.openswanj.pluto.ikev2.Ikev2State.STATE_IKESA_DEL;
import static org.openswanj.pluto.ikev2.Ikev2State.STATE_PARENT_I1;
import static org.openswanj.pluto.ikev2.Ikev2State.STATE_PARENT_I2;
import static org.openswanj.pluto.ikev2.Ikev2State.STATE_PARENT_I3;
import static org.openswanj.pluto.ikev2.Ikev2State.STATE_PARENT_R1;
import static org.openswanj.pluto.ikev2.Ikev2State.STATE_PARENT_R2;

import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.openswanj.pluto.engine.Outcome;
import org.openswanj.pluto.ike.wire.ExchangeType;
import org.openswanj.pluto.ike.wire.InvalidSyntaxException;
import org.openswanj.pluto.ike.wire.MessageRules;
import org.openswanj.pluto.ike.wire.Payload;

/**
 * IKEv2's state transitions as data, as Libreswan's v2 state_microcode: from state(s), the peer's message (exchange,
 * request or response; the role is the from-state's, I for the original initiator, R for the responder) or our own
 * event, the shape the message must have ({@code MessageRules}, checked once by {@link V2Machine} before the handler
 * runs), the handler, the state it leads to and how its story is told. "What happens when the IKE_AUTH response
 * arrives in STATE_PARENT_I2" is one row. Handlers may finish on a helper's result (DH, keys, a certificate check);
 * they end with {@link V2Machine#enter}, which takes the row's to-state and logs its story.
 */
final class V2Transitions {
  /** A message of the peer's is a request or a response (RFC 7296 §3.1, the R flag). */
  enum Direction { REQUEST, RESPONSE }

  /**
   * The payloads a message must carry: {@code MessageRules}' table for its exchange and direction; with
   * {@code messageIdSync}, RFC 6311's synchronisation (§5.1), an INFORMATIONAL with message ID zero.
   */
  record Shape(ExchangeType exchange, Direction direction, boolean messageIdSync) {
    Shape(ExchangeType exchange, Direction direction) {
      this(exchange, direction, false);
    }

    void check(List<Payload> payloads) throws InvalidSyntaxException {
      if (messageIdSync) {
        MessageRules.checkMessageIdSync(direction == Direction.RESPONSE, payloads);
      } else {
        MessageRules.check(exchange, direction == Direction.RESPONSE, payloads);
      }
    }
  }

  /** The peer's message or our own event: the second column of the table. */
  enum Event {
    /** {@code ipsec auto --up}: an IKE SA of ours, shown as STATE_PARENT_I1 while the helper makes its DH key. */
    INITIATE,
    /** Our IKE_SA_INIT request went (again after a COOKIE or INVALID_KE_PAYLOAD, RFC 7296 §2.6, §1.3). */
    IKE_SA_INIT_SENT,
    /** Our IKE_SA_INIT answer went. */
    IKE_SA_INIT_ANSWERED,
    IKE_SA_INIT_REQUEST(ExchangeType.IKE_SA_INIT, Direction.REQUEST),
    IKE_SA_INIT_RESPONSE(ExchangeType.IKE_SA_INIT, Direction.RESPONSE),
    IKE_AUTH_REQUEST(ExchangeType.IKE_AUTH, Direction.REQUEST),
    IKE_AUTH_RESPONSE(ExchangeType.IKE_AUTH, Direction.RESPONSE),
    CREATE_CHILD_SA_REQUEST(ExchangeType.CREATE_CHILD_SA, Direction.REQUEST),
    CREATE_CHILD_SA_RESPONSE(ExchangeType.CREATE_CHILD_SA, Direction.RESPONSE),
    INFORMATIONAL_REQUEST(ExchangeType.INFORMATIONAL, Direction.REQUEST),
    INFORMATIONAL_RESPONSE(ExchangeType.INFORMATIONAL, Direction.RESPONSE),
    /** RFC 6311 §5.1: IKEV2_MESSAGE_ID_SYNC, an INFORMATIONAL with message ID zero on an established IKE SA. */
    MESSAGE_ID_SYNC_REQUEST(new Shape(ExchangeType.INFORMATIONAL, Direction.REQUEST, true)),
    MESSAGE_ID_SYNC_RESPONSE(new Shape(ExchangeType.INFORMATIONAL, Direction.RESPONSE, true)),
    /** The new IKE SA of an IKE SA rekey (RFC 7296 §1.3.2, §2.18) whose CREATE_CHILD_SA we sent / answered. */
    REKEYED_AS_INITIATOR, REKEYED_AS_RESPONDER,
    /** An IKE SA another cluster node negotiated, continued here (docs/HA.md), in the role it had there. */
    TAKEN_OVER_AS_INITIATOR, TAKEN_OVER_AS_RESPONDER,
    /** The IKE SA leaves the tables (deleted, expired, refused, replaced); nothing is logged here. */
    DELETED,
    /** A Child SA is installed (IKE_AUTH, CREATE_CHILD_SA) / taken over from another cluster node. */
    CHILD_ESTABLISHED, CHILD_TAKEN_OVER,
    CHILD_DELETED;

    private final Shape message;

    Event() {
      this(null, null);
    }

    Event(ExchangeType exchange, Direction direction) {
      this(exchange == null ? null : new Shape(exchange, direction));
    }

    Event(Shape message) {
      this.message = message;
    }

    /** The peer's message this event is (exchange and direction); empty for our own events. */
    Optional<Shape> message() {
      return Optional.ofNullable(message);
    }

    /** The event of a peer's message, empty for an exchange the table has no rows for. */
    static Optional<Event> of(ExchangeType exchange, Direction direction) {
      return of(exchange, direction, false);
    }

    /** The same; {@code messageIdSync}: an RFC 6311 synchronisation ({@link MidSync#isSyncRequest}). */
    static Optional<Event> of(ExchangeType exchange, Direction direction, boolean messageIdSync) {
      Shape s = new Shape(exchange, direction, messageIdSync);
      for (Event e : values()) {
        if (s.equals(e.message)) {
          return Optional.of(e);
        }
      }
      return Optional.empty();
    }
  }

  /** A peer's message as the engine received it; {@code sa} is null for a first IKE_SA_INIT. */
  record Received(IkeSa sa, Ikev2Message message, InetSocketAddress local, InetSocketAddress remote) {}

  /** A handler: runs with the message's shape already checked, ends (maybe later) in {@code V2Machine.enter}. */
  @FunctionalInterface
  interface Handler {
    void handle(Ikev2Engine e, Received r);
  }

  /**
   * How a peer's message is handled: checked against {@code shape}, then {@code handler}; a response whose row
   * names none goes to the continuation its request left (what we offered is known there, RFC 7296 §2.1).
   */
  record Inbound(Shape shape, Optional<Handler> handler) {}

  /** How entering the to-state is told: the log line's words and its whack code. */
  enum Story {
    /** Not told: the state shows in status while the message is made, and a later row tells it; or it is gone. */
    NONE(null, null),
    /** A step of the handshake: {@code "conn" #1: STATE_PARENT_I1: sent v2I1, expected v2R1}. */
    STEP(Outcome.NEW_STATE, null),
    /** The IKE SA is up: {@code STATE_PARENT_I3: PARENT SA established {auth=…}}. */
    IKE_SA_UP(Outcome.COMMENT, null),
    /** A Child SA is up, in its IKE SA's state: {@code STATE_PARENT_I3: IPsec SA established tunnel mode {…}}. */
    CHILD_SA_UP(Outcome.SUCCESS, "IPsec SA established"),
    CHILD_SA_TAKEN_OVER(Outcome.COMMENT, "IPsec SA taken over");

    private final Outcome outcome;
    private final String words;

    Story(Outcome outcome, String words) {
      this.outcome = outcome;
      this.words = words;
    }

    /** Null when not told. */
    Outcome outcome() {
      return outcome;
    }

    /** What the line says after the state's name: the state's own story unless the row has words of its own. */
    String line(Ikev2State to) {
      return words != null ? words : to.story();
    }
  }

  /**
   * One row. {@code from} empty: a new SA (no state yet); {@code to} empty: a Child SA takes its IKE SA's
   * established state, as Openswan names it; {@code inbound} empty: our own event.
   */
  record Transition(Set<Ikev2State> from, Event event, Optional<Ikev2State> to, Optional<Inbound> inbound,
      Story story) {}

  /** A peer's exchange that keeps the IKE SA's state; what it makes (a Child SA, a rekeyed IKE SA) enters rows. */
  record Keeping(Set<Ikev2State> in, Event event, Inbound inbound) {}

  private static final Set<Ikev2State> NEW = Collections.unmodifiableSet(EnumSet.noneOf(Ikev2State.class));
  /** The states of an IKE SA in the tables; CREATE_CHILD_SA and INFORMATIONAL are handled in each. */
  private static final Set<Ikev2State> LIVE = Collections.unmodifiableSet(EnumSet.of(STATE_PARENT_I1,
      STATE_PARENT_I2, STATE_PARENT_I3, STATE_PARENT_R1, STATE_PARENT_R2));
  private static final Set<Ikev2State> ESTABLISHED = Collections.unmodifiableSet(
      EnumSet.of(STATE_PARENT_I3, STATE_PARENT_R2));

  private static final List<Transition> TABLE = table();
  private static final List<Keeping> KEEPING = List.of(
      // §1.3: the handler answers a CREATE_CHILD_SA before the IKE SA is up with TEMPORARY_FAILURE (§2.25)
      new Keeping(LIVE, Event.CREATE_CHILD_SA_REQUEST, inbound(Event.CREATE_CHILD_SA_REQUEST,
          (e, r) -> e.createChild.respond(r.sa(), r.message()))),
      new Keeping(LIVE, Event.CREATE_CHILD_SA_RESPONSE, continuation(Event.CREATE_CHILD_SA_RESPONSE)),
      // §1.4: deletes and liveness
      new Keeping(LIVE, Event.INFORMATIONAL_REQUEST, inbound(Event.INFORMATIONAL_REQUEST,
          (e, r) -> e.informational.respond(r.sa(), r.message()))),
      new Keeping(LIVE, Event.INFORMATIONAL_RESPONSE, continuation(Event.INFORMATIONAL_RESPONSE)),
      // RFC 6311 §5.1: message ID zero on an IKE SA is only this, and only once the IKE SA is up
      new Keeping(ESTABLISHED, Event.MESSAGE_ID_SYNC_REQUEST, inbound(Event.MESSAGE_ID_SYNC_REQUEST,
          (e, r) -> e.midSync.respond(r.sa(), r.message()))),
      new Keeping(ESTABLISHED, Event.MESSAGE_ID_SYNC_RESPONSE, continuation(Event.MESSAGE_ID_SYNC_RESPONSE)));

  private V2Transitions() {}

  private static List<Transition> table() {
    List<Transition> t = new ArrayList<>();
    // IKE_SA_INIT, RFC 7296 §1.2: SA, KE, Ni (+ NAT-D §2.23, COOKIE §2.6, INVALID_KE_PAYLOAD §1.3)
    t.add(ours(NEW, Event.INITIATE, STATE_PARENT_I1, Story.NONE));
    t.add(ours(EnumSet.of(STATE_PARENT_I1), Event.IKE_SA_INIT_SENT, STATE_PARENT_I1, Story.STEP));
    t.add(in(NEW, Event.IKE_SA_INIT_REQUEST, STATE_PARENT_R1, Story.NONE,
        (e, r) -> e.saInit.respond(r.local(), r.remote(), r.message())));
    t.add(ours(EnumSet.of(STATE_PARENT_R1), Event.IKE_SA_INIT_ANSWERED, STATE_PARENT_R1, Story.STEP));
    // the initiator's answer to it is its IKE_AUTH request (§1.2: IDi, [CERT], [IDr], AUTH, SA, TSi, TSr)
    t.add(in(EnumSet.of(STATE_PARENT_I1), Event.IKE_SA_INIT_RESPONSE, STATE_PARENT_I2, Story.STEP,
        (e, r) -> e.saInit.onInitResponse(r.sa(), r.message())));
    // IKE_AUTH, §1.2, §2.15: the IKE SA and its first Child SA
    t.add(in(EnumSet.of(STATE_PARENT_R1), Event.IKE_AUTH_REQUEST, STATE_PARENT_R2, Story.IKE_SA_UP,
        (e, r) -> e.auth.respond(r.sa(), r.message())));
    t.add(in(EnumSet.of(STATE_PARENT_I2), Event.IKE_AUTH_RESPONSE, STATE_PARENT_I3, Story.IKE_SA_UP,
        (e, r) -> e.auth.onAuthResponse(r.sa(), r.message())));
    // a rekeyed IKE SA (§2.18) is a new SA, up at once, in the role of the exchange that made it
    t.add(ours(NEW, Event.REKEYED_AS_INITIATOR, STATE_PARENT_I3, Story.IKE_SA_UP));
    t.add(ours(NEW, Event.REKEYED_AS_RESPONDER, STATE_PARENT_R2, Story.IKE_SA_UP));
    t.add(ours(NEW, Event.TAKEN_OVER_AS_INITIATOR, STATE_PARENT_I3, Story.IKE_SA_UP));
    t.add(ours(NEW, Event.TAKEN_OVER_AS_RESPONDER, STATE_PARENT_R2, Story.IKE_SA_UP));
    // deleting twice is no error: the per-SA guard finishes a delete that failed half-way
    t.add(ours(union(LIVE, STATE_IKESA_DEL), Event.DELETED, STATE_IKESA_DEL, Story.NONE));
    // Child SAs (§1.3.1, §2.17): a new one takes its IKE SA's state
    t.add(new Transition(NEW, Event.CHILD_ESTABLISHED, Optional.empty(), Optional.empty(), Story.CHILD_SA_UP));
    t.add(new Transition(NEW, Event.CHILD_TAKEN_OVER, Optional.empty(), Optional.empty(), Story.CHILD_SA_TAKEN_OVER));
    t.add(ours(union(ESTABLISHED, STATE_CHILDSA_DEL), Event.CHILD_DELETED, STATE_CHILDSA_DEL, Story.NONE));
    return List.copyOf(t);
  }

  private static Transition ours(Set<Ikev2State> from, Event event, Ikev2State to, Story story) {
    return new Transition(Collections.unmodifiableSet(from), event, Optional.of(to), Optional.empty(), story);
  }

  private static Transition in(Set<Ikev2State> from, Event event, Ikev2State to, Story story, Handler handler) {
    return new Transition(Collections.unmodifiableSet(from), event, Optional.of(to),
        Optional.of(inbound(event, handler)), story);
  }

  private static Inbound inbound(Event event, Handler handler) {
    return new Inbound(event.message().orElseThrow(), Optional.of(handler));
  }

  private static Inbound continuation(Event event) {
    return new Inbound(event.message().orElseThrow(), Optional.empty());
  }

  private static Set<Ikev2State> union(Set<Ikev2State> base, Ikev2State... more) {
    EnumSet<Ikev2State> s = EnumSet.copyOf(base);
    s.addAll(List.of(more));
    return s;
  }

  /** Every row, in the order above. */
  static List<Transition> all() {
    return TABLE;
  }

  static List<Keeping> allKeeping() {
    return KEEPING;
  }

  /** The row for {@code event} in {@code state} (null: a new SA), or empty. */
  static Optional<Transition> find(Ikev2State state, Event event) {
    for (Transition t : TABLE) {
      if (t.event() == event && (state == null ? t.from().isEmpty() : t.from().contains(state))) {
        return Optional.of(t);
      }
    }
    return Optional.empty();
  }

  /** How a peer's message of {@code event} is handled in {@code state}: its row, or the exchange that keeps it. */
  static Optional<Inbound> inbound(Ikev2State state, Event event) {
    Optional<Inbound> row = find(state, event).flatMap(Transition::inbound);
    if (row.isPresent() || state == null) {
      return row;
    }
    return KEEPING.stream().filter(k -> k.event() == event && k.in().contains(state)).findFirst()
        .map(Keeping::inbound);
  }

  /** The states an IKE SA is up in (a Child SA takes one of them). */
  static Set<Ikev2State> established() {
    return ESTABLISHED;
  }
}
