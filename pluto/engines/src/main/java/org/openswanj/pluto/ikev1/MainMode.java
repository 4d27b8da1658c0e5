package org.openswanj.pluto.ikev1;

import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.openswanj.pluto.conn.Connection;
import org.openswanj.pluto.engine.Outcome;
import org.openswanj.pluto.engine.SaEvent;
import org.openswanj.pluto.ike.wire.ExchangeType;
import org.openswanj.pluto.ike.wire.IkeCodec;
import org.openswanj.pluto.ike.wire.IkeHeader;
import org.openswanj.pluto.ike.wire.IkeMessage;
import org.openswanj.pluto.ike.wire.IkeProtocolException;
import org.openswanj.pluto.ike.wire.NoProposalChosenException;
import org.openswanj.pluto.ike.wire.InvalidSyntaxException;
import org.openswanj.pluto.ike.wire.MessageRules.V1Step;
import org.openswanj.pluto.ike.wire.NatDPayload;
import org.openswanj.pluto.ike.wire.NotifyType;
import org.openswanj.pluto.ike.wire.Payload;
import org.openswanj.pluto.ike.wire.PayloadType;
import org.openswanj.pluto.ike.wire.V1IdPayload;
import org.openswanj.pluto.ike.wire.V1KePayload;
import org.openswanj.pluto.ike.wire.V1NoncePayload;
import org.openswanj.pluto.ike.wire.V1SaPayload;
import org.openswanj.pluto.ike.wire.V1VendorIdPayload;
import org.openswanj.pluto.ikev1.V1Transitions.Event;
import org.openswanj.pluto.ikev1.V1Transitions.Packet;

/**
 * Main Mode (RFC 2409 §5, RFC 2408 §4.5): MI1/MR1 SA, MI2/MR2 KE+Nonce (+NAT-D, RFC 3947 §3.2; +CR with
 * certificates), MI3/MR3 encrypted ID+HASH (PSK) or ID+[CERT]+SIG (§5.1, RSA or RFC 4754 ECDSA; see
 * {@link V1PeerAuth}). Initiator and responder, one handler per message.
 */
final class MainMode {
  private final Ikev1Engine e;
  private final Phase1 p;
  private final V1PeerAuth auth;

  MainMode(Ikev1Engine engine, Phase1 phase1, V1PeerAuth auth) {
    this.e = engine;
    this.p = phase1;
    this.auth = auth;
  }

  private static IkeHeader header(IsakmpSa sa) {
    return IkeHeader.v1(sa.cookieI, sa.cookieR, ExchangeType.IDENTITY_PROTECTION, 0, 0);
  }

  /** Sends and resends until the answer (initiator), with Openswan's give-up stories. */
  private void sendExpecting(IsakmpSa sa, byte[] bytes) {
    Ikev1State st = sa.state;
    sa.sender.send(bytes, n -> p.retryOrFail(sa, "max number of retransmissions (" + n + ") reached " + st.name()
        + (st == Ikev1State.STATE_MAIN_I1 ? ".  No response (or no acceptable response) to our first IKE message"
        : st == Ikev1State.STATE_MAIN_I3 ? ".  Possible authentication failure: no acceptable response to our"
        + " first encrypted message" : "")));
  }

  // ---- initiator ----

  void initiate(IsakmpSa sa) {
    List<V1Algs> ours = V1Proposals.ikeChoices(sa.conn);
    if (ours.isEmpty()) {
      p.fail(sa, "ike=" + sa.conn.config().ike() + " has no algorithm IKEv1 can use");
      return;
    }
    if (!p.loadAuth(sa)) {
      p.fail(sa, "cannot initiate Main Mode without " + (V1SigAuth.uses(sa.conn) ? "our private key"
          : "a pre-shared key"));
      return;
    }
    V1SaPayload offer = V1Proposals.ikeOffer(ours, sa.conn.config().ikeLifetime(),
        V1Proposals.wireAuthMethod(sa.conn, true));
    sa.saiB = V1Protect.body(offer);
    List<Payload> msg = new ArrayList<>();
    msg.add(offer);
    msg.addAll(NatTraversal.ourVids());
    msg.addAll(Unity.initiatorVids(sa.conn));
    V1Log.sa(sa, Outcome.COMMENT, "initiating Main Mode");
    e.machine.enter(sa, Event.MAIN_INITIATE, "");
    sendExpecting(sa, IkeCodec.encode(header(sa), msg));
  }

  void onMr1(Packet in, V1Protect.Opened o) throws IkeProtocolException {
    IsakmpSa sa = in.sa();
    IkeHeader h = in.header();
    IkeMessage m = in.outer();
    byte[] bytes = in.bytes();
    Optional<V1Algs> a = V1Proposals.acceptIke(m.first(V1SaPayload.class).orElseThrow(),
        V1Proposals.ikeChoices(sa.conn), V1Proposals.wireAuthMethod(sa.conn, true));
    if (a.isEmpty()) {
      p.fail(sa, "peer's SA answer is not one of our proposals");
      return;
    }
    sa.cookieR = h.responderSpi();
    sa.algs = a.get();
    p.notePeerVids(sa, m.all(V1VendorIdPayload.class));
    sa.sender.received(bytes);
    p.withDh(sa, sa.algs.dh(), dh -> {
      sa.gxi = dh.publicValue();
      List<Payload> msg = new ArrayList<>(List.of(new V1KePayload(sa.gxi), new V1NoncePayload(sa.ni)));
      msg.addAll(V1SigAuth.certRequests(sa.conn, e.credentials()));
      msg.addAll(p.natD(sa));
      e.machine.enter(sa, Event.MR1, "");
      sendExpecting(sa, IkeCodec.encode(header(sa), msg));
    });
  }

  void onMr2(Packet in, V1Protect.Opened o) throws IkeProtocolException {
    IsakmpSa sa = in.sa();
    IkeMessage m = in.outer();
    byte[] bytes = in.bytes();
    sa.gxr = checkedKe(sa, m);
    sa.nr = checkedNonce(m);
    p.detectNat(sa, m.all(NatDPayload.class));
    sa.sender.received(bytes);
    p.withKeys(sa, sa.gxr, () -> {
      p.floatPorts(sa);
      V1IdPayload id = Phase1.ourId(sa.conn);
      List<Payload> ours = auth.ours(sa, id, Phase1.hashI(sa, id.body()));
      if (ours == null) {
        return;
      }
      ours = e.initialContact.withNotify(sa, ours);
      V1Protect.Sealed s = V1Protect.seal(sa, header(sa), ours, sa.iv);
      sa.iv = s.nextIv();
      e.machine.enter(sa, Event.MR2, "");
      sendExpecting(sa, s.bytes());
    });
  }

  void onMr3(Packet in, V1Protect.Opened o) {
    IsakmpSa sa = in.sa();
    byte[] bytes = in.bytes();
    V1IdPayload id = first(o.payloads(), V1IdPayload.class);
    if (V1SigAuth.byCertificate(sa.conn)) {
      if (!p.peerIdAcceptable(sa, id)) {
        p.fail(sa, "peer's ID is not the one this conn expects");
        return;
      }
      auth.checkCertificate(sa, o.payloads(), p.peerIdentity(id), Phase1.hashR(sa, id.body()), () -> {
        sa.iv = o.nextIv();
        sa.sender.received(bytes);
        p.established(sa, Event.MR3);
      });
      return;
    }
    Optional<String> bad = auth.problem(sa, o.payloads(), Phase1.hashR(sa, id.body()));
    if (bad.isPresent()) {
      V1Log.sa(sa, Outcome.AUTHFAILED, bad.get());
      return;
    }
    if (!p.peerIdAcceptable(sa, id)) {
      p.fail(sa, "peer's ID is not the one this conn expects");
      return;
    }
    sa.iv = o.nextIv();
    sa.sender.received(bytes);
    p.established(sa, Event.MR3);
  }

  // ---- responder ----

  /** MI1, a first message: its conn and our choice of its proposals before any state is kept. */
  void respond(Packet in, V1Protect.Opened o) {
    InetSocketAddress local = in.local();
    InetSocketAddress remote = in.remote();
    IkeHeader h = in.header();
    IkeMessage m = in.outer();
    byte[] bytes = in.bytes();
    Connection conn = p.findConnection(local, remote, false);
    V1Proposals.ChosenIke chosen;
    try {
      chosen = chooseMi1(conn, local, remote, m);
    } catch (NoProposalChosenException ex) {
      e.info.refuseClear(local, remote, h, ex);
      return;
    }
    IsakmpSa sa = p.newResponder(conn, local, remote, h, m, chosen.algs(), false);
    e.guard.run(sa, SaEvent.DATAGRAM, () -> answerMi1(sa, chosen, h, m, bytes));
  }

  private static V1Proposals.ChosenIke chooseMi1(Connection conn, InetSocketAddress local, InetSocketAddress remote,
      IkeMessage m) throws NoProposalChosenException {
    if (conn == null) {
      throw new NoProposalChosenException("initial Main Mode message received on "
          + local.getAddress().getHostAddress() + ":" + local.getPort()
          + " but no connection has been authorized with policy=PSK");
    }
    V1SaPayload offer = m.first(V1SaPayload.class).orElseThrow();
    return V1Proposals.chooseIke(offer, V1Proposals.ikeChoices(conn), null, V1Proposals.wireAuthMethod(conn, false))
        .orElseThrow(() -> new NoProposalChosenException("\"" + conn.name() + "\": no acceptable Oakley Transform from "
            + remote.getAddress().getHostAddress() + V1Proposals.methodMismatch(offer, conn, false)));
  }

  private void answerMi1(IsakmpSa sa, V1Proposals.ChosenIke chosenIke, IkeHeader h, IkeMessage m, byte[] bytes) {
    try {
      sa.saiB = V1Protect.rawBody(bytes, h, PayloadType.SA_V1.wireValue());
    } catch (InvalidSyntaxException ex) {
      p.fail(sa, "MI1: " + ex.getMessage());
      return;
    }
    if (!p.loadAuth(sa)) {
      p.fail(sa, "cannot answer Main Mode without " + (V1SigAuth.uses(sa.conn) ? "our private key"
          : "a pre-shared key"));
      return;
    }
    List<Payload> msg = new ArrayList<>();
    msg.add(V1Proposals.ikeAnswer(chosenIke));
    msg.addAll(NatTraversal.answerVids(NatTraversal.support(m.all(V1VendorIdPayload.class))));
    msg.addAll(Unity.responderVids(sa.conn, m.all(V1VendorIdPayload.class)));
    sa.sender.received(bytes);
    e.machine.enter(sa, Event.MI1, "");
    sa.sender.send(IkeCodec.encode(header(sa), msg), null);
  }

  void onMi2(Packet in, V1Protect.Opened o) throws IkeProtocolException {
    IsakmpSa sa = in.sa();
    IkeMessage m = in.outer();
    byte[] bytes = in.bytes();
    sa.gxi = checkedKe(sa, m);
    sa.ni = checkedNonce(m);
    p.detectNat(sa, m.all(NatDPayload.class));
    sa.nr = e.randomBytes(Phase1.NONCE_SIZE);
    sa.sender.received(bytes);
    p.withDh(sa, sa.algs.dh(), dh -> {
      sa.gxr = dh.publicValue();
      p.withKeys(sa, sa.gxi, () -> {
        List<Payload> msg = new ArrayList<>(List.of(new V1KePayload(sa.gxr), new V1NoncePayload(sa.nr)));
        msg.addAll(V1SigAuth.certRequests(sa.conn, e.credentials()));
        msg.addAll(p.natD(sa));
        e.machine.enter(sa, Event.MI2, "");
        sa.sender.send(IkeCodec.encode(header(sa), msg), null);
      });
    });
  }

  void onMi3(Packet in, V1Protect.Opened o) {
    IsakmpSa sa = in.sa();
    InetSocketAddress local = in.local();
    InetSocketAddress remote = in.remote();
    byte[] bytes = in.bytes();
    V1IdPayload id = first(o.payloads(), V1IdPayload.class);
    if (!V1SigAuth.byCertificate(sa.conn)) {
      Optional<String> bad = auth.problem(sa, o.payloads(), Phase1.hashI(sa, id.body()));
      if (bad.isPresent()) {
        V1Log.sa(sa, Outcome.AUTHFAILED, bad.get());
        return;
      }
    }
    if (!p.peerIdAcceptable(sa, id)) {
      e.info.notifyProtected(sa, NotifyType.INVALID_ID_INFORMATION, new byte[0]);
      p.fail(sa, "peer's ID is not the one this conn expects");
      return;
    }
    if (V1SigAuth.byCertificate(sa.conn)) {
      auth.checkCertificate(sa, o.payloads(), p.peerIdentity(id), Phase1.hashI(sa, id.body()), () -> answerMi3(sa, local, remote, o,
          bytes));
      return;
    }
    answerMi3(sa, local, remote, o, bytes);
  }

  /** The initiator is authenticated: MR3 with our ID and HASH_R or SIG_R. */
  private void answerMi3(IsakmpSa sa, InetSocketAddress local, InetSocketAddress remote, V1Protect.Opened o,
      byte[] bytes) {
    p.followPeer(sa, local, remote);
    sa.iv = o.nextIv();
    sa.sender.received(bytes);
    V1IdPayload ours = Phase1.ourId(sa.conn);
    List<Payload> msg = auth.ours(sa, ours, Phase1.hashR(sa, ours.body()));
    if (msg == null) {
      return;
    }
    V1Protect.Sealed s = V1Protect.seal(sa, header(sa), msg, sa.iv);
    sa.iv = s.nextIv();
    sa.sender.send(s.bytes(), null);
    p.established(sa, Event.MI3);
    e.initialContact.received(sa, o.payloads());
  }

  // ---- helpers ----

  /**
   * MI3/MR3's opener: decrypt with the phase 1 IV. What does not decrypt or fit MI3/MR3 is logged by
   * {@link Phase1} as a probable PSK mismatch: garbage means the keys differ.
   */
  V1Protect.Opened openPhase1(Packet in, V1Step step) throws IkeProtocolException {
    IsakmpSa sa = in.sa();
    IkeHeader h = in.header();
    if (!h.encrypted()) {
      throw new InvalidSyntaxException(step + " must be encrypted (RFC 2409 §5)");
    }
    return V1Protect.open(sa, h, in.bytes(), sa.iv);
  }

  static byte[] checkedKe(IsakmpSa sa, IkeMessage m) throws InvalidSyntaxException {
    byte[] ke = m.first(V1KePayload.class).orElseThrow().keyData();
    if (ke.length != sa.algs.dh().publicValueSize()) {
      throw new InvalidSyntaxException("KE payload of " + ke.length + " bytes; " + sa.algs.dh().configName()
          + " needs " + sa.algs.dh().publicValueSize());
    }
    return ke;
  }

  static byte[] checkedNonce(IkeMessage m) throws InvalidSyntaxException {
    byte[] n = m.first(V1NoncePayload.class).orElseThrow().nonce();
    if (n.length < 8 || n.length > 256) {
      throw new InvalidSyntaxException("nonce of " + n.length + " bytes (RFC 2409 §5: 8..256)");
    }
    return n;
  }

  static <T extends Payload> T first(List<Payload> ps, Class<T> c) {
    return ps.stream().filter(c::isInstance).map(c::cast).findFirst().orElseThrow();
  }
}
