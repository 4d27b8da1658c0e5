package org.openswanj.pluto.ikev1;

import java.net.InetSocketAddress;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.openswanj.alg.DhGroup;
import org.openswanj.pluto.conn.Connection;
import org.openswanj.pluto.engine.Outcome;
import org.openswanj.pluto.engine.SaEvent;
import org.openswanj.pluto.ike.wire.ExchangeType;
import org.openswanj.pluto.ike.wire.HashPayload;
import org.openswanj.pluto.ike.wire.IkeCodec;
import org.openswanj.pluto.ike.wire.IkeHeader;
import org.openswanj.pluto.ike.wire.IkeMessage;
import org.openswanj.pluto.ike.wire.IkeProtocolException;
import org.openswanj.pluto.ike.wire.NoProposalChosenException;
import org.openswanj.pluto.ike.wire.InvalidSyntaxException;
import org.openswanj.pluto.ike.wire.NatDPayload;
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
 * Aggressive Mode with pre-shared keys (RFC 2409 §5): AI1 SA+KE+Ni+IDii, AR1 SA+KE+Nr+IDir+HASH_R (+NAT-D),
 * AI2 HASH_I (+NAT-D), encrypted as strongSwan and Openswan send it (both forms are accepted). One DH group
 * only, since KE goes with the offer: the first group of {@code ike=}.
 */
final class AggressiveMode {
  private final Ikev1Engine e;
  private final Phase1 p;

  AggressiveMode(Ikev1Engine engine, Phase1 phase1) {
    this.e = engine;
    this.p = phase1;
  }

  private static IkeHeader header(IsakmpSa sa) {
    return IkeHeader.v1(sa.cookieI, sa.cookieR, ExchangeType.AGGRESSIVE, 0, 0);
  }

  void initiate(IsakmpSa sa) {
    List<V1Algs> all = V1Proposals.ikeChoices(sa.conn);
    if (all.isEmpty() || !p.loadPsk(sa)) {
      p.fail(sa, "cannot initiate Aggressive Mode: no IKEv1 algorithm or no pre-shared key");
      return;
    }
    DhGroup g = all.get(0).dh();
    List<V1Algs> ours = all.stream().filter(a -> a.dh() == g).toList();
    V1SaPayload offer = V1Proposals.ikeOffer(ours, sa.conn.config().ikeLifetime(),
        V1Proposals.wirePskMethod(sa.conn, true));
    sa.saiB = V1Protect.body(offer);
    V1Log.sa(sa, Outcome.COMMENT, "initiating Aggressive Mode");
    p.withDh(sa, g, dh -> {
      sa.gxi = dh.publicValue();
      List<Payload> msg = new ArrayList<>(List.of(offer, new V1KePayload(sa.gxi), new V1NoncePayload(sa.ni),
          Phase1.ourId(sa.conn)));
      msg.addAll(NatTraversal.ourVids());
      e.machine.enter(sa, Event.AGGR_INITIATE, "");
      sa.sender.send(IkeCodec.encode(header(sa), msg), n -> p.retryOrFail(sa, "max number of retransmissions ("
          + n + ") reached STATE_AGGR_I1.  No response (or no acceptable response) to our first IKE message"));
    });
  }

  void onAr1(Packet in, V1Protect.Opened o) throws IkeProtocolException {
    IsakmpSa sa = in.sa();
    IkeHeader h = in.header();
    IkeMessage m = in.outer();
    byte[] bytes = in.bytes();
    if (m.first(HashPayload.class).isEmpty()) {
      throw new InvalidSyntaxException("AR1: only pre-shared key authentication (HASH) is supported");
    }
    Optional<V1Algs> a = V1Proposals.acceptIke(m.first(V1SaPayload.class).orElseThrow(),
        V1Proposals.ikeChoices(sa.conn), V1Proposals.wirePskMethod(sa.conn, true));
    if (a.isEmpty() || a.get().dh() != sa.dh.group()) {
      p.fail(sa, "peer's SA answer is not one of our proposals");
      return;
    }
    sa.cookieR = h.responderSpi();
    sa.algs = a.get();
    sa.gxr = MainMode.checkedKe(sa, m);
    sa.nr = MainMode.checkedNonce(m);
    p.notePeerVids(sa, m.all(V1VendorIdPayload.class));
    p.detectNat(sa, m.all(NatDPayload.class));
    V1IdPayload idr = m.first(V1IdPayload.class).orElseThrow();
    byte[] hashR = m.first(HashPayload.class).orElseThrow().hash();
    sa.sender.received(bytes);
    p.withKeys(sa, sa.gxr, () -> {
      if (!MessageDigest.isEqual(hashR, Phase1.hashR(sa, idr.body()))) {
        V1Log.sa(sa, Outcome.AUTHFAILED, "received Hash Payload does not match computed value");
        p.fail(sa, "STATE_AGGR_I1: probable authentication failure (mismatch of preshared secrets?)");
        return;
      }
      if (!p.peerIdAcceptable(sa, idr)) {
        p.fail(sa, "peer's ID is not the one this conn expects");
        return;
      }
      List<Payload> nat = p.natD(sa);
      p.floatPorts(sa);
      List<Payload> msg = new ArrayList<>();
      msg.add(new HashPayload(Phase1.hashI(sa, Phase1.ourId(sa.conn).body())));
      msg.addAll(nat);
      V1Protect.Sealed s = V1Protect.seal(sa, header(sa), msg, sa.iv);
      sa.iv = s.nextIv();
      sa.sender.send(s.bytes(), null);
      p.established(sa, Event.AR1);
    });
  }

  /** AI1, a first message: its conn and our choice of its proposals before any state is kept. */
  void respond(Packet in, V1Protect.Opened o) {
    InetSocketAddress local = in.local();
    InetSocketAddress remote = in.remote();
    IkeHeader h = in.header();
    IkeMessage m = in.outer();
    byte[] bytes = in.bytes();
    Connection conn = p.findConnection(local, remote, true);
    Optional<V1Proposals.ChosenIke> chosen = conn == null ? Optional.empty()
        : V1Proposals.chooseIke(m.first(V1SaPayload.class).orElseThrow(), V1Proposals.ikeChoices(conn), null,
            V1Proposals.wirePskMethod(conn, false));
    if (chosen.isEmpty()) {
      e.info.refuseClear(local, remote, h, new NoProposalChosenException("Aggressive Mode from "
          + remote.getAddress().getHostAddress() + ": no aggrmode=yes conn with an acceptable Oakley Transform"));
      return;
    }
    IsakmpSa sa = p.newResponder(conn, local, remote, h, m, chosen.get().algs(), true);
    e.guard.run(sa, SaEvent.DATAGRAM, () -> answerAi1(sa, chosen.get(), h, m, bytes));
  }

  private void answerAi1(IsakmpSa sa, V1Proposals.ChosenIke chosenIke, IkeHeader h, IkeMessage m, byte[] bytes) {
    try {
      sa.saiB = V1Protect.rawBody(bytes, h, PayloadType.SA_V1.wireValue());
      sa.gxi = MainMode.checkedKe(sa, m);
      sa.ni = MainMode.checkedNonce(m);
    } catch (InvalidSyntaxException ex) {
      p.fail(sa, "AI1: " + ex.getMessage());
      return;
    }
    V1IdPayload idi = m.first(V1IdPayload.class).orElseThrow();
    if (!p.peerIdAcceptable(sa, idi) || !p.loadPsk(sa)) {
      p.fail(sa, "cannot answer Aggressive Mode for this peer");
      return;
    }
    sa.idiiB = idi.body();
    sa.nr = e.randomBytes(Phase1.NONCE_SIZE);
    sa.sender.received(bytes);
    List<Payload> vids = NatTraversal.answerVids(NatTraversal.support(m.all(V1VendorIdPayload.class)));
    V1Proposals.ChosenIke c = chosenIke;
    p.withDh(sa, sa.algs.dh(), dh -> {
      sa.gxr = dh.publicValue();
      p.withKeys(sa, sa.gxi, () -> sendAr1(sa, c, vids));
    });
  }

  private void sendAr1(IsakmpSa sa, V1Proposals.ChosenIke c, List<Payload> vids) {
    V1IdPayload idr = Phase1.ourId(sa.conn);
    List<Payload> msg = new ArrayList<>(List.of(V1Proposals.ikeAnswer(c), new V1KePayload(sa.gxr),
        new V1NoncePayload(sa.nr), idr, new HashPayload(Phase1.hashR(sa, idr.body()))));
    msg.addAll(vids);
    msg.addAll(p.natD(sa));
    e.machine.enter(sa, Event.AI1, "");
    sa.sender.send(IkeCodec.encode(header(sa), msg), null);
  }

  /** AI2's opener: sent encrypted by strongSwan and Openswan, in the clear by others; null (logged) if garbage. */
  V1Protect.Opened openAi2(Packet in) {
    IsakmpSa sa = in.sa();
    if (!in.header().encrypted()) {
      return new V1Protect.Opened(in.outer().payloads(), null, sa.iv);
    }
    try {
      return V1Protect.open(sa, in.header(), in.bytes(), sa.iv);
    } catch (IkeProtocolException ex) {
      V1Log.sa(sa, Outcome.AUTHFAILED, "STATE_AGGR_R1: probable authentication failure (mismatch of preshared"
          + " secrets?): " + ex.getMessage());
      return null;
    }
  }

  void onAi2(Packet in, V1Protect.Opened o) {
    IsakmpSa sa = in.sa();
    List<Payload> payloads = o.payloads();
    byte[] hash = MainMode.first(payloads, HashPayload.class).hash();
    if (!MessageDigest.isEqual(hash, Phase1.hashI(sa, sa.idiiB))) {
      V1Log.sa(sa, Outcome.AUTHFAILED, "STATE_AGGR_R1: received Hash Payload does not match computed value");
      return;
    }
    p.detectNat(sa, payloads.stream().filter(x -> x instanceof NatDPayload).map(x -> (NatDPayload) x).toList());
    p.followPeer(sa, in.local(), in.remote());
    sa.iv = o.nextIv();
    sa.sender.received(in.bytes());
    p.established(sa, Event.AI2);
  }
}
