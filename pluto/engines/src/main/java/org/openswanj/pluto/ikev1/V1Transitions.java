package org.openswanj.pluto.ikev1;

import static org.openswanj.pluto.ikev1.Ikev1State.STATE_AGGR_I1;
import static org.openswanj.pluto.ikev1.Ikev1State.STATE_AGGR_I2;
import static org.openswanj.pluto.ikev1.Ikev1State.STATE_AGGR_R1;
import static org.openswanj.pluto.ikev1.Ikev1State.STATE_AGGR_R2;
import static org.openswanj.pluto.ikev1.Ikev1State.STATE_MAIN_I1;
import static org.openswanj.pluto.ikev1.Ikev1State.STATE_MAIN_I2;
import static org.openswanj.pluto.ikev1.Ikev1State.STATE_MAIN_I3;
import static org.openswanj.pluto.ikev1.Ikev1State.STATE_MAIN_I4;
import static org.openswanj.pluto.ikev1.Ikev1State.STATE_MAIN_R1;
import static org.openswanj.pluto.ikev1.Ikev1State.STATE_MAIN_R2;
import static org.openswanj.pluto.ikev1.Ikev1State.STATE_MAIN_R3;
import static org.openswanj.pluto.ikev1.Ikev1State.STATE_MODE_CFG_I1;
import static org.openswanj.pluto.ikev1.Ikev1State.STATE_MODE_CFG_R1;
import static org.openswanj.pluto.ikev1.Ikev1State.STATE_QUICK_I1;
import static org.openswanj.pluto.ikev1.Ikev1State.STATE_QUICK_I2;
import static org.openswanj.pluto.ikev1.Ikev1State.STATE_QUICK_R1;
import static org.openswanj.pluto.ikev1.Ikev1State.STATE_QUICK_R2;
import static org.openswanj.pluto.ikev1.Ikev1State.STATE_XAUTH_I0;
import static org.openswanj.pluto.ikev1.Ikev1State.STATE_XAUTH_I1;
import static org.openswanj.pluto.ikev1.Ikev1State.STATE_XAUTH_R0;
import static org.openswanj.pluto.ikev1.Ikev1State.STATE_XAUTH_R1;

import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.openswanj.pluto.engine.Outcome;
import org.openswanj.pluto.ike.wire.ExchangeType;
import org.openswanj.pluto.ike.wire.IkeHeader;
import org.openswanj.pluto.ike.wire.IkeMessage;
import org.openswanj.pluto.ike.wire.IkeProtocolException;
import org.openswanj.pluto.ike.wire.MessageRules.V1Step;

/**
 * IKEv1's state transitions as data, as Libreswan's state_microcode_table: from state(s), the peer's message (or
 * our own event), the shape the message must have ({@code MessageRules}, checked once by {@link V1Machine}
 * before the processor runs), the processor, the state it leads to and so the story that is logged. "What
 * happens when MR2 arrives in STATE_MAIN_I2" is one row. The processors may finish on a helper's result (DH,
 * key derivation, certificate checks); they end with {@link V1Machine#enter}, which takes the row's to-state.
 */
final class V1Transitions {
  /** The peer's message (with its exchange) or our own event: the second column of the table. */
  enum Event {
    MAIN_INITIATE, MI1(ExchangeType.IDENTITY_PROTECTION), MR1(ExchangeType.IDENTITY_PROTECTION),
    MI2(ExchangeType.IDENTITY_PROTECTION), MR2(ExchangeType.IDENTITY_PROTECTION),
    MI3(ExchangeType.IDENTITY_PROTECTION), MR3(ExchangeType.IDENTITY_PROTECTION),
    AGGR_INITIATE, AI1(ExchangeType.AGGRESSIVE), AR1(ExchangeType.AGGRESSIVE), AI2(ExchangeType.AGGRESSIVE),
    /** XAUTH server (draft-ietf-ipsec-isakmp-xauth-06 §4.1-4.2): our REQUEST, our status SET. */
    XAUTH_REQUEST_SENT, XAUTH_STATUS_SENT,
    /** ModeConfig server push (mode-cfg-05 §3.4): our SET. */
    MODECFG_SET_SENT,
    /** XAUTH client: phase 1 done, waiting for the gateway; our REPLY with user and password; our REQUEST. */
    XAUTH_AWAITED, XAUTH_REPLY_SENT, MODECFG_REQUEST_SENT,
    /** XAUTH and ModeConfig done, either side: back to phase 1's established state. */
    CFG_DONE,
    QUICK_INITIATE, QI1(ExchangeType.QUICK_MODE), QR1(ExchangeType.QUICK_MODE), QI2(ExchangeType.QUICK_MODE),
    /** A cluster takeover (docs/HA.md): an established ISAKMP SA or IPsec SA rebuilt from another node's record. */
    TAKEN_OVER_AS_INITIATOR, TAKEN_OVER_AS_RESPONDER, IPSEC_TAKEN_OVER;

    private final ExchangeType exchange;

    Event() {
      this(null);
    }

    Event(ExchangeType exchange) {
      this.exchange = exchange;
    }

    /** The exchange of a peer's message; empty for our own events. */
    Optional<ExchangeType> exchange() {
      return Optional.ofNullable(exchange);
    }
  }

  /** An inbound message as the engine received it: the SAs it belongs to (null before they exist). */
  record Packet(IsakmpSa sa, QuickSa quick, IkeHeader header, IkeMessage outer, byte[] bytes,
      InetSocketAddress[] endpoints) {
    InetSocketAddress local() {
      return endpoints[0];
    }

    InetSocketAddress remote() {
      return endpoints[1];
    }
  }

  /** Makes the payloads the shape is checked on: the clear message, or decrypted (null: dropped and logged). */
  @FunctionalInterface
  interface Opener {
    V1Protect.Opened open(Ikev1Engine e, Packet p) throws IkeProtocolException;
  }

  /** The processor: runs with the message's shape already checked, ends (maybe later) in {@code enter}. */
  @FunctionalInterface
  interface Processor {
    void process(Ikev1Engine e, Packet p, V1Protect.Opened o) throws IkeProtocolException;
  }

  /** How a peer's message is handled: opened, checked against {@code shape}, processed. */
  record Inbound(Opener opener, V1Step shape, Processor processor) {}

  /**
   * One row. {@code from} empty: a new SA (no state yet); {@code to} empty: back to the ISAKMP SA's phase 1
   * established state (after XAUTH / ModeConfig); {@code inbound} empty: our own event.
   */
  record Transition(Set<Ikev1State> from, Event event, Optional<Ikev1State> to, Optional<Inbound> inbound) {
    /** How the story is told: phase 1 steps as new states, an IPsec SA as success, XAUTH/ModeCfg as comments. */
    Outcome outcome() {
      if (to.isEmpty() || to.get().cfgPending()) {
        return Outcome.COMMENT;
      }
      return to.get().ipsecEstablished() ? Outcome.SUCCESS : Outcome.NEW_STATE;
    }
  }

  private static final Set<Ikev1State> NEW = Collections.unmodifiableSet(EnumSet.noneOf(Ikev1State.class));
  private static final Set<Ikev1State> ESTABLISHED = Collections.unmodifiableSet(
      EnumSet.of(STATE_MAIN_I4, STATE_MAIN_R3, STATE_AGGR_I2, STATE_AGGR_R2));

  /**
   * A peer's exchange that keeps the state it arrives in: Informational (RFC 2408 §4.8; Openswan's
   * STATE_INFO_PROTECTED rows) and Transaction (XAUTH / ModeConfig, mode-cfg-05 §3.1, whose steps then enter
   * the XAUTH rows above). Opened, checked and processed like a row's message.
   */
  record Keeping(Set<Ikev1State> in, ExchangeType exchange, Inbound inbound) {}

  private static final List<Transition> TABLE = table();
  private static final List<Keeping> KEEPING = List.of(
      new Keeping(keyed(), ExchangeType.INFORMATIONAL_V1, new Inbound((e, p) -> e.info.openProtected(p), V1Step.INFO,
          (e, p, o) -> e.info.onProtected(p, o))),
      new Keeping(keyed(), ExchangeType.TRANSACTION, new Inbound((e, p) -> e.transaction.open(p),
          V1Step.TRANSACTION, (e, p, o) -> e.transaction.onAttributes(p, o))));

  private V1Transitions() {}

  private static List<Transition> table() {
    List<Transition> t = new ArrayList<>();
    // Main Mode, RFC 2409 §5 (§5.1 with signatures): SA, KE+Nonce (+NAT-D, RFC 3947 §3.2), encrypted ID+auth
    t.add(ours(NEW, Event.MAIN_INITIATE, STATE_MAIN_I1));
    t.add(in(NEW, Event.MI1, STATE_MAIN_R1, V1Machine::plain, V1Step.MI1, (e, p, o) -> e.phase1.main.respond(p, o)));
    t.add(in(STATE_MAIN_I1, Event.MR1, STATE_MAIN_I2, V1Machine::plain, V1Step.MR1,
        (e, p, o) -> e.phase1.main.onMr1(p, o)));
    t.add(in(STATE_MAIN_R1, Event.MI2, STATE_MAIN_R2, V1Machine::plain, V1Step.MI2,
        (e, p, o) -> e.phase1.main.onMi2(p, o)));
    t.add(in(STATE_MAIN_I2, Event.MR2, STATE_MAIN_I3, V1Machine::plain, V1Step.MR2,
        (e, p, o) -> e.phase1.main.onMr2(p, o)));
    t.add(in(STATE_MAIN_R2, Event.MI3, STATE_MAIN_R3, (e, p) -> e.phase1.main.openPhase1(p, V1Step.MI3), V1Step.MI3,
        (e, p, o) -> e.phase1.main.onMi3(p, o)));
    t.add(in(STATE_MAIN_I3, Event.MR3, STATE_MAIN_I4, (e, p) -> e.phase1.main.openPhase1(p, V1Step.MR3), V1Step.MR3,
        (e, p, o) -> e.phase1.main.onMr3(p, o)));
    // Aggressive Mode, RFC 2409 §5: SA+KE+Ni+IDii; SA+KE+Nr+IDir+HASH_R; HASH_I (sent encrypted or not)
    t.add(ours(NEW, Event.AGGR_INITIATE, STATE_AGGR_I1));
    t.add(in(NEW, Event.AI1, STATE_AGGR_R1, V1Machine::plain, V1Step.AI1,
        (e, p, o) -> e.phase1.aggressive.respond(p, o)));
    t.add(in(STATE_AGGR_I1, Event.AR1, STATE_AGGR_I2, V1Machine::plain, V1Step.AR1,
        (e, p, o) -> e.phase1.aggressive.onAr1(p, o)));
    t.add(in(STATE_AGGR_R1, Event.AI2, STATE_AGGR_R2, (e, p) -> e.phase1.aggressive.openAi2(p), V1Step.AI2,
        (e, p, o) -> e.phase1.aggressive.onAi2(p, o)));
    // XAUTH and ModeConfig after phase 1 (xauth-06 §4, mode-cfg-05 §3): Transaction exchanges, checked in
    // Transaction; the server's second REQUEST after a refused try stays in STATE_XAUTH_R0, as Openswan's does
    t.add(ours(union(ESTABLISHED, STATE_XAUTH_R0), Event.XAUTH_REQUEST_SENT, STATE_XAUTH_R0));
    t.add(ours(EnumSet.of(STATE_XAUTH_R0), Event.XAUTH_STATUS_SENT, STATE_XAUTH_R1));
    t.add(ours(union(ESTABLISHED, STATE_XAUTH_R1), Event.MODECFG_SET_SENT, STATE_MODE_CFG_R1));
    // the client answers what the gateway sends when it comes (its order is the gateway's, not ours)
    Set<Ikev1State> client = union(ESTABLISHED, STATE_XAUTH_I0, STATE_XAUTH_I1, STATE_MODE_CFG_I1);
    t.add(ours(ESTABLISHED, Event.XAUTH_AWAITED, STATE_XAUTH_I0));
    t.add(ours(client, Event.XAUTH_REPLY_SENT, STATE_XAUTH_I1));
    t.add(ours(client, Event.MODECFG_REQUEST_SENT, STATE_MODE_CFG_I1));
    t.add(new Transition(union(ESTABLISHED, STATE_XAUTH_R1, STATE_MODE_CFG_R1, STATE_XAUTH_I0, STATE_XAUTH_I1,
        STATE_MODE_CFG_I1), Event.CFG_DONE, Optional.empty(), Optional.empty()));
    // Quick Mode, RFC 2409 §5.5: HASH(1) SA Ni [KE] [IDci IDcr]; HASH(2) SA Nr [KE] [IDci IDcr]; HASH(3)
    t.add(ours(NEW, Event.QUICK_INITIATE, STATE_QUICK_I1));
    t.add(in(NEW, Event.QI1, STATE_QUICK_R1, (e, p) -> e.quickMode.openQi1(p), V1Step.QI1,
        (e, p, o) -> e.quickMode.respond(p, o)));
    t.add(in(STATE_QUICK_I1, Event.QR1, STATE_QUICK_I2, (e, p) -> e.quickMode.openQr1(p), V1Step.QR1,
        (e, p, o) -> e.quickMode.onQr1(p, o)));
    t.add(in(STATE_QUICK_R1, Event.QI2, STATE_QUICK_R2, (e, p) -> e.quickMode.openQi2(p), V1Step.QI2,
        (e, p, o) -> e.quickMode.onQi2(p, o)));
    // a cluster takeover continues an SA another node negotiated: established at once (phase 1 as Main Mode's)
    t.add(ours(NEW, Event.TAKEN_OVER_AS_INITIATOR, STATE_MAIN_I4));
    t.add(ours(NEW, Event.TAKEN_OVER_AS_RESPONDER, STATE_MAIN_R3));
    t.add(ours(NEW, Event.IPSEC_TAKEN_OVER, STATE_QUICK_R2));
    return List.copyOf(t);
  }

  private static Transition ours(Set<Ikev1State> from, Event event, Ikev1State to) {
    return new Transition(Collections.unmodifiableSet(from), event, Optional.of(to), Optional.empty());
  }

  private static Transition in(Set<Ikev1State> from, Event event, Ikev1State to, Opener opener, V1Step shape,
      Processor processor) {
    return new Transition(from, event, Optional.of(to), Optional.of(new Inbound(opener, shape, processor)));
  }

  private static Transition in(Ikev1State from, Event event, Ikev1State to, Opener opener, V1Step shape,
      Processor processor) {
    return in(Collections.unmodifiableSet(EnumSet.of(from)), event, to, opener, shape, processor);
  }

  private static Set<Ikev1State> union(Set<Ikev1State> base, Ikev1State... more) {
    EnumSet<Ikev1State> s = EnumSet.noneOf(Ikev1State.class);
    s.addAll(base);
    s.addAll(List.of(more));
    return Collections.unmodifiableSet(s);
  }

  /** Every row, in the order above. */
  static List<Transition> all() {
    return TABLE;
  }

  /** The row for {@code event} in {@code state} (null: a new SA), or empty. */
  static Optional<Transition> find(Ikev1State state, Event event) {
    for (Transition t : TABLE) {
      if (t.event() == event && (state == null ? t.from().isEmpty() : t.from().contains(state))) {
        return Optional.of(t);
      }
    }
    return Optional.empty();
  }

  /** The row for a peer's message of exchange {@code x} in {@code state} (null: a first message), or empty. */
  static Optional<Transition> inbound(Ikev1State state, ExchangeType x) {
    for (Transition t : TABLE) {
      if (t.inbound().isPresent() && t.event().exchange().orElse(null) == x
          && (state == null ? t.from().isEmpty() : t.from().contains(state))) {
        return Optional.of(t);
      }
    }
    return Optional.empty();
  }

  /** The exchange of {@code x} that keeps {@code state}, or empty. */
  static Optional<Keeping> keeping(Ikev1State state, ExchangeType x) {
    return KEEPING.stream().filter(k -> k.exchange() == x && k.in().contains(state)).findFirst();
  }

  static List<Keeping> allKeeping() {
    return KEEPING;
  }

  /** States whose keys protect Informational and Transaction exchanges: established, or in XAUTH / ModeConfig. */
  private static Set<Ikev1State> keyed() {
    EnumSet<Ikev1State> s = EnumSet.noneOf(Ikev1State.class);
    for (Ikev1State st : Ikev1State.values()) {
      if (st.keyed()) {
        s.add(st);
      }
    }
    return Collections.unmodifiableSet(s);
  }

  /** The established phase 1 states (XAUTH and ModeConfig start from them and come back). */
  static Set<Ikev1State> established() {
    return ESTABLISHED;
  }
}
