package org.openswanj.pluto.daemon;

import java.net.InetAddress;
import java.security.SecureRandom;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;
import org.openswanj.conf.Ikev2Policy;
import org.openswanj.conf.secrets.Secrets;
import org.openswanj.kernel.KernelBackend;
import org.openswanj.kernel.KernelEvent;
import org.openswanj.kernel.KernelException;
import org.openswanj.pluto.conn.Connection;
import org.openswanj.pluto.conn.EndResolver;
import org.openswanj.pluto.daemon.control.PlutoControl;
import org.openswanj.pluto.daemon.control.WhackReply;
import org.openswanj.pluto.engine.EngineContext;
import org.openswanj.pluto.engine.EventLoop;
import org.openswanj.pluto.engine.IkeSettings;
import org.openswanj.pluto.engine.Serials;
import org.openswanj.pluto.engine.Watcher;
import org.openswanj.pluto.daemon.oe.OeController;
import org.openswanj.pluto.daemon.oe.OeKeyLookup;
import org.openswanj.pluto.ikev1.Ikev1Engine;
import org.openswanj.pluto.ikev2.Ikev2Engine;
import org.openswanj.pluto.net.IkeTransport;
import org.openswanj.pluto.sa.SaInstaller;
import org.openswanj.pluto.sa.UpdownHook;
import org.openswanj.whack.proto.WhackRequest;
import org.openswanj.pluto.pki.IpsecD;
import org.openswanj.pluto.pki.RevocationPolicy;
import org.openswanj.pluto.x509.Credentials;

/**
 * The daemon's state and life: the conn table, both engines and what they share, secrets and credentials, the
 * addresses we listen on, OE, the cluster and the kernel's events. Everything here runs on the event loop, which
 * owns connections and SAs. whack's commands are {@link WhackDispatch}'s, one handler per request type.
 */
public final class Pluto implements PlutoControl {
  /** What the daemon shell provides: interfaces, secrets, shutdown. */
  public interface Host {
    /** The addresses pluto listens on (after --listen / interface scan); lines to report. */
    List<InetAddress> listen(List<String> report);

    void unlisten();

    /** (Re)reads ipsec.secrets; lines to report. */
    Secrets loadSecrets(List<String> report);

    /** Ends the process after the reply is written. */
    void shutdown();

    /** Extra lines for the top of --status (interfaces, %myid, debug). */
    List<String> statusHeader();

    /** Resolves host names and %defaultroute of a conn being added (blocking: called on {@link #helpers()}). */
    default EndResolver endResolver() {
      return org.openswanj.pluto.net.HostLookup.systemResolver();
    }

    /** Where blocking work (DNS, routing table) runs, off the event loop (Openswan's helpers). */
    default java.util.concurrent.Executor helpers() {
      return Runnable::run;
    }

    /** Opportunistic encryption, when {@code oe=yes}: the groups read by the last {@link #loadSecrets}. */
    default Optional<OeSetup> oeSetup() {
      return Optional.empty();
    }

    /** The ipsec.d directory ({@code --ipsecdir}) with cacerts/, certs/, crls/; empty for none. */
    default Optional<java.nio.file.Path> ipsecDir() {
      return Optional.empty();
    }

    /** strictcrlpolicy= and crlcheckinterval= of config setup. */
    default RevocationPolicy revocationPolicy() {
      return RevocationPolicy.DEFAULT;
    }
  }

  /** What OE starts from: the policy groups, where keys are looked up, the failure shunts' lifetime. */
  public record OeSetup(org.openswanj.conf.policy.PolicyGroups groups, OeKeyLookup lookup,
      java.time.Duration shuntLifetime, java.util.Map<org.openswanj.conf.policy.PolicyGroupName,
          org.openswanj.pluto.daemon.oe.OeAuth> auth) {
    /** Every group authenticated with keys from DNS (Openswan 2.6's implicit conns). */
    public OeSetup(org.openswanj.conf.policy.PolicyGroups groups, OeKeyLookup lookup, java.time.Duration shuntLifetime) {
      this(groups, lookup, shuntLifetime, java.util.Map.of());
    }
  }

  private final EventLoop loop;
  private final KernelBackend backend;
  private final Host host;
  private final Map<String, Connection> conns = new LinkedHashMap<>();
  private final Ikev2Engine engine;
  private org.openswanj.pluto.daemon.cluster.ClusterService cluster;
  private final Ikev1Engine ikev1;
  private final SaInstaller installer;
  private final IkeDemux demux;
  private final Metrics metrics = new Metrics();
  private final WhackDispatch whack;
  private volatile Secrets secrets;
  private volatile Credentials credentials;
  /** CRL and OCSP fetches; one for the daemon's life, every reload of the credentials uses it. */
  private org.openswanj.pluto.pki.Fetcher fetcher;
  private final SecureRandom random;
  private List<InetAddress> addresses = List.of();
  private OeController oe;

  public Pluto(EventLoop loop, IkeTransport transport, KernelBackend backend, SecureRandom random, Host host,
      IkeSettings settings) {
    this.loop = loop;
    this.backend = backend;
    this.host = host;
    this.random = random;
    Supplier<Collection<Connection>> connections = conns::values;
    this.installer = new SaInstaller(backend);
    // klips's data path sends its own NAT-keepalives; for netkey and none pluto sends them (RFC 3948 §4)
    org.openswanj.pluto.engine.NatKeepalives keepalives = new org.openswanj.pluto.engine.NatKeepalives(loop,
        transport, settings.keepalive(), backend.features().contains(org.openswanj.kernel.KernelFeature.NAT_KEEPALIVE));
    EngineContext context = new EngineContext(loop, keepalives, installer, random, settings, new Serials(),
        metrics);
    this.engine = new Ikev2Engine(context, () -> secrets, connections);
    this.ikev1 = new Ikev1Engine(context, () -> secrets, connections);
    this.demux = new IkeDemux(loop, keepalives, ikev1::onPacket, engine::onPacket, metrics);
    this.whack = new WhackDispatch(this, loop);
    engine.setCredentials(() -> credentials);
    ikev1.setCredentials(() -> credentials);
    ikev1.setPasswdFile(host.ipsecDir().map(org.openswanj.conf.OpenswanPaths::passwd)); // Openswan's XAUTH users
    backend.setListener(ev -> loop.execute(() -> onKernelEvent(ev)));
  }

  public Ikev2Engine engine() {
    return engine;
  }

  /** The IKEv1 engine (Main/Aggressive/Quick Mode). */
  public Ikev1Engine ikev1() {
    return ikev1;
  }

  /** Where the sockets hand every IKE datagram (on the loop): it picks the engine by major version. */
  public IkeDemux demux() {
    return demux;
  }

  /** Openswan 2.6: {@code ikev2=never|permit} (the default) initiate IKEv1, {@code propose|insist} IKEv2. */
  void initiate(Connection c, WhackReply whack) {
    Watcher reply = whack == null ? null : whack.asWatcher();
    Ikev2Policy p = c.config().ikev2();
    if (p == Ikev2Policy.NEVER || p == Ikev2Policy.PERMIT) {
      ikev1.initiate(c, reply);
    } else {
      engine.initiate(c, reply);
    }
  }

  /** Where routing and SA up/down go (the updown runner), for both IKE versions. */
  public void setUpdown(UpdownHook hook) {
    installer.setUpdown(hook);
  }

  public KernelBackend backend() {
    return backend;
  }

  /** What the shell provides; the conn commands use its resolver and helpers. */
  Host host() {
    return host;
  }

  /** Start-up (on the loop): listen and read secrets, as Openswan does before taking whack commands. */
  public void start() {
    List<String> report = new ArrayList<>();
    addresses = host.listen(report);
    secrets = host.loadSecrets(report);
    loadCredentials(report);
    report.forEach(org.openswanj.pluto.ikev2.SaLogFacade::global);
    startOe();
  }

  /** Policy groups act (oe=yes): a controller of their own, see {@link OeController}. */
  private void startOe() {
    if (oe != null) {
      oe.stop();
      oe = null;
    }
    host.oeSetup().ifPresent(s -> {
      oe = new OeController(loop, backend, new OeBridge(this), s.lookup(), s.shuntLifetime(), s.groups(),
          addresses, s.auth());
      oe.start();
    });
  }

  /** The IKE sockets' entry: OE may hold an IKE_SA_INIT from an unknown peer while it looks up its key. */
  public void onIkePacket(java.net.InetSocketAddress local, java.net.InetSocketAddress remote, byte[] datagram) {
    if (oe == null || !oe.responder().intercept(local, remote, datagram)) {
      demux.onIkePacket(local, remote, datagram);
    }
  }

  /** The conn of this name, or null. */
  Connection conn(String name) {
    return conns.get(name);
  }

  /** The conns' names, in the order they were added. */
  List<String> connNames() {
    return List.copyOf(conns.keySet());
  }

  /** The conns whose connalias= has this name, in the order they were added. */
  List<String> aliased(String name) {
    return conns.values().stream().filter(c -> {
      String a = c.config().keywords().get("connalias");
      return a != null && org.openswanj.conf.Values.list(a).contains(name);
    }).map(Connection::name).toList();
  }

  /** A conn joins the table: one whack added, or an OE instance ({@link OeBridge}). */
  void add(Connection c) {
    conns.put(c.name(), c);
  }

  /** A conn leaves the table with its SAs of either IKE version and its routes. */
  void remove(Connection c) {
    engine.terminate(c);
    ikev1.terminate(c);
    unrouteQuietly(c);
    conns.remove(c.name());
  }

  /** {@code whack --oppohere/--oppothere}: OE for one flow started by hand ({@link OeController#initiateByHand}). */
  void initiateOpportunistic(String here, String there, WhackReply reply) {
    if (oe == null) {
      reply.line(org.openswanj.whack.proto.Rc.OPPOFAILURE, "opportunistic encryption is off: oe=yes in config setup"
          + " turns it on");
      reply.close();
      return;
    }
    oe.initiateByHand(here, there, reply);
  }

  /** An OE instance leaves the table with its SAs of either version; package access for {@link OeBridge}. */
  void removeInstance(Connection c) {
    engine.terminate(c);
    ikev1.terminate(c);
    unrouteQuietly(c);
    conns.remove(c.name());
  }

  /** An OE instance negotiates in its version ({@code ikev2=insist}, or {@code never}: Openswan 2.6's OE). */
  void initiateInstance(Connection c, WhackReply watcher) {
    initiate(c, watcher);
  }

  /** The one SaInstaller both engines share; package access for {@link OeBridge}. */
  SaInstaller installer() {
    return installer;
  }

  /** ipsec.d/cacerts and crls/ (Openswan's load_authcerts and load_crls). */
  void loadCredentials(List<String> report) {
    java.time.Clock clock = new LoopClock(loop);
    java.util.concurrent.Executor worker = task -> loop.offload(() -> {
      task.run();
      return null;
    }, x -> { }, ex -> org.openswanj.pluto.ikev2.SaLogFacade.global("certificate check failed: " + ex.getMessage()));
    if (fetcher == null) {
      fetcher = Credentials.fetcher(worker);
    }
    credentials = Credentials.load(host.ipsecDir().map(IpsecD::new), clock, fetcher, worker,
        host.revocationPolicy(), random);
    credentials.problems().forEach(p -> report.add(p.toString()));
    report.add(credentials.summary());
  }

  /** Reads ipsec.secrets again. */
  void loadSecrets(List<String> report) {
    secrets = host.loadSecrets(report);
  }

  /** strictcrlpolicy= and crlcheckinterval= in use. */
  RevocationPolicy revocationPolicy() {
    return host.revocationPolicy();
  }

  /** The credentials in use (CAs, CRLs); for listings. */
  public Credentials credentials() {
    return credentials;
  }

  public Collection<Connection> connections() {
    return conns.values();
  }

  Instant engineNow() {
    return loop.now();
  }

  public List<InetAddress> addresses() {
    return addresses;
  }

  @Override
  public void handle(WhackRequest request, WhackReply reply) {
    whack.handle(request, reply);
  }

  /** The keys OE learned from DNS, for --listpubkeys after our own. */
  List<String> oePublicKeys() {
    return oe == null ? List.of() : oe.publicKeys();
  }

  /** whack --metrics and metrics=: the OpenMetrics exposition, from one snapshot. On the loop. */
  List<String> metricsLines() {
    loop.assertInLoop();
    return MetricsReport.lines(this, metrics);
  }

  /** The secrets read last (any thread): for the cluster key and the listings. */
  Secrets secrets() {
    return secrets;
  }

  /** This node's cluster membership (docs/HA.md); replicates the IKEv2 and IKEv1 SAs. On the loop. */
  public void setCluster(org.openswanj.pluto.daemon.cluster.ClusterService cluster) {
    this.cluster = cluster;
    addresses = withVips(addresses);
    engine.setReplication(cluster.publisher());
    ikev1.setReplication(cluster.publisher());
    cluster.publisher().attach(backend);
  }

  /** Our addresses plus the cluster's virtual ones: every node orients the VIP's conns to itself, active or not. */
  private List<InetAddress> withVips(List<InetAddress> own) {
    if (cluster == null) {
      return own;
    }
    List<InetAddress> all = new ArrayList<>(own);
    cluster.vips().stream().filter(v -> !all.contains(v)).forEach(all::add);
    return all;
  }

  /** Scans the interfaces and binds the IKE sockets again; the addresses we now have. On the loop. */
  List<InetAddress> rescan(List<String> report) {
    addresses = withVips(host.listen(report));
    return addresses;
  }

  /** Binds the IKE sockets again (an address was added, e.g. a cluster virtual address claimed). On the loop. */
  public void relisten() {
    List<String> report = new ArrayList<>();
    rescan(report);
    report.stream().filter(l -> l.startsWith("adding interface") || l.startsWith("cannot"))
        .forEach(org.openswanj.pluto.ikev2.SaLogFacade::global);
  }

  /** whack --listen: scan interfaces, reread secrets and policy groups. */
  void listen(List<String> report) {
    rescan(report);
    loadSecrets(report);
    startOe();
  }

  /** whack --unlisten: the IKE sockets close; conns stay. */
  void unlisten() {
    host.unlisten();
    addresses = List.of();
  }

  List<String> statusHeader() {
    List<String> out = new ArrayList<>(host.statusHeader());
    if (cluster != null) {
      out.addAll(cluster.status());
    }
    if (oe != null) {
      out.addAll(oe.status());
    }
    return out;
  }

  void routeQuietly(Connection c) {
    try {
      engine.route(c);
    } catch (KernelException e) {
      org.openswanj.pluto.ikev2.SaLogFacade.global("\"" + c.name() + "\": cannot route: " + e.getMessage());
    }
  }

  void unrouteQuietly(Connection c) {
    try {
      engine.unroute(c);
    } catch (KernelException e) {
      org.openswanj.pluto.ikev2.SaLogFacade.global("\"" + c.name() + "\": cannot unroute: " + e.getMessage());
    }
  }

  /** whack --shutdown: every SA deleted, every route gone, the kernel flushed; the reply closed, then the exit. */
  void shutdown(WhackReply reply) {
    org.openswanj.pluto.ikev2.SaLogFacade.global("shutting down");
    if (cluster != null) {
      // first: a standby takes over at once, and our SAs' Deletes are not sent from its address
      cluster.close();
      cluster = null;
    }
    if (oe != null) {
      oe.stop();
    }
    engine.deleteAll();
    ikev1.deleteAll();
    for (Connection c : new ArrayList<>(conns.values())) {
      unrouteQuietly(c);
    }
    try {
      backend.flush();
    } catch (KernelException e) {
      org.openswanj.pluto.ikev2.SaLogFacade.global("flushing the kernel backend: " + e.getMessage());
    }
    reply.close();
    host.shutdown();
  }

  /** ACQUIRE (a packet hit %trap): bring the conn up, once (Openswan's initiate_ondemand). */
  private void onKernelEvent(KernelEvent ev) {
    if (ev instanceof KernelEvent.Acquire a) {
      for (Connection c : conns.values()) {
        if (c.routing() == Connection.Routing.PROSPECTIVE && c.newestIkeSa() == 0 && engine.matchesTrap(c, a.packet())) {
          org.openswanj.pluto.ikev2.SaLogFacade.global("\"" + c.name() + "\": acquire for " + a.packet()
              + ": initiating on demand");
          try {
            installer.negotiating(c); // negotiationshunt= while IKE runs
          } catch (KernelException e) {
            org.openswanj.pluto.ikev2.SaLogFacade.global("\"" + c.name() + "\": cannot install the negotiation"
                + " shunt: " + e.getMessage());
          }
          initiate(c, null);
          return;
        }
      }
      if (oe != null) {
        oe.onAcquire(a.packet()); // no conn's %trap: a policy group's (opportunistic encryption)
      }
    } else if (ev instanceof KernelEvent.Expire x) {
      if (!ikev1.onExpire(x.sa().spi(), x.hard())) {
        engine.onExpire(x.sa().spi(), x.hard());
      }
    } else if (ev instanceof KernelEvent.Mapping m) {
      if (!ikev1.onMapping(m.sa(), m.newPeer()) && !engine.onMapping(m.sa(), m.newPeer())) {
        org.openswanj.pluto.ikev2.SaLogFacade.global("NAT mapping changed for " + m.sa() + " to " + m.newPeer()
            + ": no IPsec SA of ours");
      }
    }
  }
}
