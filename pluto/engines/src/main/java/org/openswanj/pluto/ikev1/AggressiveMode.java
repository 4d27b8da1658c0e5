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
 * Aggressive Mode (RFC 2409 §5): AI1 SA+KE+Ni+IDii, AR1 SA+KE+Nr+IDir+HASH_R (+NAT-D), AI2 HASH_I (+NAT-D),
 * encrypted as strongSwan and Openswan send it (both forms are accepted). With signatures (§5.1, RSA or RFC
 * 4754 ECDSA): AI1 also carries our CRs, AR1 [CERT,] SIG_R (+CR) instead of HASH_R, AI2 [CERT,] SIG_I. One DH
 * group only, since KE goes with the offer: the first group of {@code ike=}.
 */
final class AggressiveMode {
  private final Ikev1Engine e;
  private final Phase1 p;
  private final V1PeerAuth auth;

  AggressiveMode(Ikev1Engine engine, Phase1 phase1, V1PeerAuth auth) {
    this.e = engine;
    this.p = phase1;
    this.auth = auth;
  }

  private static IkeHeader header(IsakmpSa sa) {
    return IkeHeader.v1(sa.cookieI, sa.cookieR, ExchangeType.AGGRESSIVE, 0, 0);
  }

  void initiate(IsakmpSa sa) {
    List<V1Algs> all = V1Proposals.ikeChoices(sa.conn);
    if (all.isEmpty() || !p.loadAuth(sa)) {
      p.fail(sa, "cannot initiate Aggressive Mode: no IKEv1 algorithm or no " + (V1SigAuth.uses(sa.conn)
          ? "private key" : "pre-shared key"));
      return;
    }
    DhGroup g = all.get(0).dh();
    List<V1Algs> ours = all.stream().filter(a -> a.dh() == g).toList();
    V1SaPayload offer = V1Proposals.ikeOffer(ours, sa.conn.config().ikeLifetime(),
        V1Proposals.wireAuthMethod(sa.conn, true));
    sa.saiB = V1Protect.body(offer);
    V1Log.sa(sa, Outcome.COMMENT, "initiating Aggressive Mode");
    p.withDh(sa, g, dh -> {
      sa.gxi = dh.publicValue();
      List<Payload> msg = new ArrayList<>(List.of(offer, new V1KePayload(sa.gxi), new V1NoncePayload(sa.ni),
          Phase1.ourId(sa.conn)));
      msg.addAll(V1SigAuth.certRequests(sa.conn, e.credentials()));
      msg.addAll(NatTraversal.ourVids());
      msg.addAll(Unity.initiatorVids(sa.conn));
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
    Optional<V1Algs> a = V1Proposals.acceptIke(m.first(V1SaPayload.class).orElseThrow(),
        V1Proposals.ikeChoices(sa.conn), V1Proposals.wireAuthMethod(sa.conn, true));
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
    sa.sender.received(bytes);
    p.withKeys(sa, sa.gxr, () -> {
      byte[] hashR = Phase1.hashR(sa, idr.body());
      if (V1SigAuth.byCertificate(sa.conn)) {
        if (!p.peerIdAcceptable(sa, idr)) {
          p.fail(sa, "peer's ID is not the one this conn expects");
          return;
        }
        auth.checkCertificate(sa, m.payloads(), p.peerIdentity(idr), hashR, () -> sendAi2(sa));
        return;
      }
      Optional<String> bad = auth.problem(sa, m.payloads(), hashR);
      if (bad.isPresent()) {
        V1Log.sa(sa, Outcome.AUTHFAILED, bad.get());
        p.fail(sa, "STATE_AGGR_I1: probable authentication failure" + (sa.authMethod.signature() ? ""
            : " (mismatch of preshared secrets?)"));
        return;
      }
      if (!p.peerIdAcceptable(sa, idr)) {
        p.fail(sa, "peer's ID is not the one this conn expects");
        return;
      }
      sendAi2(sa);
    });
  }

  /** AI2: HDR*, HASH_I (PSK) or [CERT,] SIG_I (RFC 2409 §5.1), and NAT-D; then phase 1 is done for us. */
  private void sendAi2(IsakmpSa sa) {
    List<Payload> nat = p.natD(sa);
    p.floatPorts(sa);
    V1IdPayload id = Phase1.ourId(sa.conn);
    List<Payload> ours = auth.ours(sa, id, Phase1.hashI(sa, id.body()));
    if (ours == null) {
      return;
    }
    List<Payload> msg = new ArrayList<>(ours.subList(1, ours.size())); // IDii went in AI1
    msg.addAll(nat);
    V1Protect.Sealed s = V1Protect.seal(sa, header(sa), msg, sa.iv);
    sa.iv = s.nextIv();
    sa.sender.send(s.bytes(), null);
    p.established(sa, Event.AR1);
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
            V1Proposals.wireAuthMethod(conn, false));
    if (chosen.isEmpty()) {
      e.info.refuseClear(local, remote, h, new NoProposalChosenException("Aggressive Mode from "
          + remote.getAddress().getHostAddress() + ": no aggrmode=yes conn with an acceptable Oakley Transform"
          + (conn == null ? "" : V1Proposals.methodMismatch(m.first(V1SaPayload.class).orElseThrow(), conn, false))));
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
    if (!p.peerIdAcceptable(sa, idi) || !p.loadAuth(sa)) {
      p.fail(sa, "cannot answer Aggressive Mode for this peer");
      return;
    }
    sa.idiiB = idi.body();
    sa.nr = e.randomBytes(Phase1.NONCE_SIZE);
    sa.sender.received(bytes);
    List<Payload> vids = new ArrayList<>(NatTraversal.answerVids(NatTraversal.support(m.all(V1VendorIdPayload.class))));
    vids.addAll(Unity.responderVids(sa.conn, m.all(V1VendorIdPayload.class)));
    V1Proposals.ChosenIke c = chosenIke;
    p.withDh(sa, sa.algs.dh(), dh -> {
      sa.gxr = dh.publicValue();
      p.withKeys(sa, sa.gxi, () -> sendAr1(sa, c, vids));
    });
  }

  private void sendAr1(IsakmpSa sa, V1Proposals.ChosenIke c, List<Payload> vids) {
    V1IdPayload idr = Phase1.ourId(sa.conn);
    List<Payload> ours = auth.ours(sa, idr, Phase1.hashR(sa, idr.body()));
    if (ours == null) {
      return;
    }
    List<Payload> msg = new ArrayList<>(List.of(V1Proposals.ikeAnswer(c), new V1KePayload(sa.gxr),
        new V1NoncePayload(sa.nr)));
    msg.addAll(ours);
    msg.addAll(V1SigAuth.certRequests(sa.conn, e.credentials()));
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
    byte[] hashI = Phase1.hashI(sa, sa.idiiB);
    if (V1SigAuth.byCertificate(sa.conn)) {
      auth.checkCertificate(sa, payloads, sa.peerId, hashI, () -> finishAi2(in, o));
      return;
    }
    Optional<String> bad = auth.problem(sa, payloads, hashI);
    if (bad.isPresent()) {
      V1Log.sa(sa, Outcome.AUTHFAILED, "STATE_AGGR_R1: " + bad.get());
      return;
    }
    finishAi2(in, o);
  }

  private void finishAi2(Packet in, V1Protect.Opened o) {
    IsakmpSa sa = in.sa();
    p.detectNat(sa, o.payloads().stream().filter(x -> x instanceof NatDPayload).map(x -> (NatDPayload) x)
        .toList());
    p.followPeer(sa, in.local(), in.remote());
    sa.iv = o.nextIv();
    sa.sender.received(in.bytes());
    p.established(sa, Event.AI2);
  }
}
