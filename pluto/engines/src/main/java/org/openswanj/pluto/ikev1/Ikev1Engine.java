package org.openswanj.pluto.ikev1;

import java.net.InetSocketAddress;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
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
import org.openswanj.pluto.ike.wire.IkeCodec;
import org.openswanj.pluto.ike.wire.IkeHeader;
import org.openswanj.pluto.ike.wire.IkeMessage;
import org.openswanj.pluto.ike.wire.IkeProtocolException;
import org.openswanj.pluto.net.IkeTransport;
import org.openswanj.pluto.sa.SaInstaller;

/**
 * The IKEv1 engine (RFC 2409): owns every ISAKMP SA and Quick Mode IPsec SA, routes each IKEv1 message to
 * Main/Aggressive Mode, Quick Mode or Informational, and offers initiate / terminate to the daemon. Runs on
 * the event loop only. Every event for an ISAKMP SA or one of its IPsec SAs (datagram, timer, helper result,
 * whack or kernel event) runs through {@link #guard}: a bug in one exchange kills that SA only.
 */
public final class Ikev1Engine {
  private final EventLoop loop;
  private final IkeTransport transport;
  private final SaInstaller installer;
  private final SecureRandom random;
  private final Supplier<Secrets> secrets;
  private final Supplier<Collection<Connection>> connections;
  private final IkeSettings settings;
  private final Serials serials;
  private final EngineMetrics metrics;
  final V1Machine machine = new V1Machine();
  final Phase1 phase1 = new Phase1(this);
  final QuickMode quickMode = new QuickMode(this);
  final Informational1 info = new Informational1(this);
  final InitialContact1 initialContact = new InitialContact1(this);
  final Transaction transaction = new Transaction(this);
  final XauthServer xauth = new XauthServer(this);
  final XauthClient xauthClient = new XauthClient(this);
  final AddressLeases leases = new AddressLeases();
  private java.util.Optional<java.nio.file.Path> passwdFile = java.util.Optional.empty();
  private final Map<Long, IsakmpSa> isakmpSas = new LinkedHashMap<>();
  private final org.openswanj.pluto.engine.NatKeepalives keepalives;
  private final Map<Long, QuickSa> quickSas = new LinkedHashMap<>();
  /** ISAKMP SAs by initiator cookie (RFC 2408 §2.5.3: the cookie pair names the SA): O(1) for every message. */
  private final Map<Long, List<IsakmpSa>> byCookieI = new java.util.HashMap<>();
  /** Responder ISAKMP SAs not yet established, counted against the half-open caps. */
  private final Map<IsakmpSa, java.net.InetAddress> halfOpen = new java.util.HashMap<>();
  private final Map<java.net.InetAddress, Integer> halfOpenPerAddress = new java.util.HashMap<>();
  /** Bugs outside any SA (a first message before its SA exists). */
  private long statelessErrors;
  /** The per-SA guard; events for an IPsec SA go through its ISAKMP SA's. */
  final SaGuard<IsakmpSa> guard;
  private V1Replication replication = V1Replication.NONE;
  private final V1Resume resumer = new V1Resume(this);

  public Ikev1Engine(EngineContext context, Supplier<Secrets> secrets, Supplier<Collection<Connection>> connections) {
    this.loop = context.loop();
    this.transport = context.transport();
    this.installer = context.installer();
    this.keepalives = context.keepalives();
    this.random = context.random();
    this.secrets = secrets;
    this.connections = connections;
    this.settings = context.settings();
    this.serials = context.serials();
    this.metrics = context.metrics();
    this.guard = new SaGuard<>(loop, new SaGuard.Undertaker<>() {
      @Override
      public void delete(IsakmpSa sa) {
        deleteWithIpsecSas(sa, true);
        if (sa.watcher != null && !sa.watcher.closed()) {
          sa.watcher.close(); // the whack waiting for this SA gets its answer now
        }
      }

      @Override
      public void discard(IsakmpSa sa) {
        try {
          deleteWithIpsecSas(sa, false);
        } finally {
          List.copyOf(sa.quicks).forEach(Ikev1Engine.this::forget);
          forget(sa);
        }
      }
    }, (sa, text) -> V1Log.sa(sa, Outcome.LOG_SERIOUS, text));
  }

  /** After a bug: the IPsec SAs keyed by this ISAKMP SA go with it (kernel state included), then the SA. */
  private void deleteWithIpsecSas(IsakmpSa sa, boolean tell) {
    for (QuickSa q : List.copyOf(sa.quicks)) {
      info.deleteQuick(q, tell);
    }
    if (sa.deleting) {
      sa.sender.cancel();
      forget(sa);
    } else {
      info.deleteIsakmp(sa, tell);
    }
  }

  private Supplier<org.openswanj.pluto.x509.Credentials> credentials = () -> null;

  /** Trusted CAs and the certificate verifier (ipsec.d), for Main Mode with certificates. */
  public void setCredentials(Supplier<org.openswanj.pluto.x509.Credentials> c) {
    this.credentials = c;
  }

  /** Where XAUTH users are (Openswan's ipsec.d/passwd), read at each login on a helper thread. */
  public void setPasswdFile(java.util.Optional<java.nio.file.Path> file) {
    this.passwdFile = file;
  }

  java.util.Optional<java.nio.file.Path> passwdFile() {
    return passwdFile;
  }

  /** XAUTH user and password given with whack --xauthname/--xauthpass, by conn name. */
  record XauthLogin(String user, byte[] password) {
    @Override
    public String toString() {
      return "XauthLogin[" + user + "]";
    }
  }

  private final Map<String, XauthLogin> xauthLogins = new java.util.HashMap<>();

  /** whack --xauthname/--xauthpass for conn {@code name}: used instead of ipsec.secrets from now on. */
  public void setXauthCredentials(String name, String user, byte[] password) {
    loop.assertInLoop();
    xauthLogins.put(name, new XauthLogin(user, password.clone()));
  }

  java.util.Optional<XauthLogin> xauthLogin(String conn) {
    return java.util.Optional.ofNullable(xauthLogins.get(conn));
  }

  org.openswanj.pluto.x509.Credentials credentials() {
    return credentials.get();
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

  /** Bugs caught by the guard; malformed input must never count here (the fuzz tests check it). */
  public long internalErrors() {
    return guard.bugs() + statelessErrors;
  }

  /** Who hears of SA changes a standby needs (a cluster's publisher); on the loop. */
  public void setReplication(V1Replication r) {
    this.replication = r == null ? V1Replication.NONE : r;
  }

  V1Replication replication() {
    return replication;
  }

  /**
   * Continues an ISAKMP SA and its IPsec SAs that another cluster node negotiated (docs/HA.md, "Takeover"); null
   * when done, else why not. On the loop.
   */
  public String resume(V1Resume.Isakmp r) {
    return resumer.resume(r);
  }

  /** We have the ISAKMP SA with these cookies already (kept through an etcd outage). */
  public boolean holds(long cookieI, long cookieR) {
    return find(cookieI, cookieR) != null;
  }

  /**
   * Drops, without a Delete, every ISAKMP SA on {@code local} and its IPsec SAs (kernel state included): a cluster
   * node that no longer serves the address; whoever serves it now continues them. The number of ISAKMP SAs dropped.
   */
  public int abandon(java.net.InetAddress local) {
    loop.assertInLoop();
    int n = 0;
    for (IsakmpSa sa : isakmpSas()) {
      if (sa.local != null && sa.local.getAddress().equals(local)) {
        V1Log.sa(sa, Outcome.COMMENT, "dropped without a Delete: this node no longer serves "
            + local.getHostAddress());
        guard.run(sa, SaEvent.WHACK, () -> {
          for (QuickSa q : List.copyOf(sa.quicks)) {
            info.deleteQuick(q, false);
          }
          info.deleteIsakmp(sa, false);
        });
        n++;
      }
    }
    return n;
  }

  // ---- tables ----

  /** A new ISAKMP SA whose retransmissions go wherever its endpoints are when they fire. */
  IsakmpSa newIsakmp(Connection c, boolean initiator, boolean aggressive) {
    IsakmpSa[] ref = new IsakmpSa[1];
    ref[0] = new IsakmpSa(nextSerial(), c, initiator, aggressive, sender(() -> ref[0]));
    isakmpSas.put(ref[0].serial, ref[0]);
    metrics.handshakeStarted(EngineMetrics.IkeVersion.IKEV1);
    return ref[0];
  }

  EngineMetrics metrics() {
    return metrics;
  }

  /** An established ISAKMP SA rebuilt from a cluster record: not a handshake of ours (no metrics), findable. */
  IsakmpSa newResumed(Connection c, boolean initiator, long cookieI, long cookieR) {
    IsakmpSa[] ref = new IsakmpSa[1];
    ref[0] = new IsakmpSa(nextSerial(), c, initiator, false, sender(() -> ref[0]));
    ref[0].cookieI = cookieI;
    ref[0].cookieR = cookieR;
    isakmpSas.put(ref[0].serial, ref[0]);
    index(ref[0]);
    return ref[0];
  }

  /** A received message dropped: counted by reason, logged (rate-limited) with the details. */
  void dropped(Drop why, String text) {
    metrics.dropped(why);
    V1Log.dropped(text);
  }

  /** A first message refused with NO_PROPOSAL_CHOSEN before any state was kept: started and failed at once. */
  void refusedStateless() {
    metrics.handshakeStarted(EngineMetrics.IkeVersion.IKEV1);
    metrics.handshakeFailed(EngineMetrics.IkeVersion.IKEV1, EngineMetrics.Failure.NO_PROPOSAL);
  }

  QuickSa newQuick(IsakmpSa parent, Connection conn, boolean initiator, int messageId) {
    QuickSa q = new QuickSa(nextSerial(), parent, conn, initiator, messageId, sender(() -> parent));
    parent.usedMessageIds.add(messageId);
    quickSas.put(q.serial, q);
    parent.quicks.add(q);
    return q;
  }

  /** Another resender for {@code sa}'s messages (XAUTH/ModeCfg: phase 1's keeps its last message). */
  Retransmitter newSender(IsakmpSa sa) {
    return sender(() -> sa);
  }

  private Retransmitter sender(Supplier<IsakmpSa> sa) {
    return new Retransmitter((delay, task) -> guard.schedule(sa.get(), delay, task), transport, settings,
        () -> new InetSocketAddress[] {sa.get().local, sa.get().remote});
  }

  /** RFC 3948 §4: an established ISAKMP SA behind a NAT keeps the mapping alive until {@link #forget}. */
  void watchNat(IsakmpSa sa) {
    keepalives.watch(sa.serial, sa.natDetected(), sa.natLocal,
        () -> isakmpSas.get(sa.serial) == sa ? new InetSocketAddress[] {sa.local, sa.remote} : null);
  }

  void forget(IsakmpSa sa) {
    keepalives.forget(sa.serial);
    replication.isakmpGone(sa);
    if (isakmpSas.remove(sa.serial) != null && sa.established == null) {
      metrics.handshakeFailed(EngineMetrics.IkeVersion.IKEV1,
          sa.failure == null ? EngineMetrics.Failure.OTHER : sa.failure);
    }
    notHalfOpen(sa);
    List<IsakmpSa> same = byCookieI.get(sa.cookieI);
    if (same != null && same.remove(sa) && same.isEmpty()) {
      byCookieI.remove(sa.cookieI);
    }
  }

  /** Makes {@code sa} findable by its cookies; called once its initiator cookie is known. */
  void index(IsakmpSa sa) {
    byCookieI.computeIfAbsent(sa.cookieI, k -> new ArrayList<>(1)).add(sa);
  }

  void halfOpen(IsakmpSa sa) {
    java.net.InetAddress from = sa.remote.getAddress();
    if (halfOpen.putIfAbsent(sa, from) == null) {
      halfOpenPerAddress.merge(from, 1, Integer::sum);
    }
  }

  void notHalfOpen(IsakmpSa sa) {
    java.net.InetAddress from = halfOpen.remove(sa);
    if (from != null) {
      halfOpenPerAddress.computeIfPresent(from, (a, n) -> n > 1 ? n - 1 : null);
    }
  }

  /**
   * Why a first message from {@code from} gets no state, or null: the caps IKEv2 uses (IkeSettings.FloodLimits)
   * applied to IKEv1 responder states (Main Mode has no cookie exchange: RFC 2408's cookies are not stateless).
   */
  String halfOpenRefusal(java.net.InetAddress from) {
    var flood = settings.flood();
    if (halfOpen.size() >= flood.maxHalfOpen()) {
      return halfOpen.size() + " half-open ISAKMP SAs, the limit";
    }
    if (halfOpenPerAddress.getOrDefault(from, 0) >= flood.maxHalfOpenPerAddress()) {
      return "it holds " + flood.maxHalfOpenPerAddress() + " half-open ISAKMP SAs, the limit per address";
    }
    return null;
  }

  /** True while {@code sa} is in the table (not deleted); O(1), unlike a search of {@link #isakmpSas()}. */
  boolean live(IsakmpSa sa) {
    return isakmpSas.get(sa.serial) == sa;
  }

  /** The ISAKMP SA numbered {@code serial}, or null. */
  IsakmpSa isakmpSa(long serial) {
    return isakmpSas.get(serial);
  }

  /** The IPsec SA numbered {@code serial}, or null. */
  QuickSa quickSa(long serial) {
    return quickSas.get(serial);
  }

  /** ISAKMP SAs whose phase 1 is not yet authenticated (the responder's half-open states). */
  public int halfOpenCount() {
    return halfOpen.size();
  }

  void forget(QuickSa q) {
    replication.ipsecGone(q);
    quickSas.remove(q.serial);
    q.parent.quicks.remove(q);
    quickMode.released(q);
  }

  public List<IsakmpSa> isakmpSas() {
    return new ArrayList<>(isakmpSas.values());
  }

  public List<QuickSa> ipsecSas() {
    return new ArrayList<>(quickSas.values());
  }

  /** The ISAKMP SA with these cookies; a responder cookie of 0 in our table matches a first answer. */
  IsakmpSa find(long cookieI, long cookieR) {
    for (IsakmpSa sa : byCookieI.getOrDefault(cookieI, List.of())) {
      if (sa.cookieR == cookieR) {
        return sa;
      }
    }
    return null;
  }

  /** Our half-open responder SA for a retransmitted first message (same initiator cookie and address). */
  IsakmpSa findResponder(long cookieI, java.net.InetAddress from) {
    for (IsakmpSa sa : byCookieI.getOrDefault(cookieI, List.of())) {
      if (!sa.initiator && sa.remote.getAddress().equals(from)) {
        return sa;
      }
    }
    return null;
  }

  // ---- operations for the daemon ----

  /** {@code ipsec auto --up} with IKEv1: Main Mode (or Aggressive with aggrmode=yes), then Quick Mode. */
  public void initiate(Connection conn, Watcher watcher) {
    IsakmpSa sa = phase1For(conn);
    if (sa == null) {
      phase1.initiate(conn, watcher, 1);
    } else if (sa.state != null && sa.state.isakmpEstablished()) {
      guard.run(sa, SaEvent.WHACK, () -> quickMode.initiate(sa, conn, watcher, null));
    } else {
      sa.pending.add(new IsakmpSa.Pending(conn, watcher));
      if (watcher != null) {
        watcher.line(Outcome.COMMENT, "\"" + conn.name() + "\": Quick Mode waits for ISAKMP SA #" + sa.serial
            + " of \"" + sa.conn.name() + "\" with the same peer");
      }
    }
  }

  /**
   * Openswan's find_phase1_state for another conn: an ISAKMP SA with the same host pair, IDs and authby, established
   * (its Quick Mode goes on it) or our Main/Aggressive Mode still running (it waits); null: a phase 1 of its own.
   * A second phase 1 to the same peer would be taken as a replacement by a peer with uniqueids and cost the first
   * one's IPsec SAs. The conn's own ISAKMP SA is left to today's rules (a new initiate is a new phase 1).
   */
  private IsakmpSa phase1For(Connection conn) {
    IsakmpSa inProgress = null;
    for (IsakmpSa sa : isakmpSas()) {
      if (sa.conn == conn || sa.deleting || sa.replacedBy != 0 || sa.state == null || !samePeer(sa, conn)) {
        continue;
      }
      if (sa.state.isakmpEstablished()) {
        return sa;
      }
      if (sa.initiator && inProgress == null) {
        inProgress = sa;
      }
    }
    return inProgress;
  }

  /** Same host pair, IDs and authby as {@code sa}'s conn: Quick Modes of {@code c} may go on {@code sa}. */
  static boolean samePeer(IsakmpSa sa, Connection c) {
    Connection o = sa.conn;
    return c.localHost().equals(sa.local.getAddress())
        && c.remoteHost().map(sa.remote.getAddress()::equals).orElse(o.remoteHost().isEmpty())
        && c.local().id().equals(o.local().id()) && c.remote().id().equals(o.remote().id())
        && c.config().authby().equals(o.config().authby());
  }

  /**
   * Openswan's find_client_connection: the conn whose clients IDci/IDcr are, the ISAKMP SA's own first, else one
   * with the same peer, IDs and authby (leftsubnets='s instances, the split networks a Cisco Unity client was given);
   * null when none. {@code vip}: IDci is the address our ModeConfig gave the client (mode-cfg-05 §2), so only conns
   * that serve ModeConfig take it, and their rightsubnet need not hold it.
   */
  Connection clientConnection(IsakmpSa sa, org.openswanj.conf.Subnet ci, org.openswanj.conf.Subnet cr, boolean vip) {
    org.openswanj.conf.VirtualPrivate vp = settings.virtualPrivate();
    if (QuickMode.fits(sa, sa.conn, ci, cr, vip, vp)) {
      return sa.conn;
    }
    for (Connection c : connections()) {
      if (c != sa.conn && c.config().ikev2() != org.openswanj.conf.Ikev2Policy.INSIST && samePeer(sa, c)
          && (!vip || XauthServer.modecfg(c)) && QuickMode.fits(sa, c, ci, cr, vip, vp)) {
        return c;
      }
    }
    return null;
  }

  /**
   * Why no {@code vhost:}/{@code vnet:} conn took IDci (Openswan's "peer proposal was rejected in a virtual
   * connection policy"), for the refusal's one log line; empty when no such conn was a candidate.
   */
  java.util.Optional<String> virtualRefusal(IsakmpSa sa, org.openswanj.conf.Subnet ci, org.openswanj.conf.Subnet cr) {
    java.util.List<Connection> candidates = new java.util.ArrayList<>(List.of(sa.conn));
    connections().stream().filter(c -> c != sa.conn && samePeer(sa, c)).forEach(candidates::add);
    return candidates.stream().filter(c -> c.remoteVirtual().isPresent() && c.localSubnets().contains(cr))
        .map(c -> c.remoteVirtual().get().refusal(ci, sa.remote.getAddress(), settings.virtualPrivate()))
        .flatMap(java.util.Optional::stream).findFirst();
  }

  /**
   * {@code ipsec auto --down}: deletes the conn's IPsec SAs, and its ISAKMP SAs once no other conn's IPsec SA
   * uses them (then also an ISAKMP SA of another conn that only this conn's IPsec SAs still used), telling the peer.
   */
  public int terminate(Connection conn) {
    int n = 0;
    java.util.Set<IsakmpSa> touched = new java.util.LinkedHashSet<>();
    for (QuickSa q : ipsecSas()) {
      if (q.conn == conn) {
        touched.add(q.parent);
        guard.run(q.parent, SaEvent.WHACK, () -> info.deleteQuick(q, true));
        n++;
      }
    }
    for (IsakmpSa sa : isakmpSas()) {
      sa.pending.removeIf(p -> p.conn() == conn);
      boolean mine = sa.conn == conn || touched.contains(sa);
      if (mine && sa.quicks.stream().noneMatch(q -> q.conn != conn)) {
        guard.run(sa, SaEvent.WHACK, () -> info.deleteIsakmp(sa, true));
        n++;
      }
    }
    return n;
  }

  /** whack --deletestate N: deletes ISAKMP SA N or IPsec SA N with a Delete notification (RFC 2408 §4.8). */
  public boolean deleteState(long serial) {
    for (QuickSa q : ipsecSas()) {
      if (q.serial() == serial) {
        info.deleteQuick(q, true);
        return true;
      }
    }
    for (IsakmpSa sa : isakmpSas()) {
      if (sa.serial() == serial) {
        info.deleteIsakmp(sa, true);
        return true;
      }
    }
    return false;
  }

  public void deleteAll() {
    for (Connection c : new ArrayList<>(connections())) {
      terminate(c);
    }
  }

  /** A kernel SA reached its lifetime: soft → a new Quick Mode, hard → delete. True if the SPI was ours. */
  public boolean onExpire(int spi, boolean hard) {
    for (QuickSa q : ipsecSas()) {
      if (q.inboundSpi == spi || q.outboundSpi == spi) {
        guard.run(q.parent, SaEvent.KERNEL, () -> {
          if (hard) {
            info.deleteQuick(q, true);
          } else {
            quickMode.replace(q);
          }
        });
        return true;
      }
    }
    return false;
  }

  /**
   * The kernel decrypted ESP of the IPsec SA whose inbound SA is {@code inbound} arriving from {@code from}, not the
   * address and port it has (a NAT's new mapping). As for IKEv2 (RFC 7296 §2.23; Openswan's KLIPS reports it and
   * its pluto follows for IKEv1 too): when the peer is behind a NAT and we are not, the ISAKMP SA and all its IPsec
   * SAs move to the new port; behind the NAT we do not follow, nor to a new address (the kernel SAs are keyed on
   * it). True if the SA was ours.
   */
  public boolean onMapping(org.openswanj.kernel.SaId inbound, InetSocketAddress from) {
    for (QuickSa q : ipsecSas()) {
      if (q.inboundSpi == inbound.spi() && q.parent != null) {
        guard.run(q.parent, SaEvent.KERNEL, () -> followMapping(q.parent, from));
        return true;
      }
    }
    return false;
  }

  private void followMapping(IsakmpSa sa, InetSocketAddress from) {
    java.util.Optional<String> no = org.openswanj.pluto.engine.NatMapping.whyNotFollowed(sa.natLocal, sa.natRemote,
        installer, from, sa.remote);
    if (no.isPresent()) { // the kernel reports every such ESP packet: rate-limited, as a dropped message is
      V1Log.dropped("\"" + sa.conn.name() + "\" #" + sa.serial + ": " + no.get());
      return;
    }
    if (!from.equals(sa.remote)) {
      V1Log.sa(sa, Outcome.COMMENT, org.openswanj.pluto.engine.NatMapping.moved(sa.remote, from));
      sa.remote = from;
    }
    // also when an IKE message moved the ISAKMP SA first: its IPsec SAs may still be on the old port
    moveIpsecSas(sa);
  }

  /**
   * An authenticated message of established ISAKMP SA {@code sa} came from {@code remote}, a new port of a peer behind
   * a NAT (its mapping changed): we answer there and send there from now on, and its IPsec SAs move too (RFC 7296
   * §2.23's rule, which Openswan's IKEv1 NAT-T follows as well). Not when we are behind the NAT, nor to a new address.
   */
  void floatPeer(IsakmpSa sa, InetSocketAddress local, InetSocketAddress remote) {
    if (remote.equals(sa.remote) || !sa.natRemote || sa.natLocal || !local.equals(sa.local)
        || !remote.getAddress().equals(sa.remote.getAddress())) {
      return;
    }
    V1Log.sa(sa, Outcome.COMMENT, org.openswanj.pluto.engine.NatMapping.moved(sa.remote, remote));
    sa.remote = remote;
    moveIpsecSas(sa);
  }

  /** The kernel SAs of {@code sa}'s installed IPsec SAs to {@code sa}'s peer port, where the backend can. */
  private void moveIpsecSas(IsakmpSa sa) {
    if (!installer.backend().features().contains(org.openswanj.kernel.KernelFeature.ENCAP_UPDATE)) {
      return;
    }
    for (QuickSa q : ipsecSas()) {
      if (q.parent == sa && q.installed) {
        try {
          installer.moveEncap(sa.local, sa.remote, q.inboundSpi, q.outboundSpi);
        } catch (org.openswanj.kernel.KernelException e) {
          V1Log.quick(q, Outcome.LOG_SERIOUS, "NAT-T: cannot move the IPsec SA to " + sa.remote + ": " + e.getMessage());
        }
      }
    }
  }

  // ---- receiving ----

  /** Every IKEv1 datagram (major version 1, from {@code IkeDemux}), on the event loop. */
  public void onPacket(InetSocketAddress local, InetSocketAddress remote, byte[] bytes) {
    loop.assertInLoop();
    IkeHeader h;
    IkeMessage outer;
    try {
      outer = IkeCodec.decode(bytes);
      h = outer.header();
    } catch (IkeProtocolException e) {
      dropped(Drop.MALFORMED, "dropping malformed IKEv1 packet from " + remote + ": " + e.getMessage());
      return;
    }
    try {
      switch (h.exchange()) {
        case IDENTITY_PROTECTION, AGGRESSIVE -> phase1.onMessage(local, remote, h, outer, bytes);
        case QUICK_MODE -> quickMode.onMessage(local, remote, h, bytes);
        case INFORMATIONAL_V1 -> info.onMessage(local, remote, h, outer, bytes);
        case TRANSACTION -> transaction.onMessage(remote, h, bytes);
        default -> dropped(Drop.UNEXPECTED, "IKEv1 exchange " + h.exchangeType() + " from " + remote + " not supported; dropped");
      }
    } catch (RuntimeException e) {
      // only a first message gets here: once its SA exists, the SA's steps run through the guard
      statelessErrors++;
      V1Log.global("internal error processing IKEv1 " + h.exchange() + " from " + remote + ": "
          + e.getClass().getName() + ": " + e.getMessage());
      org.apache.logging.log4j.LogManager.getLogger("pluto").debug("internal error", e);
    }
  }

  int randomMessageId() {
    int m;
    do {
      m = random.nextInt();
    } while (m == 0);
    return m;
  }

  long randomCookie() {
    long c;
    do {
      c = random.nextLong();
    } while (c == 0);
    return c;
  }

  byte[] randomBytes(int n) {
    byte[] b = new byte[n];
    random.nextBytes(b);
    return b;
  }
}
