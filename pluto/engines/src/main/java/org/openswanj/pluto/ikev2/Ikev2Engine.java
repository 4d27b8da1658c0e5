package org.openswanj.pluto.ikev2;

import java.net.InetSocketAddress;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Optional;
import java.util.function.Supplier;
import org.openswanj.conf.secrets.Secrets;
import org.openswanj.pluto.conn.Connection;
import org.openswanj.pluto.engine.EngineContext;
import org.openswanj.pluto.engine.EngineMetrics.Drop;
import org.openswanj.pluto.engine.EngineMetrics;
import org.openswanj.pluto.engine.EventLoop;
import org.openswanj.pluto.engine.IkeSettings;
import org.openswanj.pluto.engine.Outcome;
import org.openswanj.pluto.engine.SaEvent;
import org.openswanj.pluto.engine.SaGuard;
import org.openswanj.pluto.engine.Serials;
import org.openswanj.pluto.engine.Watcher;
import org.openswanj.pluto.ike.wire.ExchangeType;
import org.openswanj.pluto.ike.wire.IkeCodec;
import org.openswanj.pluto.ike.wire.IkeHeader;
import org.openswanj.pluto.ike.wire.IkeMessage;
import org.openswanj.pluto.ike.wire.IkeProtocolException;
import org.openswanj.pluto.ike.wire.InvalidSyntaxException;
import org.openswanj.pluto.ike.wire.NotifyType;
import org.openswanj.pluto.net.IkeTransport;
import org.openswanj.pluto.sa.SaInstaller;

/**
 * The IKEv2 engine: owns every IKE and Child SA, routes each received message to the exchange that handles
 * it, and offers initiate / terminate to the daemon. Runs on the event loop only.
 *
 * <p>A bug in one exchange must not take the daemon down (STYLE, Android IKE's top-level handler): every
 * event for an IKE SA (datagram, timer, helper result, whack or kernel event) runs through {@link #guard},
 * which logs the failure and deletes that one SA with its Child SAs.
 */
public final class Ikev2Engine {
  private final EventLoop loop;
  private final IkeTransport transport;
  private final SaInstaller installer;
  private final SecureRandom random;
  private final Supplier<Secrets> secrets;
  private final Supplier<Collection<Connection>> connections;
  private final IkeSettings settings;
  private final Serials serials;
  private final EngineMetrics metrics;
  final Messenger messenger = new Messenger(this);
  final Fragments fragments = new Fragments(this);
  final SaInit saInit = new SaInit(this);
  final Auth auth = new Auth(this);
  final Children children = new Children(this);
  final CreateChild createChild = new CreateChild(this);
  final Informational informational = new Informational(this);
  final InitialContact initialContact = new InitialContact(this);
  final Cookies cookies;
  final HalfOpen halfOpen = new HalfOpen();
  final Resume resume = new Resume(this);
  final V2Machine machine = new V2Machine(this);
  final NatFollower natFollower = new NatFollower(this);
  final MidSync midSync = new MidSync(this);
  final SaTables sas = new SaTables();
  /** The per-SA guard; events for a Child SA go through its IKE SA's. */
  final SaGuard<IkeSa> guard;

  private final org.openswanj.pluto.engine.NatKeepalives keepalives;
  /** Bugs outside any SA (a first IKE_SA_INIT before its SA exists). */
  private long statelessErrors;
  private Supplier<org.openswanj.pluto.x509.Credentials> credentials = () -> null;
  private SaReplication replication = SaReplication.NONE;

  public Ikev2Engine(EngineContext context, Supplier<Secrets> secrets, Supplier<Collection<Connection>> connections) {
    this.loop = context.loop();
    this.transport = context.transport();
    this.keepalives = context.keepalives();
    this.installer = context.installer();
    this.random = context.random();
    this.secrets = secrets;
    this.connections = connections;
    this.settings = context.settings();
    this.serials = context.serials();
    this.metrics = context.metrics();
    this.cookies = new Cookies(random, settings.flood().cookieSecretLifetime(), loop.now());
    this.guard = new SaGuard<>(loop, new SaGuard.Undertaker<>() {
      @Override
      public void delete(IkeSa sa) {
        Watcher w = sa.watcher;
        if (sa.deleting) {
          informational.discard(sa); // the bug hit while it was going away: finish the job
        } else {
          informational.deleteIke(sa, true);
        }
        if (w != null && !w.closed()) {
          w.close(); // the whack waiting for this SA gets its answer now
        }
      }

      @Override
      public void discard(IkeSa sa) {
        try {
          informational.discard(sa);
        } finally {
          sa.children.forEach(Ikev2Engine.this::forget);
          forget(sa);
        }
      }
    }, (sa, text) -> SaLog.ike(sa, Outcome.LOG_SERIOUS, text));
  }

  /** Trusted CAs and the certificate verifier (ipsec.d), for certificate authentication. */
  public void setCredentials(Supplier<org.openswanj.pluto.x509.Credentials> credentials) {
    this.credentials = credentials;
  }

  /** Who is told of SA changes a standby gateway needs (docs/HA.md); {@link SaReplication#NONE} by default. */
  public void setReplication(SaReplication replication) {
    this.replication = replication;
  }

  SaReplication replication() {
    return replication;
  }

  /** The credentials in use; null when none were loaded. */
  org.openswanj.pluto.x509.Credentials credentials() {
    return credentials.get();
  }

  /** Bugs caught by the per-SA guard; malformed input must never count here (the fuzz tests check it). */
  public long internalErrors() {
    return guard.bugs() + statelessErrors;
  }

  EventLoop loop() {
    return loop;
  }

  IkeTransport transport() {
    return transport;
  }

  SaInstaller installer() {
    return installer;
  }

  SecureRandom random() {
    return random;
  }

  Secrets secrets() {
    return secrets.get();
  }

  Collection<Connection> connections() {
    return connections.get();
  }

  IkeSettings settings() {
    return settings;
  }

  long nextSerial() {
    return serials.next();
  }

  long lastSerial() {
    return serials.last();
  }

  EngineMetrics metrics() {
    return metrics;
  }

  /** A received message dropped: counted by reason, logged (rate-limited) with the details. */
  void dropped(Drop why, String text) {
    metrics.dropped(why);
    SaLog.dropped(text);
  }

  /** Why a handshake failed, from the error notify that ended it (RFC 7296 §3.10.1); the first reason stays. */
  static void failing(IkeSa sa, EngineMetrics.Failure why) {
    if (sa.failure == null) {
      sa.failure = why;
    }
  }

  static EngineMetrics.Failure failureOf(NotifyType refusal) {
    return switch (refusal) {
      case NO_PROPOSAL_CHOSEN -> EngineMetrics.Failure.NO_PROPOSAL;
      case AUTHENTICATION_FAILED -> EngineMetrics.Failure.AUTH_FAILED;
      case TS_UNACCEPTABLE -> EngineMetrics.Failure.TS_UNACCEPTABLE;
      default -> EngineMetrics.Failure.OTHER;
    };
  }

  /**
   * The handshake (RFC 7296 §1.2: IKE_SA_INIT, IKE_AUTH and the Child SA it carries) is over: completed, or
   * failed for the Child SA's refusal although the IKE SA stays up.
   */
  void handshakeEnded(Optional<NotifyType> childRefused) {
    if (childRefused.isPresent()) {
      metrics.handshakeFailed(EngineMetrics.IkeVersion.IKEV2, failureOf(childRefused.get()));
    } else {
      metrics.handshakeCompleted(EngineMetrics.IkeVersion.IKEV2);
    }
  }

  // ---- tables ----

  /** RFC 3948 §4: an established IKE SA behind a NAT keeps the mapping alive until {@link #forget}. */
  void watchNat(IkeSa sa) {
    keepalives.watch(sa.serial, sa.natDetected(), sa.natLocal,
        () -> sas.current(sa) ? new java.net.InetSocketAddress[] {sa.local, sa.remote} : null);
  }

  void forget(IkeSa sa) {
    keepalives.forget(sa.serial);
    halfOpen.remove(sa);
    if (sas.remove(sa)) {
      replication.ikeGone(sa);
      if (sa.established == null) {
        metrics.handshakeFailed(EngineMetrics.IkeVersion.IKEV2,
            sa.failure == null ? EngineMetrics.Failure.OTHER : sa.failure);
      }
    }
  }

  void forget(ChildSa c) {
    if (sas.remove(c)) {
      replication.childGone(c);
    }
  }

  public List<IkeSa> ikeSas() {
    return sas.ikeSas();
  }

  public List<ChildSa> childSas() {
    return sas.childSas();
  }

  /** IKE SAs that answered an IKE_SA_INIT and are not yet authenticated (RFC 7296 §2.6's half-open). */
  public int halfOpen() {
    return halfOpen.total();
  }

  // ---- operations for the daemon ----

  /** {@code ipsec auto --up}: starts an IKE SA for {@code conn}; progress goes to {@code watcher} if not null. */
  public void initiate(Connection conn, Watcher watcher) {
    IkeSa sa = ikeSaFor(conn);
    if (sa == null) {
      saInit.initiate(conn, watcher, 1);
    } else if (sa.state.established()) {
      guard.run(sa, SaEvent.WHACK, () -> createChild.initiateChild(sa, conn, watcher));
    } else {
      sa.pending.add(new IkeSa.Pending(conn, watcher));
      if (watcher != null) {
        watcher.line(Outcome.COMMENT, "\"" + conn.name() + "\": CREATE_CHILD_SA waits for IKE SA #" + sa.serial
            + " of \"" + sa.conn.name() + "\" with the same peer");
      }
    }
  }

  /**
   * An IKE SA "for this host pair and IDs" (Libreswan; Openswan's find_phase1_state) on which {@code conn}'s Child SA
   * goes by CREATE_CHILD_SA (RFC 7296 §1.3.1): established, or our IKE_SA_INIT/IKE_AUTH still running (the Child SA
   * then waits); null: an IKE SA of its own. A second IKE SA with the same IDs would be taken as a replacement by a
   * peer with uniqueids (charon's default), which deletes the first with its Child SAs. An IKE SA that already
   * carries this conn's Child SA, or is this conn's own in negotiation, is left to today's rules (a new IKE SA).
   */
  private IkeSa ikeSaFor(Connection conn) {
    IkeSa inProgress = null;
    for (IkeSa sa : sas.ikeSas()) {
      if (sa.deleting || sa.rekeyed || sa.state == null || sa.conn == null || !samePeer(sa, conn)
          || sa.children.stream().anyMatch(c -> c.conn == conn && !c.deleting)) {
        continue;
      }
      if (sa.state.established()) {
        if (sa.conn != conn || sa.children.isEmpty()) {
          return sa;
        }
      } else if (sa.originalInitiator && sa.conn != conn && inProgress == null) {
        inProgress = sa;
      }
    }
    return inProgress;
  }

  /** Same host pair, IDs and authby as {@code sa}'s conn: Child SAs of {@code c} may go on {@code sa}. */
  static boolean samePeer(IkeSa sa, Connection c) {
    Connection o = sa.conn;
    return c.config().ikev2() != org.openswanj.conf.Ikev2Policy.NEVER
        && c.localHost().equals(sa.local.getAddress())
        && c.remoteHost().map(sa.remote.getAddress()::equals).orElse(o.remoteHost().isEmpty())
        && c.local().id().equals(o.local().id()) && c.remote().id().equals(o.remote().id())
        && c.config().authby().equals(o.config().authby());
  }

  /** The conns a new Child SA on {@code sa} may belong to: the IKE SA's own first, then those with its peer. */
  List<Connection> childConns(IkeSa sa) {
    List<Connection> out = new ArrayList<>();
    out.add(sa.conn);
    for (Connection c : connections()) {
      if (c != sa.conn && samePeer(sa, c)) {
        out.add(c);
      }
    }
    return out;
  }

  /**
   * A cluster takeover (docs/HA.md): continues an IKE SA another node negotiated, with its Child SAs; null when
   * done, else a line saying what could not be done.
   */
  public String resume(Resume.Ike sa) {
    return resume.resume(sa);
  }

  /**
   * A cluster node gave up {@code local} (fenced, or standby again): its IKE SAs on that address and their Child
   * SAs leave our kernel and tables without a Delete to the peer, which goes on with the node now active for it.
   */
  public int abandon(java.net.InetAddress local) {
    int n = 0;
    for (IkeSa sa : ikeSas()) {
      if (sa.local != null && sa.local.getAddress().equals(local)) {
        SaLog.ike(sa, Outcome.COMMENT, "dropped without a Delete: this node no longer serves "
            + local.getHostAddress());
        informational.discard(sa);
        new ArrayList<>(sa.children).forEach(this::forget);
        forget(sa);
        n++;
      }
    }
    return n;
  }

  /** {@code ipsec auto --down}: deletes every IKE SA of the conn (and so their Child SAs), telling the peer. */
  public int terminate(Connection conn) {
    saInit.cancelRetry(conn);
    int n = 0;
    for (IkeSa sa : ikeSas()) {
      sa.pending.removeIf(p -> p.conn() == conn);
      List<ChildSa> mine = sa.children.stream().filter(c -> c.conn == conn).toList();
      if (sa.conn != conn && mine.isEmpty()) {
        continue;
      }
      if (sa.children.stream().allMatch(c -> c.conn == conn || c.deleting)) {
        guard.run(sa, SaEvent.WHACK, () -> informational.deleteIke(sa, true)); // its last conn: all goes
      } else {
        // other conns' Child SAs still use this IKE SA (RFC 7296 §1.4.1: delete ours only)
        guard.run(sa, SaEvent.WHACK, () -> {
          mine.forEach(c -> informational.deleteChild(c, true));
          if (sa.conn == conn) {
            handOver(sa, conn);
          }
        });
      }
      n++;
    }
    return n;
  }

  /**
   * The IKE SA's own conn went down (or is being deleted) while other conns' Child SAs use it: the first of those
   * conns owns it now, so its rekey, DPD and status lines follow a conn that is still up.
   */
  private void handOver(IkeSa sa, Connection from) {
    sa.children.stream().filter(c -> c.conn != from && !c.deleting).findFirst().ifPresent(c -> {
      if (from.newestIkeSa() == sa.serial) {
        from.setNewestIkeSa(0);
      }
      sa.conn = c.conn;
      c.conn.setNewestIkeSa(sa.serial);
      SaLog.ike(sa, Outcome.COMMENT, "IKE SA now belongs to \"" + c.conn.name() + "\", whose Child SA still uses it"
          + " (\"" + from.name() + "\" went down)");
    });
  }

  /**
   * whack --deletestate N: deletes IKE SA N (with its Child SAs) or Child SA N, telling the peer in an
   * INFORMATIONAL exchange (RFC 7296 §1.4.1); false when no SA has that number.
   */
  public boolean deleteState(long serial) {
    for (IkeSa sa : ikeSas()) {
      if (sa.serial() == serial) {
        informational.deleteIke(sa, true);
        return true;
      }
    }
    for (ChildSa c : childSas()) {
      if (c.serial() == serial) {
        informational.deleteChild(c, true);
        return true;
      }
    }
    return false;
  }

  /** Shutdown: delete everything, telling peers. */
  public void deleteAll() {
    for (IkeSa sa : ikeSas()) {
      guard.run(sa, SaEvent.WHACK, () -> informational.deleteIke(sa, true));
    }
  }

  /** {@code ipsec auto --route}: %trap eroutes for the conn. */
  public void route(Connection conn) throws org.openswanj.kernel.KernelException {
    children.route(conn);
  }

  public void unroute(Connection conn) throws org.openswanj.kernel.KernelException {
    children.unroute(conn);
  }

  /** True if the trapped packet falls inside the conn's networks. */
  public boolean matchesTrap(Connection c, org.openswanj.kernel.Selector packet) {
    return c.localSubnets().stream().anyMatch(s -> s.contains(packet.src()))
        && c.remoteSubnets(null).stream().anyMatch(s -> s.contains(packet.dst()));
  }

  /** A kernel SA reached its lifetime (RFC 4301 §4.4.2.1): soft → rekey, hard → delete. */
  public void onExpire(int spi, boolean hard) {
    for (ChildSa c : childSas()) {
      if (c.inboundSpi == spi || c.outboundSpi == spi) {
        guard.run(c.parent, SaEvent.KERNEL, () -> {
          if (hard) {
            informational.deleteChild(c, true);
          } else if (!c.rekeyed) {
            createChild.rekeyChild(c);
          }
        });
        return;
      }
    }
  }

  /** The kernel saw ESP of one of our Child SAs from a NAT's new mapping ({@link NatFollower}); true if ours. */
  public boolean onMapping(org.openswanj.kernel.SaId inbound, InetSocketAddress from) {
    return natFollower.onMapping(inbound, from);
  }

  // ---- receiving ----

  /** An IKEv2 datagram (major version 2, from {@code IkeDemux}), on the event loop. */
  public void onPacket(InetSocketAddress local, InetSocketAddress remote, byte[] bytes) {
    loop.assertInLoop();
    IkeMessage outer;
    try {
      outer = IkeCodec.decode(bytes);
    } catch (IkeProtocolException e) {
      dropped(Drop.MALFORMED, "dropping malformed packet from " + remote + ": " + e.getMessage());
      return;
    }
    IkeHeader h = outer.header();
    if (h.response()) {
      onResponse(local, remote, h, outer, bytes);
    } else if (h.exchange() == ExchangeType.IKE_SA_INIT && h.responderSpi() == 0) {
      onInitRequest(local, remote, h, outer, bytes);
    } else {
      onRequest(local, remote, h, outer, bytes);
    }
  }

  /** A first IKE_SA_INIT: a retransmission for a half-open SA, or a new responder SA. */
  private void onInitRequest(InetSocketAddress local, InetSocketAddress remote, IkeHeader h, IkeMessage outer,
      byte[] bytes) {
    IkeSa existing = sas.halfOpenResponder(h.initiatorSpi(), remote);
    if (existing != null) {
      guard.run(existing, SaEvent.DATAGRAM, () -> {
        if (existing.window.answeredInit()) {
          messenger.resendResponse(existing); // RFC 7296 §2.1 retransmission
        }
      });
      return;
    }
    try {
      // the SA it makes runs its own steps through the guard
      machine.initRequest(local, remote, new Ikev2Message(h, outer.payloads(), bytes));
    } catch (RuntimeException e) {
      statelessErrors++;
      SaLog.global("internal error processing IKE_SA_INIT from " + remote + ": " + e.getClass().getName() + ": "
          + e.getMessage());
      org.apache.logging.log4j.LogManager.getLogger("pluto").debug("internal error", e);
    }
  }

  private void onRequest(InetSocketAddress local, InetSocketAddress remote, IkeHeader h, IkeMessage outer,
      byte[] bytes) {
    IkeSa sa = sas.bySpis(h.initiatorSpi(), h.responderSpi());
    if (sa == null) {
      dropped(Drop.UNKNOWN_SA, "request for unknown IKE SA " + h + " from " + remote + " dropped");
      return;
    }
    guard.run(sa, SaEvent.DATAGRAM, () -> request(sa, local, remote, h, outer, bytes));
  }

  private void request(IkeSa sa, InetSocketAddress local, InetSocketAddress remote, IkeHeader h, IkeMessage outer,
      byte[] bytes) {
    if (h.messageId() == 0 && h.exchange() == ExchangeType.INFORMATIONAL && sa.established != null
        && midSync.received(sa, local, remote, outer, bytes)) {
      return;
    }
    switch (sa.window.classify(h.messageId())) {
      case RETRANSMISSION -> {
        // RFC 7383 §2.6.1: of a retransmitted fragmented request only fragment 1 triggers the response again
        if (Fragments.fragmentNumber(outer) <= 1) {
          messenger.resendResponse(sa);
        }
        return;
      }
      case OUTSIDE -> {
        dropped(Drop.MESSAGE_ID, "\"" + sa.conn.name() + "\" #" + sa.serial + ": request with message ID " + h.messageId()
            + " outside the window (expected " + sa.window.expectedRequestId() + "), dropped");
        return;
      }
      case NEW -> { }
    }
    Ikev2Message m = open(sa, outer, bytes, false);
    if (m == null) {
      return;
    }
    machine.request(new V2Transitions.Received(sa, m, local, remote), () -> {
      sa.lastInbound = loop.now();
      sa.window.accept(h.messageId());
      floatPorts(sa, local, remote);
    });
    if (sa.established != null && !sa.deleting) {
      replication.ikeChanged(sa); // RFC 7296 §2.2: the peer's request counter moved
    }
  }

  private void onResponse(InetSocketAddress local, InetSocketAddress remote, IkeHeader h, IkeMessage outer,
      byte[] bytes) {
    IkeSa sa = sas.bySpis(h.initiatorSpi(), h.exchange() == ExchangeType.IKE_SA_INIT ? 0 : h.responderSpi());
    if (sa == null || !sa.window.awaits(h.messageId())) {
      dropped(Drop.MESSAGE_ID, "unexpected response " + h + " from " + remote + " dropped");
      return;
    }
    guard.run(sa, SaEvent.DATAGRAM, () -> response(sa, local, remote, outer, bytes));
  }

  private void response(IkeSa sa, InetSocketAddress local, InetSocketAddress remote, IkeMessage outer, byte[] bytes) {
    IkeHeader h = outer.header();
    Ikev2Message m = h.exchange() == ExchangeType.IKE_SA_INIT ? new Ikev2Message(h, outer.payloads(), bytes)
        : open(sa, outer, bytes, true);
    if (m == null) {
      return;
    }
    machine.response(new V2Transitions.Received(sa, m, local, remote), () -> sa.lastInbound = loop.now());
    if (sa.established != null && !sa.deleting && h.exchange() != ExchangeType.IKE_SA_INIT) {
      replication.ikeChanged(sa); // our request counter moved
    }
  }

  /** The message decrypted (and reassembled, RFC 7383 §2.6), or null: dropped, or its error answered. */
  private Ikev2Message open(IkeSa sa, IkeMessage outer, byte[] bytes, boolean response) {
    if (Fragments.fragmentNumber(outer) > 0) {
      return fragments.receive(sa, outer, bytes, response); // null until the last fragment is in
    }
    try {
      return messenger.open(sa, outer, bytes);
    } catch (Messenger.MalformedInner e) {
      if (!response) {
        messenger.answer(sa, outer.header(), () -> {
          throw new InvalidSyntaxException("malformed " + outer.header().exchange() + " request: " + e.getMessage());
        });
      } else {
        dropped(Drop.MALFORMED, "\"" + sa.conn.name() + "\" #" + sa.serial + ": dropping malformed response: "
            + e.getMessage());
      }
    } catch (IkeProtocolException e) {
      dropped(Drop.UNPROTECTED, "\"" + sa.conn.name() + "\" #" + sa.serial + ": dropping message: " + e.getMessage());
    }
    return null;
  }

  /** RFC 7296 §2.23: a NAT'd peer whose port changed (or moved to 4500) is answered where it now is. */
  private void floatPorts(IkeSa sa, InetSocketAddress local, InetSocketAddress remote) {
    if (sa.natRemote && !remote.equals(sa.remote)) {
      boolean samePeer = remote.getAddress().equals(sa.remote.getAddress()) && local.equals(sa.local);
      if (sa.established != null) { // not the float to 4500 during IKE_AUTH: a mapping that changed
        SaLog.ike(sa, Outcome.COMMENT, org.openswanj.pluto.engine.NatMapping.moved(sa.remote, remote));
      }
      sa.remote = remote;
      sa.local = local;
      if (samePeer && !sa.natLocal) {
        natFollower.moveIpsecSas(sa); // a new mapping of the peer's: its Child SAs' ESP goes there too
      }
    }
  }
}
