package org.openswanj.pluto.ikev1;

import java.net.InetSocketAddress;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Function;
import org.openswanj.alg.DhGroup;
import org.openswanj.conf.Subnet;
import org.openswanj.kernel.KernelException;
import org.openswanj.pluto.conn.Connection;
import org.openswanj.pluto.conn.ProposalPolicy.EspChoice;
import org.openswanj.pluto.crypto.DiffieHellman;
import org.openswanj.pluto.crypto.Ikev1KeyDerivation;
import org.openswanj.pluto.crypto.InvalidKeException;
import org.openswanj.pluto.engine.EngineMetrics.Drop;
import org.openswanj.pluto.engine.Outcome;
import org.openswanj.pluto.engine.SaEvent;
import org.openswanj.pluto.ike.wire.ExchangeType;
import org.openswanj.pluto.ike.wire.HashPayload;
import org.openswanj.pluto.ike.wire.IdType;
import org.openswanj.pluto.ike.wire.IkeHeader;
import org.openswanj.pluto.ike.wire.IkeProtocolException;
import org.openswanj.pluto.ike.wire.NatOaPayload;
import org.openswanj.pluto.ike.wire.NoProposalChosenException;
import org.openswanj.pluto.ike.wire.TsUnacceptableException;
import org.openswanj.pluto.ike.wire.IntegrityCheckFailedException;
import org.openswanj.pluto.ike.wire.Payload;
import org.openswanj.pluto.ike.wire.V1IdPayload;
import org.openswanj.pluto.ike.wire.V1KePayload;
import org.openswanj.pluto.ike.wire.V1NoncePayload;
import org.openswanj.pluto.ike.wire.V1SaPayload;
import org.openswanj.pluto.ikev1.V1Transitions.Event;
import org.openswanj.pluto.ikev1.V1Transitions.Packet;
import org.openswanj.pluto.ikev1.V1Transitions.Transition;

/**
 * Quick Mode (RFC 2409 §5.5): QI1 HASH(1) SA Ni [KE] [IDci IDcr], QR1 HASH(2) SA Nr [KE] [IDci IDcr], QI2
 * HASH(3); PFS with a KE; UDP-encapsulated modes behind a NAT (RFC 3947 §5.1). Keys and installation are
 * in {@link QuickKeys}.
 */
final class QuickMode {
  static final int NONCE_SIZE = 32;
  /**
   * Quick Modes we initiate on one ISAKMP SA that may wait for their QR1 at once; the rest wait in its pending
   * list and start as these send QI2 or fail. RFC 2409 §5.5 allows any number, but each has its own CBC IV
   * chain (App. B), and strongSwan keeps the IVs of only 3 phase-2 exchanges per IKE SA
   * (charon.max_ikev1_exchanges): a fourth concurrent one evicted the first's IV, so charon could decrypt none
   * of the QI2s of a 2x2 leftsubnets= conn. Two leave room for an Informational of either side.
   */
  static final int MAX_IN_FLIGHT = 2;
  /**
   * Quick Modes the peer may have open with us as responder on one ISAKMP SA (QI1 answered, no QI2 yet). RFC 2409
   * §5.5 sets no limit, but each holds an SPI and an inbound kernel SA until its QI2 or its timeout: a peer that
   * never sends QI2 must not make them without bound. Further QI1s are dropped; the peer retransmits them.
   */
  static final int MAX_RESPONDER_IN_FLIGHT = 16;
  private final Ikev1Engine e;
  private final QuickKeys keys;

  QuickMode(Ikev1Engine engine) {
    this.e = engine;
    this.keys = new QuickKeys(engine);
  }

  private static IkeHeader header(IsakmpSa sa, int mid) {
    return IkeHeader.v1(sa.cookieI, sa.cookieR, ExchangeType.QUICK_MODE, 0, mid);
  }

  // ---- initiator ----

  /**
   * Phase 1 is done (and XAUTH/ModeCfg): the Quick Mode of the ISAKMP SA's own conn, then one for each conn that
   * waited for this ISAKMP SA (Openswan's unpend).
   */
  void initiateAll(IsakmpSa sa) {
    List<Subnet> splits = Unity.quickModeTargets(sa);
    if (splits.isEmpty()) {
      initiate(sa, sa.conn, null, null);
    }
    for (Subnet s : splits) { // Cisco Unity: one Quick Mode to each split network (IKEv1 QM carries one pair)
      initiate(sa, sa.conn, null, null, s);
    }
    initiatePending(sa);
  }

  /**
   * The conns that waited for this ISAKMP SA (also for one that replaced another, which starts none itself), as
   * many as {@link #MAX_IN_FLIGHT} allows; called again whenever one of ours sends QI2 or fails.
   */
  void initiatePending(IsakmpSa sa) {
    while (!sa.pending.isEmpty() && inFlight(sa) < MAX_IN_FLIGHT && !sa.deleting && sa.state != null
        && sa.state.isakmpEstablished()) {
      IsakmpSa.Pending p = sa.pending.remove(0);
      initiate(sa, p.conn(), p.watcher(), p.replacing(), p.split());
    }
  }

  /**
   * {@code q} has left its ISAKMP SA's tables: if it was one of ours that failed before QI2, a Quick Mode held back
   * by {@link #MAX_IN_FLIGHT} may start, once whatever is deleting {@code q} has finished (the ISAKMP SA may be
   * going too).
   */
  void released(QuickSa q) {
    IsakmpSa sa = q.parent;
    if (q.initiator && q.established == null && !sa.pending.isEmpty()) {
      e.guard.schedule(sa, java.time.Duration.ZERO, () -> {
        if (e.live(sa)) {
          initiatePending(sa);
        }
      });
    }
  }

  /** Our Quick Modes on {@code sa} that have not sent QI2 yet (a PFS one computing its DH key included). */
  private static long inFlight(IsakmpSa sa) {
    return sa.quicks.stream().filter(q -> q.initiator && q.established == null).count();
  }

  /**
   * Starts a Quick Mode for {@code c} on an established ISAKMP SA with its peer; {@code watcher} is the whack
   * waiting for it when that is not the ISAKMP SA's own; {@code replacing} is the IPsec SA it rekeys, or null.
   */
  void initiate(IsakmpSa sa, Connection c, org.openswanj.pluto.engine.Watcher watcher, QuickSa replacing) {
    initiate(sa, c, watcher, replacing, replacing == null ? null : replacing.unitySplit);
  }

  /** The same to {@code split}, a Cisco Unity split network, instead of the conn's rightsubnet when not null. */
  void initiate(IsakmpSa sa, Connection c, org.openswanj.pluto.engine.Watcher watcher, QuickSa replacing,
      Subnet split) {
    if (inFlight(sa) >= MAX_IN_FLIGHT) {
      sa.pending.add(new IsakmpSa.Pending(c, watcher, replacing, split));
      V1Log.debug("\"" + c.name() + "\": Quick Mode waits: " + MAX_IN_FLIGHT + " in flight on ISAKMP SA #"
          + sa.serial);
      return;
    }
    int spi;
    try {
      spi = e.installer().allocateSpi(sa.remote.getAddress(), sa.local.getAddress());
    } catch (KernelException ex) {
      V1Log.sa(sa, Outcome.LOG_SERIOUS, "cannot allocate an SPI for Quick Mode: " + ex.getMessage());
      if (watcher != null) {
        watcher.close();
      }
      return;
    }
    QuickSa q = e.newQuick(sa, c, true, e.randomMessageId());
    q.watcher = watcher;
    q.replaces = replacing == null ? 0 : replacing.serial;
    q.inboundSpi = spi;
    q.ni = e.randomBytes(NONCE_SIZE);
    q.transport = c.transportMode();
    // a ModeCfg client's traffic comes from the address the gateway gave it (mode-cfg-05 §2)
    q.clientI = sa.ourModecfgAddress().map(Connection::hostSubnet).orElse(c.localSubnets().get(0));
    q.clientR = split != null ? split : c.remoteSubnets(sa.remote.getAddress()).get(0);
    q.unitySplit = split;
    List<EspChoice> ours = V1Proposals.espChoices(c);
    q.pfs = c.config().pfs() ? Optional.ofNullable(ours.get(0).dh()).orElse(sa.algs.dh()) : null;
    if (q.pfs == null) {
      sendQi1(q, ours);
      return;
    }
    e.guard.offload(sa, () -> DiffieHellman.generate(q.pfs, e.random()), dh -> {
      if (orphaned(q)) {
        return;
      }
      q.dh = dh;
      sendQi1(q, ours);
    }, ex -> V1Log.quick(q, Outcome.LOG_SERIOUS, "cannot make a PFS DH key: " + ex.getMessage()));
  }

  private void sendQi1(QuickSa q, List<EspChoice> ours) {
    IsakmpSa sa = q.parent;
    Connection c = q.conn;
    List<Payload> rest = new ArrayList<>();
    rest.add(V1Proposals.espOffer(ours, q.inboundSpi, q.pfs, encapMode(sa, q.transport), c.config().saLifetime()));
    rest.add(new V1NoncePayload(q.ni));
    if (q.dh != null) {
      rest.add(new V1KePayload(q.dh.publicValue()));
    }
    rest.add(ClientIds.of(q.clientI, c.local().protoPort().protocol(), c.local().protoPort().port()));
    rest.add(ClientIds.of(q.clientR, c.remote().protoPort().protocol(), c.remote().protoPort().port()));
    if (udpTransport(encapMode(sa, q.transport))) {
      // RFC 3947 §5.2: the initiator MUST send NAT-OAi and NAT-OAr when it proposes UDP-Encapsulated-Transport
      rest.addAll(natOa(sa, sa.local.getAddress(), sa.remote.getAddress()));
    }
    q.iv = V1Protect.phase2Iv(sa, q.messageId);
    byte[] a = sa.keys.skeyidA().bytes();
    List<Payload> msg = V1Protect.hashed(t -> Ikev1KeyDerivation.quickHash1(sa.algs.prf(), a, q.messageId, t), rest);
    V1Protect.Sealed s = V1Protect.seal(sa, header(sa, q.messageId), msg, q.iv);
    q.iv = s.nextIv();
    e.machine.enter(q, Event.QUICK_INITIATE, "");
    q.sender.send(s.bytes(), n -> {
      V1Log.quick(q, Outcome.NORETRANSMISSION, "max number of retransmissions (" + n + ") reached STATE_QUICK_I1");
      e.info.deleteQuick(q, false);
      closeWatcher(q);
      e.phase1.negotiationFailed(q.conn);
    });
  }

  /** RFC 2407 §4.5 / RFC 3947 §5.1: plain or UDP-encapsulated, in the RFC's or the draft's numbers. */
  static int encapMode(IsakmpSa sa, boolean transport) {
    boolean udp = sa.natt() && sa.natDetected();
    if (!udp) {
      return transport ? V1Proposals.ENCAP_TRANSPORT : V1Proposals.ENCAP_TUNNEL;
    }
    if (sa.nattRfc) {
      return transport ? V1Proposals.ENCAP_UDP_TRANSPORT : V1Proposals.ENCAP_UDP_TUNNEL;
    }
    return transport ? V1Proposals.ENCAP_UDP_TRANSPORT_DRAFT : V1Proposals.ENCAP_UDP_TUNNEL_DRAFT;
  }

  static boolean udpTransport(int encap) {
    return encap == V1Proposals.ENCAP_UDP_TRANSPORT || encap == V1Proposals.ENCAP_UDP_TRANSPORT_DRAFT;
  }

  /**
   * RFC 3947 §5.2: NAT-OAi (the initiator's original address) and NAT-OAr (the responder's), each as this end
   * sees them; type 21, or the draft's 131 when the draft's NAT-T was negotiated.
   */
  static List<Payload> natOa(IsakmpSa sa, java.net.InetAddress initiator, java.net.InetAddress responder) {
    boolean draft = !sa.nattRfc;
    return List.of(natOa(initiator, draft), natOa(responder, draft));
  }

  private static NatOaPayload natOa(java.net.InetAddress a, boolean draft) {
    return new NatOaPayload(a.getAddress().length == 4 ? IdType.ID_IPV4_ADDR : IdType.ID_IPV6_ADDR, a, draft);
  }

  /** The first NAT-OA of a Quick Mode message: NAT-OAi, the initiator's original address (RFC 3947 §5.2). */
  static Optional<java.net.InetAddress> natOaI(List<Payload> payloads) {
    return payloads.stream().filter(x -> x instanceof NatOaPayload).map(x -> ((NatOaPayload) x).address()).findFirst();
  }

  // ---- receiving ----

  void onMessage(InetSocketAddress local, InetSocketAddress remote, IkeHeader h, byte[] bytes) {
    IsakmpSa sa = e.find(h.initiatorSpi(), h.responderSpi());
    if (sa != null && sa.state != null && sa.state.cfgPending()) {
      // draft-ietf-ipsec-isakmp-xauth-06 §4: no IPsec SA before XAUTH (and a pushed ModeCfg) succeeded
      e.dropped(Drop.UNEXPECTED, "Quick Mode message " + h + " from " + remote + " dropped: #" + sa.serial + " is in " + sa.state
          + ", XAUTH/ModeCfg not finished");
      return;
    }
    if (sa == null || sa.keys == null || !sa.state.isakmpEstablished() || !h.encrypted()) {
      e.dropped(Drop.UNKNOWN_SA, "Quick Mode message " + h + " from " + remote + " without an established ISAKMP SA dropped");
      return;
    }
    if (!remote.getAddress().equals(sa.remote.getAddress())) {
      e.dropped(Drop.WRONG_PEER, "Quick Mode message " + String.format("%08x", h.messageId()) + " for #" + sa.serial + " from "
          + remote + " dropped: the ISAKMP SA's peer is " + sa.remote.getAddress().getHostAddress());
      return;
    }
    e.guard.run(sa, SaEvent.DATAGRAM, () -> onMessage(sa, h, bytes, new InetSocketAddress[] {local, remote}));
  }

  private void onMessage(IsakmpSa sa, IkeHeader h, byte[] bytes, InetSocketAddress[] endpoints) {
    QuickSa q = sa.quicks.stream().filter(x -> x.messageId == h.messageId()).findFirst().orElse(null);
    if (q != null && q.sender.answerDuplicate(bytes)) {
      return;
    }
    if (q == null && sa.usedMessageIds.contains(h.messageId())) {
      // a Quick Mode that finished (or failed) on this ISAKMP SA: a replay, never a new negotiation
      e.dropped(Drop.MESSAGE_ID, "Quick Mode message " + String.format("%08x", h.messageId()) + " from " + sa.remote
          + " dropped: message ID already used on ISAKMP SA #" + sa.serial + " (replay)");
      return;
    }
    if (q == null && responding(sa) >= MAX_RESPONDER_IN_FLIGHT) {
      e.dropped(Drop.HALF_OPEN_LIMIT, "Quick Mode message " + String.format("%08x", h.messageId()) + " from "
          + sa.remote + " dropped: " + MAX_RESPONDER_IN_FLIGHT + " of its Quick Modes wait for their QI2 on ISAKMP SA #"
          + sa.serial);
      return;
    }
    // QI1 starts a new IPsec SA; QR1 is for our QUICK_I1, QI2 for our QUICK_R1; anything else is dropped
    Optional<Transition> t = q != null && q.state == null ? Optional.empty()
        : V1Transitions.inbound(q == null ? null : q.state, ExchangeType.QUICK_MODE);
    if (t.isEmpty()) {
      // RFC 2409 §5.5: a message ID names one Quick Mode; one that is finished takes no more messages (an old QI1
      // replayed while the IPsec SA it made is still live lands here: dropped, and said once, issue 11)
      e.dropped(Drop.MESSAGE_ID, "Quick Mode message " + String.format("%08x", h.messageId()) + " from " + sa.remote
          + " dropped: message ID already used by #" + q.serial + ", which is in "
          + (q.state == null ? "no state yet" : q.state) + " (replay or out of order)");
      return;
    }
    try {
      e.machine.run(e, t.get(), new Packet(sa, q, h, null, bytes, endpoints));
    } catch (IkeProtocolException ex) { // refusals are answered in respond(); what reaches here is a bad message
      V1Log.sa(sa, Outcome.LOG_SERIOUS, "dropping Quick Mode message " + String.format("%08x", h.messageId()) + ": "
          + ex.getMessage());
    }
  }

  /** The peer's Quick Modes on {@code sa} that we answer and that have not finished (computing QR1 or in QUICK_R1). */
  static long responding(IsakmpSa sa) {
    return sa.quicks.stream().filter(q -> !q.initiator && (q.state == null || q.state == Ikev1State.STATE_QUICK_R1))
        .count();
  }

  /** Decrypts and checks the leading HASH against {@code expected(tail)}; a mismatch is a silent drop. */
  static V1Protect.Opened openHashed(IsakmpSa sa, IkeHeader h, byte[] bytes, byte[] iv, String what,
      Function<byte[], byte[]> expected) throws IkeProtocolException {
    V1Protect.Opened o = V1Protect.open(sa, h, bytes, iv);
    if (o.payloads().isEmpty() || !(o.payloads().get(0) instanceof HashPayload hp)) {
      throw new IntegrityCheckFailedException(what + " must start with a HASH payload (RFC 2409 §5.5)");
    }
    if (!MessageDigest.isEqual(hp.hash(), expected.apply(V1Protect.afterFirstPayload(o.plain())))) {
      throw new IntegrityCheckFailedException(what + " does not match computed value");
    }
    return o;
  }

  /** QR1's opener: decrypted with our QI1's IV, HASH(2) checked. */
  V1Protect.Opened openQr1(Packet in) throws IkeProtocolException {
    QuickSa q = in.quick();
    IsakmpSa sa = q.parent;
    byte[] a = sa.keys.skeyidA().bytes();
    return openHashed(sa, in.header(), in.bytes(), q.iv, "HASH(2)",
        t -> Ikev1KeyDerivation.quickHash2(sa.algs.prf(), a, q.messageId, q.ni, t));
  }

  void onQr1(Packet in, V1Protect.Opened o) {
    QuickSa q = in.quick();
    IsakmpSa sa = q.parent;
    byte[] bytes = in.bytes();
    byte[] a = sa.keys.skeyidA().bytes();
    Optional<V1Proposals.ChosenEsp> c = V1Proposals.acceptEsp(MainMode.first(o.payloads(), V1SaPayload.class),
        V1Proposals.espChoices(q.conn), q.pfs);
    Optional<V1KePayload> ke = o.payloads().stream().filter(x -> x instanceof V1KePayload)
        .map(x -> (V1KePayload) x).findFirst();
    if (c.isEmpty() || ke.isPresent() != (q.pfs != null)) {
      V1Log.quick(q, Outcome.LOG_SERIOUS, "the peer's Quick Mode answer is not one of our proposals");
      e.info.deleteQuick(q, false);
      closeWatcher(q);
      e.phase1.negotiationFailed(q.conn);
      return;
    }
    q.nr = MainMode.first(o.payloads(), V1NoncePayload.class).nonce();
    q.natOa = natOaI(o.payloads()).orElse(null);
    q.outboundSpi = V1Proposals.spiInt(c.get().peerSpi());
    q.algs = c.get().choice().withDh(null);
    q.iv = o.nextIv();
    q.sender.received(bytes);
    byte[] gqm = ke.isPresent() ? sharedSecret(q, ke.get()) : null;
    if (ke.isPresent() && gqm == null) {
      return;
    }
    if (!keys.install(q, gqm)) {
      closeWatcher(q);
      return;
    }
    byte[] h3 = Ikev1KeyDerivation.quickHash3(sa.algs.prf(), a, q.messageId, q.ni, q.nr);
    V1Protect.Sealed s = V1Protect.seal(sa, header(sa, q.messageId), List.of(new HashPayload(h3)), q.iv);
    q.iv = s.nextIv();
    q.sender.send(s.bytes(), null);
    keys.established(q, Event.QR1);
    scheduleReplace(q);
    closeWatcher(q);
    initiatePending(sa); // one fewer in flight (MAX_IN_FLIGHT)
  }

  /** g^qm of a PFS Quick Mode; null (logged, SA deleted) if the KE is bad. */
  private byte[] sharedSecret(QuickSa q, V1KePayload ke) {
    try {
      return q.dh.sharedSecret(ke.keyData());
    } catch (InvalidKeException ex) {
      V1Log.quick(q, Outcome.LOG_SERIOUS, "the peer's Quick Mode KE is invalid: " + ex.getMessage());
      e.info.deleteQuick(q, false);
      return null;
    }
  }

  /** QI1's opener: decrypted with the IV of its message ID (RFC 2409 App. B), HASH(1) checked. */
  V1Protect.Opened openQi1(Packet in) throws IkeProtocolException {
    IsakmpSa sa = in.sa();
    int mid = in.header().messageId();
    byte[] a = sa.keys.skeyidA().bytes();
    return openHashed(sa, in.header(), in.bytes(), V1Protect.phase2Iv(sa, mid), "HASH(1)",
        t -> Ikev1KeyDerivation.quickHash1(sa.algs.prf(), a, mid, t));
  }

  void respond(Packet in, V1Protect.Opened o) throws IkeProtocolException {
    IsakmpSa sa = in.sa();
    int mid = in.header().messageId();
    byte[] bytes = in.bytes();
    V1SaPayload offer = MainMode.first(o.payloads(), V1SaPayload.class);
    try {
      choose(sa, mid, o, offer, bytes);
    } catch (NoProposalChosenException | TsUnacceptableException ex) {
      e.info.refuseQuick(sa, ex, offer.proposals().isEmpty() ? null : offer.proposals().get(0));
    }
  }

  /** The conn whose clients IDci/IDcr are, and its proposal; a refusal is thrown as its typed exception. */
  private void choose(IsakmpSa sa, int mid, V1Protect.Opened o, V1SaPayload offer, byte[] bytes)
      throws IkeProtocolException {
    List<V1IdPayload> ids = o.payloads().stream().filter(x -> x instanceof V1IdPayload).map(x -> (V1IdPayload) x)
        .toList();
    // RFC 2409 §5.5: without client IDs, the ISAKMP SA's own addresses are the clients
    Subnet ci = ids.isEmpty() ? Connection.hostSubnet(sa.remote.getAddress())
        : ClientIds.subnet(ids.get(0)).orElse(null);
    Subnet cr = ids.isEmpty() ? Connection.hostSubnet(sa.local.getAddress())
        : ClientIds.subnet(ids.get(1)).orElse(null);
    // a ModeCfg client's Quick Mode comes from the address we gave it (mode-cfg-05 §2)
    boolean vip = ci != null && sa.modecfgAddress().map(v -> Connection.hostSubnet(v).equals(ci)).orElse(false);
    Connection c = ci == null || cr == null ? null
        : vip && Unity.wideFromClient(e, sa, cr) ? sa.conn
        : vip ? Optional.ofNullable(e.clientConnection(sa, ci, cr, true))
            .orElseGet(() -> e.clientConnection(sa, ci, cr, false))
        : e.clientConnection(sa, ci, cr, false);
    if (c == null) {
      // RFC 2407 §4.6.2 / RFC 2409 §5.5: client IDs outside every conn are INVALID_ID_INFORMATION in IKEv1
      String why = ci == null || cr == null ? "" : e.virtualRefusal(sa, ci, cr).map(w -> ": " + w).orElse("");
      throw new TsUnacceptableException("cannot respond to IPsec SA request because no connection is known for "
          + (ci == null ? "?" : ci) + "===" + (cr == null ? "?" : cr) + why);
    }
    Optional<V1KePayload> ke = o.payloads().stream().filter(x -> x instanceof V1KePayload)
        .map(x -> (V1KePayload) x).findFirst();
    Optional<V1Proposals.ChosenEsp> chosen = V1Proposals.chooseEsp(offer, V1Proposals.espChoices(c), ke.isPresent(),
        c.config().pfs());
    if (chosen.isEmpty() || (ke.isPresent()
        && ke.get().keyData().length != chosen.get().choice().dh().publicValueSize())) {
      throw new NoProposalChosenException("no acceptable Quick Mode proposal");
    }
    startResponder(sa, c, mid, o, chosen.get(), ke.orElse(null), ids, ci, cr, bytes);
  }

  /**
   * Whether IDci/IDcr are {@code c}'s clients (a ModeCfg client's own address counts as its peer client, and so does
   * what a {@code rightsubnet=vhost:}/{@code vnet:} conn allows, Openswan's is_virtual_net_allowed).
   */
  static boolean fits(IsakmpSa sa, Connection c, Subnet ci, Subnet cr, boolean vip,
      org.openswanj.conf.VirtualPrivate virtualPrivate) {
    // a virtual conn's list decides alone: its peer's own address needs %no (Openswan's fc_try)
    boolean peer = c.remoteVirtual().map(v -> v.refusal(ci, sa.remote.getAddress(), virtualPrivate).isEmpty())
        .orElseGet(() -> c.remoteSubnets(sa.remote.getAddress()).contains(ci));
    return (vip || peer) && c.localSubnets().contains(cr);
  }

  private void startResponder(IsakmpSa sa, Connection c, int mid, V1Protect.Opened o, V1Proposals.ChosenEsp chosen,
      V1KePayload ke, List<V1IdPayload> ids, Subnet ci, Subnet cr, byte[] bytes) {
    int spi;
    try {
      spi = e.installer().allocateSpi(sa.remote.getAddress(), sa.local.getAddress());
    } catch (KernelException ex) {
      V1Log.sa(sa, Outcome.LOG_SERIOUS, "cannot allocate an SPI: " + ex.getMessage());
      return;
    }
    QuickSa q = e.newQuick(sa, c, false, mid);
    q.inboundSpi = spi;
    q.outboundSpi = V1Proposals.spiInt(chosen.peerSpi());
    q.algs = chosen.choice().withDh(null);
    q.pfs = chosen.choice().dh();
    q.transport = V1Proposals.transportEncap(chosen.encap());
    q.ni = MainMode.first(o.payloads(), V1NoncePayload.class).nonce();
    q.nr = e.randomBytes(NONCE_SIZE);
    q.clientI = ci;
    q.clientR = cr;
    if (Connection.hostSubnet(sa.modecfgAddress().orElse(sa.remote.getAddress())).equals(ci)
        && Unity.wideFromClient(e, sa, cr)) {
      q.unityLocal = Unity.serverSplits(e, sa);
      V1Log.sa(sa, Outcome.COMMENT, "Cisco Unity client proposes " + cr + " for our side: policies for the split"
          + " networks " + Unity.join(q.unityLocal) + " only");
    }
    q.ids = List.copyOf(ids);
    q.natOa = natOaI(o.payloads()).orElse(null);
    if (c.remoteVirtual().isPresent()) {
      // Openswan's rw_instantiate: "l2tp-psk"[1] for this client; its rekeys find that instance again
      q.instance = e.ipsecSas().stream().filter(x -> x != q && x.conn == c && x.instance > 0 && ci.equals(x.clientI)
          && x.parent.remote.getAddress().equals(sa.remote.getAddress())).mapToInt(x -> x.instance).findFirst()
          .orElseGet(c::nextInstance);
    }
    q.iv = o.nextIv();
    q.sender.received(bytes);
    if (ke == null) {
      sendQr1(q, chosen, null);
      return;
    }
    e.guard.offload(q.parent, () -> {
      var dh = DiffieHellman.generate(q.pfs, e.random());
      try {
        return new Object[] {dh, dh.sharedSecret(ke.keyData())};
      } catch (InvalidKeException ex) {
        throw new IllegalArgumentException("the peer's Quick Mode KE is invalid: " + ex.getMessage());
      }
    }, r -> {
      if (orphaned(q)) {
        return;
      }
      q.dh = (org.openswanj.pluto.crypto.DhKeyPair) r[0];
      sendQr1(q, chosen, (byte[]) r[1]);
    }, ex -> {
      V1Log.quick(q, Outcome.LOG_SERIOUS, ex.getMessage());
      e.info.deleteQuick(q, false);
    });
  }

  private void sendQr1(QuickSa q, V1Proposals.ChosenEsp chosen, byte[] gqm) {
    IsakmpSa sa = q.parent;
    if (!keys.installInbound(q, gqm)) {
      return;
    }
    List<Payload> rest = new ArrayList<>();
    rest.add(V1Proposals.espAnswer(chosen, q.inboundSpi));
    rest.add(new V1NoncePayload(q.nr));
    if (q.dh != null) {
      rest.add(new V1KePayload(q.dh.publicValue()));
    }
    rest.addAll(q.ids);
    if (udpTransport(chosen.encap())) {
      // RFC 3947 §5.2: the responder MUST send NAT-OA only if it selected UDP-Encapsulated-Transport
      rest.addAll(natOa(sa, sa.remote.getAddress(), sa.local.getAddress()));
    }
    byte[] a = sa.keys.skeyidA().bytes();
    List<Payload> msg = V1Protect.hashed(
        t -> Ikev1KeyDerivation.quickHash2(sa.algs.prf(), a, q.messageId, q.ni, t), rest);
    V1Protect.Sealed s = V1Protect.seal(sa, header(sa, q.messageId), msg, q.iv);
    q.iv = s.nextIv();
    e.machine.enter(q, Event.QI1, "");
    // as Openswan's STATE_QUICK_R1: QR1 is resent until QI2 comes; then the half SA is given up
    q.sender.send(s.bytes(), n -> {
      V1Log.quick(q, Outcome.NORETRANSMISSION, "max number of retransmissions (" + n + ") reached STATE_QUICK_R1");
      e.info.deleteQuick(q, false);
    });
  }

  /** QI2's opener: decrypted with our QR1's IV, HASH(3) checked. */
  V1Protect.Opened openQi2(Packet in) throws IkeProtocolException {
    QuickSa q = in.quick();
    IsakmpSa sa = q.parent;
    byte[] a = sa.keys.skeyidA().bytes();
    byte[] want = Ikev1KeyDerivation.quickHash3(sa.algs.prf(), a, q.messageId, q.ni, q.nr);
    return openHashed(sa, in.header(), in.bytes(), q.iv, "HASH(3)", t -> want);
  }

  void onQi2(Packet in, V1Protect.Opened o) {
    QuickSa q = in.quick();
    q.iv = o.nextIv();
    q.sender.received(in.bytes());
    // HASH(3) proved the initiator has the keys: only now does our traffic move to the new SA
    if (!keys.installOutbound(q)) {
      return;
    }
    keys.established(q, Event.QI2);
  }

  // ---- rekey (Openswan's EVENT_SA_REPLACE) ----

  void scheduleReplace(QuickSa q) {
    Connection c = q.conn;
    Duration life = c.config().saLifetime();
    long fuzz = c.config().rekeyMargin().toMillis() * c.config().rekeyFuzzPercent() / 100;
    Duration margin = c.config().rekeyMargin().plusMillis(fuzz <= 0 ? 0 : (long) (e.random().nextDouble() * fuzz));
    if (c.config().rekey() && life.compareTo(margin) > 0) {
      q.replaceTimer = e.guard.schedule(q.parent, life.minus(margin), () -> replace(q));
    }
  }

  /** A new Quick Mode for {@code q}'s conn (a new Main Mode first if its ISAKMP SA is gone). */
  void replace(QuickSa q) {
    if (q.rekeyed || !q.installed) {
      return;
    }
    q.rekeyed = true;
    IsakmpSa sa = q.parent;
    if (!sa.deleting && sa.state.isakmpEstablished() && e.live(sa)) {
      V1Log.quick(q, Outcome.COMMENT, "initiating Quick Mode to replace #" + q.serial);
      initiate(sa, q.conn, null, q);
    } else {
      e.initiate(q.conn, null); // through find_phase1_state: instances rekeying together share a new phase 1
    }
  }

  /**
   * Whether {@code q}'s ISAKMP SA was deleted (and {@code q} forgotten with it) while its PFS DH ran on a helper: a
   * phase-1 replacement's Delete can overtake a Quick Mode in progress. Its keys are wiped, so the exchange ends
   * here; an initiator's rekey starts again on the conn's newest ISAKMP SA.
   */
  private boolean orphaned(QuickSa q) {
    if (e.quickSa(q.serial) == q && e.live(q.parent)) {
      return false;
    }
    V1Log.quick(q, Outcome.COMMENT, "ISAKMP SA #" + q.parent.serial + " was deleted during this Quick Mode; abandoning it");
    QuickSa old = q.replaces == 0 ? null : e.quickSa(q.replaces);
    if (old != null && old.installed) {
      old.rekeyed = false;
      replace(old);
    }
    return true;
  }

  /** The whack waiting for this Quick Mode gets its answer: its own, or the ISAKMP SA's. */
  private static void closeWatcher(QuickSa q) {
    if (q.watcher != null) {
      q.watcher.close();
      q.watcher = null;
      return;
    }
    IsakmpSa sa = q.parent;
    if (sa.watcher != null) {
      sa.watcher.close();
      sa.watcher = null;
    }
  }
}
