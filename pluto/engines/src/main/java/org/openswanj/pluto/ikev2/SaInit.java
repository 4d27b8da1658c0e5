package org.openswanj.pluto.ikev2;

import org.openswanj.pluto.engine.EngineMetrics.Drop;
import org.openswanj.pluto.engine.EventLoop;
import org.openswanj.pluto.engine.IkeSettings;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.openswanj.alg.DhGroup;
import org.openswanj.conf.Ikev2Policy;
import org.openswanj.pluto.conn.Connection;
import org.openswanj.pluto.conn.ProposalPolicy.IkeChoice;
import org.openswanj.pluto.crypto.DhKeyPair;
import org.openswanj.pluto.crypto.DiffieHellman;
import org.openswanj.pluto.crypto.IkeSaKeys;
import org.openswanj.pluto.crypto.Ikev2KeyDerivation;
import org.openswanj.pluto.crypto.InvalidKeException;
import org.openswanj.pluto.crypto.SkCipher;
import org.openswanj.pluto.engine.Outcome;
import org.openswanj.pluto.engine.Watcher;
import org.openswanj.pluto.ike.wire.ExchangeType;
import org.openswanj.pluto.ike.wire.IkeHeader;
import org.openswanj.pluto.ike.wire.IkeProtocolException;
import org.openswanj.pluto.ike.wire.InvalidKePayloadException;
import org.openswanj.pluto.ike.wire.NoProposalChosenException;
import org.openswanj.pluto.ike.wire.Ikev2Fragmentation;
import org.openswanj.pluto.ike.wire.KePayload;
import org.openswanj.pluto.ike.wire.NoncePayload;
import org.openswanj.pluto.ike.wire.NotifyPayload;
import org.openswanj.pluto.ike.wire.NotifyType;
import org.openswanj.pluto.ike.wire.Payload;
import org.openswanj.pluto.ike.wire.SaPayload;

/** IKE_SA_INIT (RFC 7296 §1.2), both roles: proposals, KE, nonces, COOKIE (§2.6), INVALID_KE (§1.3), NAT-D (§2.23). */
final class SaInit {
  /** RFC 7296 §2.10: nonces at least half the PRF key size and at least 128 bits; 32 bytes covers SHA2-512. */
  static final int NONCE_SIZE = 32;
  private static final int MAX_INIT_RETRIES = 3;
  /** Keying attempts waiting out a refusal's back-off, by conn (loop thread only). */
  private final java.util.Map<Connection, EventLoop.Timer> retries = new java.util.HashMap<>();
  private final Ikev2Engine e;

  SaInit(Ikev2Engine engine) {
    this.e = engine;
  }

  // ---- initiator ----

  void initiate(Connection conn, Watcher watcher, int keyingTry) {
    if (conn.remoteHost().isEmpty()) {
      if (watcher != null) {
        watcher.line(Outcome.NOPEERIP, "\"" + conn.name() + "\": cannot initiate connection without knowing peer IP address (kind=CK_TEMPLATE)");
        watcher.close();
      }
      return;
    }
    if (conn.config().ikev2() == Ikev2Policy.NEVER) {
      if (watcher != null) {
        watcher.line(Outcome.LOG_SERIOUS, "\"" + conn.name() + "\": cannot initiate: ikev2=never and this pluto has no IKEv1");
        watcher.close();
      }
      return;
    }
    IkeSa sa = new IkeSa(e.nextSerial(), conn, true);
    sa.spiI = randomSpi();
    sa.local = new InetSocketAddress(conn.localHost(), e.settings().ikePort());
    sa.remote = new InetSocketAddress(conn.remoteHost().get(), e.settings().ikePort());
    sa.watcher = watcher;
    sa.keyingTry = keyingTry;
    sa.ni = randomBytes(NONCE_SIZE);
    e.machine.enter(sa, V2Transitions.Event.INITIATE, ""); // status shows it while the helper makes the DH key
    e.sas.register(sa);
    e.metrics().handshakeStarted(org.openswanj.pluto.engine.EngineMetrics.IkeVersion.IKEV2);
    conn.setNewestIkeSa(sa.serial);
    if (conn.config().ikev2() == Ikev2Policy.PERMIT) {
      SaLog.ike(sa, Outcome.COMMENT, "ikev2=permit: initiating with IKEv2 (this pluto has no IKEv1 yet)");
    }
    if (keyingTry > 1) {
      SaLog.ike(sa, Outcome.COMMENT, "starting keying attempt " + keyingTry + " of "
          + (conn.config().keyingTries() == 0 ? "an unlimited number" : "at most " + conn.config().keyingTries()));
    }
    SaLog.ike(sa, Outcome.COMMENT, "initiating v2 parent SA");
    sendInit(sa, conn.proposals().preferredGroup());
  }

  private void sendInit(IkeSa sa, DhGroup group) {
    e.guard.offload(sa, () -> DiffieHellman.generate(group, e.random()), dh -> {
      if (sa.deleting) {
        return;
      }
      sa.dh = dh;
      sa.window.restartInit();
      List<Payload> p = new ArrayList<>();
      if (sa.cookie != null) {
        p.add(new NotifyPayload(NotifyType.COOKIE, sa.cookie)); // §2.6: COOKIE first
      }
      p.add(Proposals.ikeOffer(sa.conn.proposals(), new byte[0], group));
      p.add(new KePayload(group.id(), dh.publicValue()));
      p.add(new NoncePayload(sa.ni));
      p.addAll(NatDetection.payloads(sa.spiI, 0, sa.local, sa.remote, sa.conn.config().forceEncaps()));
      if (CertAuth.signatures(sa.conn)) {
        p.add(CertAuth.hashNotify()); // RFC 7427 §4: we accept method 14 with these hashes
      }
      if (Fragments.announce(sa)) {
        p.add(Ikev2Fragmentation.supportedNotify()); // RFC 7383 §2.3: we reassemble fragments
      }
      // the response goes to its row's handler, onInitResponse
      e.messenger.request(sa, ExchangeType.IKE_SA_INIT, p, "IKE_SA_INIT request",
          r -> retryOrFail(sa, "no response to IKE_SA_INIT"));
      e.machine.enter(sa, V2Transitions.Event.IKE_SA_INIT_SENT, "");
    }, ex -> fail(sa, "cannot make a DH key: " + ex.getMessage()));
  }

  /** The IKE_SA_INIT response, its shape checked ({@link V2Transitions}): a COOKIE, a group, a refusal, or keys. */
  void onInitResponse(IkeSa sa, Ikev2Message r) {
    Optional<NotifyPayload> cookie = r.notify(NotifyType.COOKIE);
    if (cookie.isPresent() && r.first(SaPayload.class).isEmpty()) {
      if (++sa.invalidKeRetries > MAX_INIT_RETRIES) {
        fail(sa, "peer keeps asking for a COOKIE");
        return;
      }
      SaLog.ike(sa, Outcome.COMMENT, "received COOKIE; resending IKE_SA_INIT with it (RFC 7296 §2.6)");
      sa.cookie = cookie.get().data();
      sendInit(sa, sa.dh.group());
      return;
    }
    Optional<NotifyPayload> invalidKe = r.notify(NotifyType.INVALID_KE_PAYLOAD);
    if (invalidKe.isPresent()) {
      handleInvalidKe(sa, invalidKe.get());
      return;
    }
    Optional<NotifyPayload> err = r.error();
    if (err.isPresent()) {
      // RFC 7296 §2.21.1: an error in an IKE_SA_INIT response is unprotected, and a peer that is still loading its
      // conns (a restart) refuses for now, not for good: one failed keying attempt, retried later per keyingtries
      Ikev2Engine.failing(sa, Ikev2Engine.failureOf(err.get().type()));
      retryLater(sa, "received " + err.get().type() + " in response to IKE_SA_INIT");
      return;
    }
    acceptInitResponse(sa, r);
  }

  private void handleInvalidKe(IkeSa sa, NotifyPayload n) {
    int want = n.data().length == 2 ? ByteBuffer.wrap(n.data()).getShort() & 0xffff : -1;
    Optional<DhGroup> g = DhGroup.fromId(want);
    if (g.isEmpty() || !sa.conn.proposals().allowsGroup(g.get()) || ++sa.invalidKeRetries > MAX_INIT_RETRIES) {
      fail(sa, "peer asks for DH group " + want + " which this conn does not allow");
      return;
    }
    SaLog.ike(sa, Outcome.COMMENT, "received INVALID_KE_PAYLOAD; resending IKE_SA_INIT with group " + g.get().configName());
    sendInit(sa, g.get());
  }

  private void acceptInitResponse(IkeSa sa, Ikev2Message r) {
    SaPayload saP = r.first(SaPayload.class).orElseThrow();
    Optional<IkeChoice> chosen = Proposals.acceptedIke(saP, sa.conn.proposals());
    KePayload ke = r.first(KePayload.class).orElseThrow();
    if (chosen.isEmpty() || chosen.get().dh() != sa.dh.group() || ke.dhGroup() != sa.dh.group().id()) {
      fail(sa, "peer's IKE_SA_INIT answer is not one of our proposals (or its KE group differs)");
      return;
    }
    byte[] nr = r.first(NoncePayload.class).orElseThrow().nonce();
    if (nr.length < 16 || nr.length > 256) {
      fail(sa, "peer's nonce has " + nr.length + " bytes (RFC 7296 §3.9: 16..256)");
      return;
    }
    long oldR = sa.spiR;
    sa.spiR = r.header().responderSpi();
    e.sas.rekeyed(sa, oldR);
    sa.algs = chosen.get();
    sa.nr = nr;
    sa.initResponse = r.raw();
    CertAuth.readInit(sa, r);
    Fragments.negotiated(sa, r.payloads(), Fragments.announce(sa));
    sa.natRemote = NatDetection.peerBehindNat(r, sa.spiI, sa.spiR, sa.remote) || sa.conn.config().forceEncaps();
    sa.natLocal = NatDetection.weAreBehindNat(r, sa.spiI, sa.spiR, sa.local);
    byte[] peerKe = ke.keyData();
    DhKeyPair mine = sa.dh;
    IkeChoice algs = sa.algs;
    byte[] ni = sa.ni;
    long spiI = sa.spiI;
    long spiR = sa.spiR;
    e.guard.offload(sa, () -> deriveWith(mine, algs, ni, nr, peerKe, spiI, spiR), keys -> {
      if (sa.deleting) {
        return; // deleted while the helper worked: STATE_IKESA_DEL has no way out
      }
      installKeys(sa, keys, e.random());
      if (sa.natDetected()) {
        // RFC 7296 §2.23: after NAT detection, IKE moves to port 4500
        sa.local = new InetSocketAddress(sa.local.getAddress(), e.settings().nattPort());
        sa.remote = new InetSocketAddress(sa.remote.getAddress(), e.settings().nattPort());
      }
      e.auth.initiate(sa);
    }, ex -> fail(sa, ex.getMessage()));
  }

  private IkeSaKeys derive(IkeSa sa, byte[] peerKe) {
    return deriveWith(sa.dh, sa.algs, sa.ni, sa.nr, peerKe, sa.spiI, sa.spiR);
  }

  /** Runs on a helper: g^ir and the key schedule (RFC 7296 §2.14). Touches no SA state. */
  private static IkeSaKeys deriveWith(DhKeyPair dh, IkeChoice a, byte[] ni, byte[] nr, byte[] peerKe, long spiI,
      long spiR) {
    try {
      byte[] gir = dh.sharedSecret(peerKe);
      IkeSaKeys k = Ikev2KeyDerivation.initial(a.prf(), a.enc(), a.keyBits(), a.integ(), ni, nr, gir, spiI, spiR);
      java.util.Arrays.fill(gir, (byte) 0);
      return k;
    } catch (InvalidKeException ex) {
      throw new IllegalArgumentException("peer's KE payload is invalid: " + ex.getMessage());
    }
  }

  /** SK_e/SK_a in the direction of each side (RFC 7296 §2.14: SK_ei/SK_ai protect the initiator's messages). */
  static void installKeys(IkeSa sa, IkeSaKeys k, java.security.SecureRandom random) {
    IkeChoice a = sa.algs;
    byte[] ai = a.integ() == null ? null : k.skAi().bytes();
    byte[] ar = a.integ() == null ? null : k.skAr().bytes();
    SkCipher fromI = SkCipher.create(a.enc(), a.keyBits(), a.integ(), k.skEi().bytes(), ai, random);
    SkCipher fromR = SkCipher.create(a.enc(), a.keyBits(), a.integ(), k.skEr().bytes(), ar, random);
    sa.keys = k;
    sa.sendCipher = sa.originalInitiator ? fromI : fromR;
    sa.recvCipher = sa.originalInitiator ? fromR : fromI;
  }

  private void retryOrFail(IkeSa sa, String why) {
    int tries = sa.conn.config().keyingTries();
    Watcher w = sa.watcher;
    Connection conn = sa.conn;
    int next = sa.keyingTry + 1;
    List<IkeSa.Pending> waiting = List.copyOf(sa.pending);
    sa.pending.clear();
    e.informational.discard(sa);
    if (tries == 0 || next <= tries) {
      sa.watcher = null;
      SaLog.conn(conn.name(), why + "; starting keying attempt " + next);
      initiate(conn, w, next);
      // the conns waiting for this peer wait for the next attempt (as IKEv1's pending)
      e.ikeSas().stream().filter(x -> x.serial == conn.newestIkeSa()).findFirst()
          .ifPresentOrElse(x -> x.pending.addAll(waiting), () -> closeWaiting(waiting));
    } else {
      closeWaiting(waiting);
      if (w != null) {
        w.line(Outcome.NORETRANSMISSION, "\"" + conn.name() + "\" #" + sa.serial + ": " + why + "; giving up after "
            + tries + " keying attempts");
        w.close();
      }
      negotiationFailed(conn);
    }
  }

  private static void closeWaiting(List<IkeSa.Pending> waiting) {
    for (IkeSa.Pending p : waiting) {
      if (p.watcher() != null && !p.watcher().closed()) {
        p.watcher().line(Outcome.LOG_SERIOUS, "\"" + p.conn().name() + "\": the IKE SA it waited for failed");
        p.watcher().close();
      }
    }
  }

  /** This conn's negotiation is over without an SA: a routed conn gets its failureshunt= (or its %trap back). */
  void negotiationFailed(Connection conn) {
    e.installer().negotiationFailed(conn).ifPresent(line -> SaLog.conn(conn.name(), line));
  }

  /** Delay before keying attempt {@code next} after a refusal: 1 s, doubling, at most 30 s. */
  static Duration refusalBackoff(int next) {
    return Duration.ofSeconds(Math.min(30L, 1L << Math.min(5, Math.max(0, next - 2))));
  }

  /**
   * The peer refused this attempt: log it, and start the next one after {@link #refusalBackoff} unless keyingtries
   * are spent, the conn was deleted meanwhile, or another IKE SA for it has started since.
   */
  private void retryLater(IkeSa sa, String why) {
    int tries = sa.conn.config().keyingTries();
    Watcher w = sa.watcher;
    Connection conn = sa.conn;
    int next = sa.keyingTry + 1;
    SaLog.ike(sa, Outcome.LOG_SERIOUS, why);
    e.informational.discard(sa);
    if (tries != 0 && next > tries) {
      if (w != null) {
        w.line(Outcome.NORETRANSMISSION, "\"" + conn.name() + "\" #" + sa.serial + ": " + why + "; giving up after "
            + tries + " keying attempts");
        w.close();
      }
      negotiationFailed(conn);
      return;
    }
    if (w != null) {
      // whack does not wait through a back-off it cannot shorten; pluto keeps trying on its own
      w.line(Outcome.COMMENT, "\"" + conn.name() + "\" #" + sa.serial + ": " + why + "; keying attempt " + next
          + " follows in " + refusalBackoff(next).toSeconds() + " s");
      w.close();
    }
    cancelRetry(conn);
    retries.put(conn, e.loop().schedule(refusalBackoff(next), () -> {
      retries.remove(conn);
      if (!e.connections().contains(conn) || conn.newestIkeSa() != 0) {
        return; // deleted, or another IKE SA started while we waited
      }
      SaLog.conn(conn.name(), why + "; starting keying attempt " + next);
      initiate(conn, null, next);
    }));
  }

  /** {@code auto --down} or a delete: a keying attempt waiting out a back-off does not start. */
  void cancelRetry(Connection conn) {
    EventLoop.Timer t = retries.remove(conn);
    if (t != null) {
      t.cancel();
    }
  }

  void fail(IkeSa sa, String why) {
    SaLog.ike(sa, Outcome.LOG_SERIOUS, why);
    Watcher w = sa.watcher;
    e.informational.discard(sa);
    if (w != null) {
      w.close();
    }
    if (sa.originalInitiator) {
      negotiationFailed(sa.conn);
    }
  }

  // ---- responder ----

  /** A first IKE_SA_INIT, its shape checked ({@link V2Transitions}): a new responder SA, or refused. */
  void respond(InetSocketAddress local, InetSocketAddress remote, Ikev2Message m) {
    try {
      accept(local, remote, m.header(), m);
    } catch (IkeProtocolException ex) {
      refuse(local, remote, m.header(), ex);
    }
  }

  /** RFC 7296 §2.21.1: a refused IKE_SA_INIT is answered unprotected and leaves no state. */
  void refuse(InetSocketAddress local, InetSocketAddress remote, IkeHeader h, IkeProtocolException ex) {
    SaLog.global("IKE_SA_INIT from " + remote.getAddress().getHostAddress() + " refused: " + ex.getMessage()
        + ": answering " + ex.notifyType());
    if (ex instanceof NoProposalChosenException) {
      refusedStateless(); // INVALID_KE_PAYLOAD is not a failure: the initiator tries again with that group
    }
    e.messenger.respondStateless(local, remote, h, List.of(ex.toNotify()));
  }

  private void accept(InetSocketAddress local, InetSocketAddress remote, IkeHeader h, Ikev2Message m)
      throws IkeProtocolException {
    byte[] ni = m.first(NoncePayload.class).orElseThrow().nonce();
    IkeSettings.FloodLimits flood = e.settings().flood();
    if (e.halfOpen() >= flood.cookieThreshold()) {
      byte[] cookie = m.notify(NotifyType.COOKIE).map(NotifyPayload::data).orElse(null);
      if (!e.cookies.valid(cookie, ni, remote.getAddress(), h.initiatorSpi(), e.loop().now())) {
        // RFC 7296 §2.6: under load, answer with a COOKIE and keep no state
        e.messenger.respondStateless(local, remote, h, List.of(new NotifyPayload(NotifyType.COOKIE,
            e.cookies.make(ni, remote.getAddress(), h.initiatorSpi(), e.loop().now()))));
        return;
      }
    }
    // the cookie proved the address; these caps bound what a real address, or all of them, may hold (§2.6)
    if (e.halfOpen() >= flood.maxHalfOpen()) {
      e.dropped(Drop.HALF_OPEN_LIMIT, "IKE_SA_INIT from " + remote.getAddress().getHostAddress() + " dropped: " + e.halfOpen()
          + " half-open IKE SAs, the limit");
      return;
    }
    if (e.halfOpen.from(remote.getAddress()) >= flood.maxHalfOpenPerAddress()) {
      e.dropped(Drop.HALF_OPEN_LIMIT, "IKE_SA_INIT from " + remote.getAddress().getHostAddress() + " dropped: it holds "
          + flood.maxHalfOpenPerAddress() + " half-open IKE SAs, the limit per address");
      return;
    }
    Connection conn = findConnection(local, remote);
    if (conn == null) {
      throw new NoProposalChosenException("no connection for IKEv2 to " + local.getAddress().getHostAddress());
    }
    KePayload ke = m.first(KePayload.class).orElseThrow();
    SaPayload offer = m.first(SaPayload.class).orElseThrow();
    Optional<Proposals.Chosen<IkeChoice>> chosen = Proposals.chooseIke(offer, conn.proposals(), ke.dhGroup());
    if (chosen.isEmpty()) {
      throw new NoProposalChosenException("\"" + conn.name() + "\": no acceptable proposal");
    }
    if (chosen.get().choice().dh().id() != ke.dhGroup()) {
      // RFC 7296 §1.3: tell the initiator which group we want
      throw new InvalidKePayloadException(chosen.get().choice().dh().id(), "\"" + conn.name() + "\": KE of group "
          + ke.dhGroup() + ", the chosen proposal's is " + chosen.get().choice().dh().id());
    }
    startResponder(conn, local, remote, m, chosen.get(), ni, ke);
  }

  /** A handshake refused before any state was kept: it started and failed at once (for whack --metrics). */
  private void refusedStateless() {
    e.metrics().handshakeStarted(org.openswanj.pluto.engine.EngineMetrics.IkeVersion.IKEV2);
    e.metrics().handshakeFailed(org.openswanj.pluto.engine.EngineMetrics.IkeVersion.IKEV2, org.openswanj.pluto.engine.EngineMetrics.Failure.NO_PROPOSAL);
  }

  private void startResponder(Connection conn, InetSocketAddress local, InetSocketAddress remote, Ikev2Message m,
      Proposals.Chosen<IkeChoice> chosen, byte[] ni, KePayload ke) {
    IkeSa sa = new IkeSa(e.nextSerial(), conn, false);
    sa.spiI = m.header().initiatorSpi();
    sa.spiR = randomSpi();
    sa.local = local;
    sa.remote = remote;
    sa.algs = chosen.choice();
    e.metrics().handshakeStarted(org.openswanj.pluto.engine.EngineMetrics.IkeVersion.IKEV2);
    sa.ni = ni;
    sa.nr = randomBytes(NONCE_SIZE);
    sa.initRequest = m.raw();
    CertAuth.readInit(sa, m);
    // RFC 7383 §2.3: the responder announces support only in answer to the initiator's notify
    Fragments.negotiated(sa, m.payloads(), Fragments.announce(sa) && Ikev2Fragmentation.peerSupports(m.payloads()));
    sa.natRemote = NatDetection.peerBehindNat(m, sa.spiI, 0, remote);
    sa.natLocal = NatDetection.weAreBehindNat(m, sa.spiI, 0, local);
    e.machine.enter(sa, V2Transitions.Event.IKE_SA_INIT_REQUEST, ""); // told once answered
    e.sas.register(sa);
    e.halfOpen.add(sa);
    byte[] peerKe = ke.keyData();
    DhGroup group = chosen.choice().dh();
    e.guard.offload(sa, () -> {
      DhKeyPair dh = DiffieHellman.generate(group, e.random());
      return new Object[] {dh, deriveWith(dh, sa.algs, ni, sa.nr, peerKe, sa.spiI, sa.spiR)};
    }, res -> {
      if (sa.deleting) {
        return; // deleted while the helper worked: nothing to answer for
      }
      sa.dh = (DhKeyPair) res[0];
      IkeSaKeys keys = (IkeSaKeys) res[1];
      installKeys(sa, keys, e.random());
      List<Payload> p = new ArrayList<>();
      // RFC 7296 §3.3.1: in the initial IKE SA negotiation the proposal's SPI Size MUST be zero (the SPIs
      // travel in the header); only an IKE SA rekey (CREATE_CHILD_SA) carries an 8-octet SPI here
      p.add(Proposals.ikeAnswer(chosen, new byte[0]));
      p.add(new KePayload(group.id(), sa.dh.publicValue()));
      p.add(new NoncePayload(sa.nr));
      CertAuth.certReq(e.credentials()).ifPresent(p::add); // RFC 7296 §1.2: [CERTREQ] after Nr
      p.addAll(NatDetection.payloads(sa.spiI, sa.spiR, local, remote, false));
      if (!sa.peerSigHashes.isEmpty()) {
        p.add(CertAuth.hashNotify()); // RFC 7427 §4: answered when the initiator announced its hashes
      }
      if (sa.fragmentsAnnounced) {
        p.add(Ikev2Fragmentation.supportedNotify());
      }
      e.messenger.respond(sa, m.header(), p);
      e.machine.enter(sa, V2Transitions.Event.IKE_SA_INIT_ANSWERED, "");
      sa.replaceTimer = e.guard.schedule(sa, e.settings().halfOpenTimeout(), () -> {
        if (sa.state == Ikev2State.STATE_PARENT_R1) {
          SaLog.ike(sa, Outcome.COMMENT, "half-open IKE SA timed out; deleting");
          e.informational.discard(sa);
        }
      });
    }, ex -> {
      SaLog.ike(sa, Outcome.LOG_SERIOUS, "IKE_SA_INIT from " + remote.getAddress().getHostAddress() + " refused: " + ex.getMessage());
      e.informational.discard(sa);
    });
  }

  /** The conn for an IKE_SA_INIT: our address must match; an exact peer address beats %any. */
  private Connection findConnection(InetSocketAddress local, InetSocketAddress remote) {
    Connection any = null;
    for (Connection c : e.connections()) {
      if (c.config().ikev2() == Ikev2Policy.NEVER || !c.localHost().equals(local.getAddress())) {
        continue;
      }
      if (c.remoteHost().isPresent() && c.remoteHost().get().equals(remote.getAddress())) {
        return c;
      }
      if (c.remoteHost().isEmpty() && any == null) {
        any = c;
      }
    }
    return any;
  }

  long randomSpi() {
    long s;
    do {
      s = e.random().nextLong();
    } while (s == 0);
    return s;
  }

  byte[] randomBytes(int n) {
    byte[] b = new byte[n];
    e.random().nextBytes(b);
    return b;
  }

  static byte[] longBytes(long v) {
    return ByteBuffer.allocate(8).putLong(v).array();
  }
}
