package org.openswanj.pluto.ikev1;

import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.util.List;
import java.util.Optional;
import org.openswanj.alg.DhGroup;
import org.openswanj.conf.Ikev2Policy;
import org.openswanj.conf.id.Identity;
import org.openswanj.conf.id.IdentityException;
import org.openswanj.conf.secrets.Psk;
import org.openswanj.pluto.conn.Connection;
import org.openswanj.pluto.crypto.DhKeyPair;
import org.openswanj.pluto.crypto.DiffieHellman;
import org.openswanj.pluto.crypto.Ikev1KeyDerivation;
import org.openswanj.pluto.crypto.InvalidKeException;
import org.openswanj.pluto.engine.EngineMetrics.Drop;
import org.openswanj.pluto.engine.Outcome;
import org.openswanj.pluto.engine.SaEvent;
import org.openswanj.pluto.engine.Watcher;
import org.openswanj.pluto.ike.wire.ExchangeType;
import org.openswanj.pluto.ike.wire.IdType;
import org.openswanj.pluto.ike.wire.IkeHeader;
import org.openswanj.pluto.ike.wire.IkeMessage;
import org.openswanj.pluto.ike.wire.IkeProtocolException;
import org.openswanj.pluto.ike.wire.NatDPayload;
import org.openswanj.pluto.ike.wire.Payload;
import org.openswanj.pluto.ike.wire.V1IdPayload;
import org.openswanj.pluto.ike.wire.V1VendorIdPayload;
import org.openswanj.pluto.ikev1.V1Transitions.Event;
import org.openswanj.pluto.ikev1.V1Transitions.Packet;
import org.openswanj.pluto.ikev1.V1Transitions.Transition;

/**
 * What Main Mode and Aggressive Mode share (RFC 2409 §5): starting an ISAKMP SA, routing phase 1 messages
 * by state through their rows in {@link V1Transitions}, the PSK key schedule, HASH_I/HASH_R, identities, NAT detection and port floating (RFC 3947 §4),
 * establishment and failure.
 */
final class Phase1 {
  /** RFC 2409 §5: nonces of 8..256 bytes; we send 32. */
  static final int NONCE_SIZE = 32;
  private final Ikev1Engine e;
  final MainMode main;
  final AggressiveMode aggressive;

  Phase1(Ikev1Engine engine) {
    this.e = engine;
    V1PeerAuth auth = new V1PeerAuth(engine, this);
    this.main = new MainMode(engine, this, auth);
    this.aggressive = new AggressiveMode(engine, this, auth);
  }

  // ---- initiator ----

  void initiate(Connection conn, Watcher watcher, int keyingTry) {
    initiate(conn, watcher, keyingTry, null);
  }

  /**
   * Openswan's EVENT_SA_REPLACE for phase 1: a new ISAKMP SA before {@code old}'s ikelifetime runs out; once it
   * is established the IPsec SAs move onto it and {@code old} is deleted (with a Delete), so Quick Mode rekeys
   * and Informationals go on without a gap. No new Quick Mode is started for it.
   */
  void replace(IsakmpSa old) {
    if (old.deleting || old.replacedBy != 0) {
      return;
    }
    V1Log.sa(old, Outcome.COMMENT, "initiating Main Mode to replace #" + old.serial + " (ikelifetime)");
    initiate(old.conn, null, 1, old);
  }

  /** The new ISAKMP SA, or null when there is no peer to initiate to. */
  private IsakmpSa initiate(Connection conn, Watcher watcher, int keyingTry, IsakmpSa replacing) {
    if (conn.remoteHost().isEmpty()) {
      if (watcher != null) {
        watcher.line(Outcome.NOPEERIP, "\"" + conn.name()
            + "\": cannot initiate connection without knowing peer IP address (kind=CK_TEMPLATE)");
        watcher.close();
      }
      return null;
    }
    IsakmpSa sa = e.newIsakmp(conn, true, conn.config().aggressive());
    sa.cookieI = e.randomCookie();
    e.index(sa);
    sa.local = new InetSocketAddress(conn.localHost(), e.settings().ikePort());
    sa.remote = new InetSocketAddress(conn.remoteHost().get(), e.settings().ikePort());
    sa.watcher = watcher;
    sa.keyingTry = keyingTry;
    sa.ni = e.randomBytes(NONCE_SIZE);
    sa.replaces = replacing == null ? 0 : replacing.serial;
    if (replacing != null) {
      replacing.replacedBy = sa.serial;
    }
    conn.setNewestIkeSa(sa.serial);
    e.guard.run(sa, SaEvent.WHACK, () -> start(sa, keyingTry));
    return sa;
  }

  private void start(IsakmpSa sa, int keyingTry) {
    Connection conn = sa.conn;
    if (keyingTry > 1) {
      V1Log.sa(sa, Outcome.COMMENT, "starting keying attempt " + keyingTry + " of "
          + (conn.config().keyingTries() == 0 ? "an unlimited number" : "at most " + conn.config().keyingTries()));
    }
    if (sa.aggressive) {
      aggressive.initiate(sa);
    } else {
      main.initiate(sa);
    }
  }

  // ---- receiving ----

  void onMessage(InetSocketAddress local, InetSocketAddress remote, IkeHeader h, IkeMessage outer, byte[] bytes) {
    boolean aggr = h.exchange() == ExchangeType.AGGRESSIVE;
    if (h.responderSpi() == 0) {
      IsakmpSa dup = e.findResponder(h.initiatorSpi(), remote.getAddress());
      if (dup != null) {
        e.guard.run(dup, SaEvent.DATAGRAM, () -> dup.sender.answerDuplicate(bytes));
        return;
      }
      String refusal = e.halfOpenRefusal(remote.getAddress());
      if (refusal != null) {
        e.dropped(Drop.HALF_OPEN_LIMIT, "IKEv1 " + h.exchange() + " first message from " + remote.getAddress().getHostAddress()
            + " dropped: " + refusal);
        return;
      }
      respond(new Packet(null, null, h, outer, bytes, new InetSocketAddress[] {local, remote}));
      return;
    }
    IsakmpSa sa = e.find(h.initiatorSpi(), h.responderSpi());
    if (sa == null) {
      sa = e.find(h.initiatorSpi(), 0);
      if (sa == null || !sa.initiator) {
        e.dropped(Drop.UNKNOWN_SA, "IKEv1 phase 1 message for unknown cookies " + h + " from " + remote + " dropped");
        return;
      }
    }
    if (sa.aggressive != aggr) {
      e.dropped(Drop.UNEXPECTED, "\"" + sa.conn.name() + "\" #" + sa.serial + ": exchange type " + h.exchange() + " does not match");
      return;
    }
    IsakmpSa found = sa;
    e.guard.run(found, SaEvent.DATAGRAM, () -> onMessage(found, local, remote, h, outer, bytes, aggr));
  }

  private void onMessage(IsakmpSa sa, InetSocketAddress local, InetSocketAddress remote, IkeHeader h,
      IkeMessage outer, byte[] bytes, boolean aggr) {
    if (sa.sender.answerDuplicate(bytes)) {
      V1Log.debug("\"" + sa.conn.name() + "\" #" + sa.serial + ": retransmitted packet answered from the cache");
      return;
    }
    if (sa.busy) {
      e.dropped(Drop.UNEXPECTED, "\"" + sa.conn.name() + "\" #" + sa.serial + ": message from " + remote
          + " dropped: still computing the answer to the previous one");
      return;
    }
    String mode = aggr ? "Aggressive Mode" : "Main Mode";
    Optional<Transition> t = sa.state == null ? Optional.empty() : V1Transitions.inbound(sa.state, h.exchange());
    if (t.isEmpty()) {
      e.dropped(Drop.UNEXPECTED, "\"" + sa.conn.name() + "\" #" + sa.serial + ": " + mode + " message in " + sa.state
          + " ignored");
      return;
    }
    try {
      e.machine.run(e, t.get(), new Packet(sa, null, h, outer, bytes, new InetSocketAddress[] {local, remote}));
    } catch (IkeProtocolException ex) {
      if (h.encrypted() && !aggr) {
        // MI3/MR3 decrypted into nonsense: the keys differ, i.e. (almost always) the PSK
        V1Log.sa(sa, Outcome.AUTHFAILED, sa.state.name() + ": probable authentication failure (mismatch of"
            + " preshared secrets?): " + ex.getMessage());
      } else {
        V1Log.sa(sa, Outcome.LOG_SERIOUS, sa.state.name() + ": dropping malformed message: " + ex.getMessage());
      }
    }
  }

  /** MI1 or AI1 (its row: a new SA): malformed ones are dropped before any state is kept. */
  private void respond(Packet in) {
    Transition t = V1Transitions.inbound(null, in.header().exchange()).orElseThrow();
    try {
      e.machine.run(e, t, in);
    } catch (IkeProtocolException ex) {
      V1Log.global("malformed " + (t.event() == Event.AI1 ? "Aggressive Mode AI1" : "Main Mode MI1") + " from "
          + in.remote() + ": " + ex.getMessage());
    }
  }

  /** The conn for a first message: our address, an IKEv1-capable policy, exact peer before %any. */
  Connection findConnection(InetSocketAddress local, InetSocketAddress remote, boolean aggr) {
    Connection any = null;
    for (Connection c : e.connections()) {
      if (c.config().ikev2() == Ikev2Policy.INSIST || !c.localHost().equals(local.getAddress())
          || c.config().aggressive() != aggr) {
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

  /** A responder's new ISAKMP SA for a first message; half-open ones are dropped after a while. */
  IsakmpSa newResponder(Connection conn, InetSocketAddress local, InetSocketAddress remote, IkeHeader h,
      IkeMessage m, V1Algs algs, boolean aggr) {
    IsakmpSa sa = e.newIsakmp(conn, false, aggr);
    sa.cookieI = h.initiatorSpi();
    sa.cookieR = e.randomCookie();
    sa.local = local;
    sa.remote = remote;
    e.index(sa);
    e.halfOpen(sa);
    sa.algs = algs;
    notePeerVids(sa, m.all(V1VendorIdPayload.class));
    e.guard.schedule(sa, e.settings().halfOpenTimeout(), () -> {
      if (!sa.deleting && !sa.state.keyed()) {
        V1Log.sa(sa, Outcome.COMMENT, "half-open ISAKMP SA in " + sa.state + " timed out; deleting");
        e.info.deleteIsakmp(sa, false);
      }
    });
    return sa;
  }

  // ---- crypto shared by both modes ----

  /**
   * What phase 1 authenticates with: our private key for authby=rsasig (RFC 2409 §5.1; RSA, or ECDSA by RFC
   * 4754 when leftcert= holds an EC key), else the PSK.
   */
  boolean loadAuth(IsakmpSa sa) {
    sa.authMethod = V1Proposals.authMethod(sa.conn);
    if (!sa.authMethod.signature()) {
      return loadPsk(sa);
    }
    Optional<java.security.PrivateKey> k = V1SigAuth.ourKey(sa.conn, e.secrets());
    if (k.isEmpty()) {
      V1Log.sa(sa, Outcome.NOKEY, "Can't authenticate: no " + keyName(sa) + " private key found for `"
          + sa.conn.localId() + "' in ipsec.secrets");
      return false;
    }
    sa.privateKey = k.get();
    return true;
  }

  /** "RSA" or "ECDSA", as the private key this SA signs with is named in logs. */
  static String keyName(IsakmpSa sa) {
    return sa.authMethod.ecdsa() ? "ECDSA" : "RSA";
  }

  /** The PSK for the conn's IDs, or empty (logged in Openswan's words). */
  boolean loadPsk(IsakmpSa sa) {
    Optional<Psk> psk = e.secrets().findPsk(sa.conn.localId(), sa.conn.remoteId());
    if (psk.isEmpty()) {
      V1Log.sa(sa, Outcome.NOKEY, "Can't authenticate: no preshared key found for `" + sa.conn.localId() + "' and `"
          + sa.conn.remoteId() + "'. Attribute OAKLEY_AUTHENTICATION_METHOD");
      return false;
    }
    sa.psk = psk.get().bytes();
    return true;
  }

  /** Phase 1 keys and the first IV. */
  record Derived(org.openswanj.pluto.crypto.Ikev1Phase1Keys keys, byte[] iv) {}

  /** Runs on a helper, touching no SA: g^xy, SKEYID and its children, the phase 1 IV (RFC 2409 §5, App. B). */
  static Derived derive(V1Algs a, byte[] psk, byte[] ni, byte[] nr, byte[] gxi, byte[] gxr, long cookieI,
      long cookieR, DhKeyPair dh, byte[] peerKe) {
    byte[] gxy;
    try {
      gxy = dh.sharedSecret(peerKe);
    } catch (InvalidKeException ex) {
      throw new IllegalArgumentException("peer's KE payload is invalid: " + ex.getMessage());
    }
    // RFC 2409 §5: SKEYID from the PSK, or for signatures from the nonces and g^xy
    byte[] skeyid = psk == null ? Ikev1KeyDerivation.skeyidSignature(a.prf(), ni, nr, gxy)
        : Ikev1KeyDerivation.skeyidPsk(a.prf(), psk, ni, nr);
    var keys = Ikev1KeyDerivation.phase1(a.prf(), skeyid, gxy, cookie(cookieI), cookie(cookieR), a.keyBytes());
    java.util.Arrays.fill(gxy, (byte) 0);
    java.util.Arrays.fill(skeyid, (byte) 0);
    return new Derived(keys, Ikev1KeyDerivation.phase1Iv(a.prf(), gxi, gxr, a.enc().blockSize()));
  }

  static byte[] cookie(long c) {
    return ByteBuffer.allocate(8).putLong(c).array();
  }

  static byte[] hashI(IsakmpSa sa, byte[] idiiB) {
    return Ikev1KeyDerivation.hashI(sa.authMethod.hashPrf(sa.algs.prf()), sa.keys.skeyid().bytes(), sa.gxi, sa.gxr, cookie(sa.cookieI),
        cookie(sa.cookieR), sa.saiB, idiiB);
  }

  static byte[] hashR(IsakmpSa sa, byte[] idirB) {
    return Ikev1KeyDerivation.hashR(sa.authMethod.hashPrf(sa.algs.prf()), sa.keys.skeyid().bytes(), sa.gxi, sa.gxr, cookie(sa.cookieI),
        cookie(sa.cookieR), sa.saiB, idirB);
  }

  /** Our phase 1 ID; RFC 2407 §4.6.2: protocol and port 0 (any). */
  static V1IdPayload ourId(Connection c) {
    Identity id = c.localId();
    return new V1IdPayload(IdType.fromWire(id.kind().ikeIdType()), 0, 0, id.bytes());
  }

  /** The identity in a phase 1 ID payload, or null if it cannot be read. */
  Identity peerIdentity(V1IdPayload id) {
    Optional<Identity.Kind> k = Identity.Kind.fromIkeIdType(id.idType().wireValue());
    try {
      return k.isPresent() ? Identity.fromWire(k.get(), id.data()) : null;
    } catch (IdentityException ex) {
      return null;
    }
  }

  /** The peer's ID must be the conn's {@code rightid} (or anything for %any). */
  boolean peerIdAcceptable(IsakmpSa sa, V1IdPayload id) {
    Optional<Identity.Kind> k = Identity.Kind.fromIkeIdType(id.idType().wireValue());
    Identity got;
    try {
      got = k.isPresent() ? Identity.fromWire(k.get(), id.data()) : null;
    } catch (IdentityException ex) {
      got = null;
    }
    sa.peerId = got;
    if (got == null || !sa.conn.acceptsPeerId(got)) {
      V1Log.sa(sa, Outcome.BADID, "we require IKEv1 peer to have ID '" + sa.conn.remoteId() + "', but peer declares '"
          + (got == null ? id.idType() : got) + "'");
      return false;
    }
    return true;
  }

  /** Generates our DH key on a helper, then continues on the loop; failures end the SA. */
  void withDh(IsakmpSa sa, DhGroup g, java.util.function.Consumer<DhKeyPair> then) {
    sa.busy = true;
    e.guard.offload(sa, () -> DiffieHellman.generate(g, e.random()), dh -> {
      sa.busy = false;
      if (!sa.deleting) {
        sa.dh = dh;
        then.accept(dh);
      }
    }, ex -> {
      sa.busy = false;
      fail(sa, "cannot make a DH key: " + ex.getMessage());
    });
  }

  /** Derives the phase 1 keys from the peer's KE on a helper, then continues on the loop. */
  void withKeys(IsakmpSa sa, byte[] peerKe, Runnable then) {
    sa.busy = true;
    DhKeyPair dh = sa.dh;
    V1Algs a = sa.algs;
    byte[][] in = {sa.psk, sa.ni, sa.nr, sa.gxi, sa.gxr};
    long ci = sa.cookieI;
    long cr = sa.cookieR;
    e.guard.offload(sa, () -> derive(a, in[0], in[1], in[2], in[3], in[4], ci, cr, dh, peerKe), d -> {
      sa.busy = false;
      if (!sa.deleting) {
        sa.keys = d.keys();
        sa.iv = d.iv();
        then.run();
      }
    }, ex -> {
      sa.busy = false;
      fail(sa, ex.getMessage());
    });
  }

  // ---- NAT-T (RFC 3947) ----

  void notePeerVids(IsakmpSa sa, List<V1VendorIdPayload> vids) {
    NatTraversal.Support s = NatTraversal.support(vids);
    sa.nattRfc = s.rfc();
    sa.nattDraft = !s.rfc() && s.draft();
    sa.peerDpd = s.dpd();
    sa.peerUnity = Unity.sent(vids);
  }

  List<Payload> natD(IsakmpSa sa) {
    if (!sa.natt()) {
      return List.of();
    }
    return NatTraversal.payloads(sa.algs, sa.cookieI, sa.cookieR, sa.local, sa.remote, sa.nattDraft,
        sa.conn.config().forceEncaps());
  }

  void detectNat(IsakmpSa sa, List<NatDPayload> natd) {
    if (!sa.natt() || natd.isEmpty()) {
      return;
    }
    boolean[] r = NatTraversal.detect(natd, sa.algs, sa.cookieI, sa.cookieR, sa.local, sa.remote);
    sa.natLocal = r[0] || sa.conn.config().forceEncaps();
    sa.natRemote = r[1];
  }

  /** RFC 3947 §4: once a NAT is known, IKE moves to port 4500 (the initiator moves first). */
  void floatPorts(IsakmpSa sa) {
    if (sa.natt() && sa.natDetected() && sa.local.getPort() != e.settings().nattPort()) {
      sa.local = new InetSocketAddress(sa.local.getAddress(), e.settings().nattPort());
      sa.remote = new InetSocketAddress(sa.remote.getAddress(), e.settings().nattPort());
    }
  }

  /** A responder follows the initiator to wherever its message came from (4500 after floating). */
  void followPeer(IsakmpSa sa, InetSocketAddress local, InetSocketAddress remote) {
    if (sa.natt() && !remote.equals(sa.remote)) {
      sa.local = local;
      sa.remote = remote;
    }
  }

  // ---- endings ----

  /** Phase 1 ends with {@code event}'s row (MR3, MI3, AR1, AI2): the ISAKMP SA is established. */
  void established(IsakmpSa sa, Event event) {
    e.notHalfOpen(sa);
    sa.established = e.loop().now();
    e.initialContact.established(sa);
    e.metrics().handshakeCompleted(org.openswanj.pluto.engine.EngineMetrics.IkeVersion.IKEV1);
    if (sa.replaces != 0) {
      e.metrics().rekeyed(org.openswanj.pluto.engine.EngineMetrics.IkeVersion.IKEV1, org.openswanj.pluto.engine.EngineMetrics.Rekey.IKE);
    }
    sa.conn.setNewestIkeSa(sa.serial);
    String algs = sa.algs.describe().replace("auth=OAKLEY_PRESHARED_KEY", "auth=" + sa.authMethod.plutoName());
    e.machine.enter(sa, event, "{" + algs + "}");
    e.info.scheduleIsakmpLifetime(sa);
    e.info.scheduleDpd(sa);
    e.watchNat(sa);
    e.replication().isakmpEstablished(sa);
    // XAUTH / ModeConfig first (draft-ietf-ipsec-isakmp-xauth-06 §4): Quick Mode starts when they are done
    boolean cfg = e.xauth.afterPhase1(sa) || e.xauthClient.afterPhase1(sa);
    IsakmpSa old = sa.replaces == 0 ? null : e.isakmpSa(sa.replaces);
    if (old != null) {
      // the IPsec SAs keyed by the old ISAKMP SA now belong to the new one (their rekeys and Deletes use it)
      for (QuickSa q : List.copyOf(old.quicks)) {
        if (q.installed) {
          old.quicks.remove(q);
          q.parent = sa;
          sa.quicks.add(q);
          e.replication().ipsecInstalled(q); // its record names the new ISAKMP SA now
        }
      }
      sa.pending.addAll(old.pending); // Quick Modes still held back on the old one (QuickMode.MAX_IN_FLIGHT)
      old.pending.clear();
      V1Log.sa(old, Outcome.COMMENT, "replaced by #" + sa.serial + "; deleting it");
      e.info.deleteIsakmp(old, true);
      e.quickMode.initiatePending(sa);
    } else if (sa.initiator && !cfg) {
      e.quickMode.initiateAll(sa);
    }
  }

  void fail(IsakmpSa sa, String why) {
    V1Log.sa(sa, Outcome.LOG_SERIOUS, why);
    Watcher w = sa.watcher;
    e.info.deleteIsakmp(sa, false);
    if (w != null) {
      w.close();
    }
    if (sa.initiator) {
      negotiationFailed(sa.conn);
    }
  }

  /** This conn's negotiation is over without an SA: a routed conn gets its failureshunt= (or its %trap back). */
  void negotiationFailed(Connection conn) {
    e.installer().negotiationFailed(conn).ifPresent(line -> V1Log.global("\"" + conn.name() + "\": " + line));
  }

  /** Out of retransmissions: another keying attempt (keyingtries=, 0 = forever), or give up. */
  void retryOrFail(IsakmpSa sa, String why) {
    int tries = sa.conn.config().keyingTries();
    Watcher w = sa.watcher;
    Connection conn = sa.conn;
    int next = sa.keyingTry + 1;
    V1Log.sa(sa, Outcome.NORETRANSMISSION, why);
    sa.watcher = null;
    List<IsakmpSa.Pending> waiting = List.copyOf(sa.pending);
    sa.pending.clear();
    e.info.deleteIsakmp(sa, false);
    if (tries == 0 || next <= tries) {
      IsakmpSa again = initiate(conn, w, next, null);
      if (again != null) {
        again.pending.addAll(waiting); // the conns waiting for this peer wait for the next attempt
        return;
      }
    } else if (w != null) {
      w.close();
    }
    waiting.stream().map(IsakmpSa.Pending::watcher).filter(x -> x != null).forEach(Watcher::close);
    negotiationFailed(conn);
    waiting.forEach(p -> negotiationFailed(p.conn()));
  }
}
