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
import org.openswanj.conf.AutoAction;
import org.openswanj.conf.ConfigException;
import org.openswanj.conf.ConnConfig;
import org.openswanj.conf.Ikev2Policy;
import org.openswanj.conf.secrets.Secrets;
import org.openswanj.kernel.KernelBackend;
import org.openswanj.kernel.KernelEvent;
import org.openswanj.kernel.KernelException;
import org.openswanj.pluto.conn.Connection;
import org.openswanj.pluto.conn.EndResolver;
import org.openswanj.pluto.conn.OrientException;
import org.openswanj.pluto.conn.ProposalPolicy;
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
import org.openswanj.whack.proto.Rc;
import org.openswanj.whack.proto.WhackRequest;
import org.openswanj.pluto.pki.IpsecD;
import org.openswanj.pluto.pki.RevocationPolicy;
import org.openswanj.pluto.x509.ConnCerts;
import org.openswanj.pluto.x509.Credentials;

/**
 * The daemon's state and its whack commands. {@link #handle} is called on a control-server thread and posts
 * the work to the event loop, which owns connections and SAs; one handler per command (Libreswan's
 * dispatch-table idea).
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
  /** Each conn's keywords as whack sent them (before host names and %defaultroute were resolved). */
  private final Map<String, Map<String, String>> definedAs = new java.util.HashMap<>();
  private final Ikev2Engine engine;
  private org.openswanj.pluto.daemon.cluster.ClusterService cluster;
  private final Ikev1Engine ikev1;
  private final SaInstaller installer;
  private final IkeDemux demux;
  private final Metrics metrics = new Metrics();
  private volatile Secrets secrets;
  private volatile Credentials credentials;
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
    engine.setCredentials(() -> credentials);
    ikev1.setCredentials(() -> credentials);
    ikev1.setPasswdFile(host.ipsecDir().map(d -> d.resolve("passwd"))); // Openswan's XAUTH users
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
  private void initiateAny(Connection c, WhackReply whack) {
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

  /** OE's instances join the conn table; package access for {@link OeBridge}. */
  void addInstance(Connection c) {
    conns.put(c.name(), c);
  }

  void removeInstance(Connection c) {
    engine.terminate(c);
    unrouteQuietly(c);
    conns.remove(c.name());
  }

  void initiateInstance(Connection c, WhackReply watcher) {
    engine.initiate(c, watcher == null ? null : watcher.asWatcher());
  }

  /** whack --xauthname/--xauthpass: what the conn's XAUTH client answers with from now on (not logged). */
  private void xauthCredentials(WhackRequest.XauthCredentials r, WhackReply reply) {
    if (!conns.containsKey(r.name())) {
      reply.line(Rc.UNKNOWN_NAME, "no connection named \"" + r.name() + "\"");
    } else {
      ikev1.setXauthCredentials(r.name(), r.user(), r.password().getBytes(java.nio.charset.StandardCharsets.UTF_8));
    }
    reply.close();
  }

  /** The one SaInstaller both engines share; package access for {@link OeBridge}. */
  SaInstaller installer() {
    return installer;
  }

  /** ipsec.d/cacerts and crls/ (Openswan's load_authcerts and load_crls). */
  private void loadCredentials(List<String> report) {
    java.time.Clock clock = new LoopClock(loop);
    java.util.concurrent.Executor worker = task -> loop.offload(() -> {
      task.run();
      return null;
    }, x -> { }, ex -> org.openswanj.pluto.ikev2.SaLogFacade.global("certificate check failed: " + ex.getMessage()));
    credentials = Credentials.load(host.ipsecDir().map(IpsecD::new), clock, worker, host.revocationPolicy(),
        random);
    credentials.problems().forEach(p -> report.add(p.toString()));
    report.add(credentials.summary());
  }

  private CertListings listings() {
    return new CertListings(this, new LoopClock(loop), secrets);
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
    loop.execute(() -> {
      try {
        dispatch(request, reply);
      } catch (RuntimeException e) {
        reply.line(Rc.INTERNALERR, "internal error handling " + request.getClass().getSimpleName() + ": " + e);
        reply.close();
        throw e;
      }
    });
  }

  private void dispatch(WhackRequest request, WhackReply reply) {
    loop.assertInLoop();
    if (request instanceof WhackRequest.AddConn r) {
      addConn(r, reply);
    } else if (request instanceof WhackRequest.ReplaceConn r) {
      replaceConn(r, reply);
    } else if (request instanceof WhackRequest.ConnNames) {
      done(reply, List.copyOf(conns.keySet()));
    } else if (request instanceof WhackRequest.DeleteConn r) {
      forEach(r.name(), reply, this::deleteConn);
    } else if (request instanceof WhackRequest.Initiate r) {
      forEach(r.name(), reply, (n, sub) -> initiate(new WhackRequest.Initiate(n, r.async()), sub));
    } else if (request instanceof WhackRequest.Terminate r) {
      forEach(r.name(), reply, this::terminate);
    } else if (request instanceof WhackRequest.Route r) {
      forEach(r.name(), reply, this::route);
    } else if (request instanceof WhackRequest.Unroute r) {
      forEach(r.name(), reply, this::unroute);
    } else if (request instanceof WhackRequest.Status r) {
      StatusStream.send(loop, reply, StatusPrinter.status(this, statusHeader(), r.json()));
    } else if (request instanceof WhackRequest.TrafficStatus r) {
      done(reply, StatusPrinter.trafficStatus(this, r.json()));
    } else if (request instanceof WhackRequest.ListEvents) {
      EventList.of(this).forEach(l -> reply.line(Rc.LOG, l));
      reply.close();
    } else if (request instanceof WhackRequest.DeleteState r) {
      deleteState(r.serial(), reply);
    } else if (request instanceof WhackRequest.XauthCredentials r) {
      xauthCredentials(r, reply);
    } else if (request instanceof WhackRequest.Metrics) {
      done(reply, metricsLines());
    } else if (request instanceof WhackRequest.ShuntStatus) {
      done(reply, shuntStatus());
    } else if (request instanceof WhackRequest.Look) {
      done(reply, backend.describe());
    } else if (request instanceof WhackRequest.Listen) {
      listen(reply);
    } else if (request instanceof WhackRequest.Unlisten) {
      host.unlisten();
      addresses = List.of();
      done(reply, List.of("no longer listening for IKE messages"));
    } else if (request instanceof WhackRequest.Shutdown) {
      shutdown(reply);
    } else if (request instanceof WhackRequest.RereadSecrets) {
      rereadSecrets(reply);
    } else if (request instanceof WhackRequest.RereadAll) {
      rereadAll(reply);
    } else if (request instanceof WhackRequest.RereadCaCerts || request instanceof WhackRequest.RereadCrls) {
      rereadCredentials(reply);
    } else if (request instanceof WhackRequest.ListPubkeys) {
      done(reply, publicKeys());
    } else if (request instanceof WhackRequest.ListCerts r) {
      done(reply, listings().certs(r.utc()));
    } else if (request instanceof WhackRequest.ListCaCerts r) {
      done(reply, listings().caCerts(r.utc()));
    } else if (request instanceof WhackRequest.ListCrls r) {
      done(reply, listings().crls(r.utc()));
    } else if (request instanceof WhackRequest.ListAll) {
      List<String> all = publicKeys();
      all.addAll(listings().certs(false));
      all.addAll(listings().caCerts(false));
      all.addAll(listings().crls(false));
      done(reply, all);
    } else {
      // Debug: log levels are set at start-up; say so rather than pretend
      reply.line(Rc.LOG, "debug options are taken at start-up only (ipsec pluto --debug-*, or plutodebug= in"
          + " config setup); nothing changed");
      reply.close();
    }
  }

  /** Openswan's --listpubkeys: our certificates' and peers' keys, then the keys OE learned from DNS. */
  private List<String> publicKeys() {
    List<String> out = new ArrayList<>(listings().pubkeys(false));
    if (oe != null) {
      out.addAll(oe.publicKeys());
    }
    return out;
  }

  /** whack --metrics and metrics=: the OpenMetrics exposition, from one snapshot. On the loop. */
  List<String> metricsLines() {
    loop.assertInLoop();
    return MetricsReport.lines(this, metrics);
  }

  /** The secrets read at start-up, for the cluster key (any thread). */
  Secrets secretsForCluster() {
    return secrets;
  }

  /** This node's cluster membership (docs/HA.md); replicates the IKEv2 SAs. On the loop. */
  public void setCluster(org.openswanj.pluto.daemon.cluster.ClusterService cluster) {
    this.cluster = cluster;
    addresses = withVips(addresses);
    engine.setReplication(cluster.publisher());
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

  /** Binds the IKE sockets again (an address was added, e.g. a cluster virtual address claimed). On the loop. */
  public void relisten() {
    List<String> report = new ArrayList<>();
    addresses = withVips(host.listen(report));
    report.stream().filter(l -> l.startsWith("adding interface") || l.startsWith("cannot"))
        .forEach(org.openswanj.pluto.ikev2.SaLogFacade::global);
  }

  private List<String> statusHeader() {
    List<String> out = new ArrayList<>(host.statusHeader());
    if (cluster != null) {
      out.addAll(cluster.status());
    }
    if (oe != null) {
      out.addAll(oe.status());
    }
    return out;
  }

  private static void done(WhackReply reply, List<String> lines) {
    for (String l : lines) {
      reply.line(Rc.COMMENT, l);
    }
    reply.close();
  }

  /**
   * A whack command on a conn: a name that is no conn acts on every conn whose connalias= names it, each in turn,
   * on one reply stream (Openswan's foreach_connection_by_alias: how NAME reaches leftsubnets='s NAME/1x1...);
   * a name that is neither gets the conn's usual "no connection named" answer.
   */
  private void forEach(String name, WhackReply reply, java.util.function.BiConsumer<String, WhackReply> command) {
    List<String> named = conns.containsKey(name) ? List.of() : aliased(name);
    if (named.isEmpty()) {
      command.accept(name, reply);
      return;
    }
    org.openswanj.pluto.daemon.control.JointReply joint =
        new org.openswanj.pluto.daemon.control.JointReply(reply, name, named.size());
    for (String n : named) {
      command.accept(n, joint.child());
    }
  }

  /** The conns whose connalias= has this name, in the order they were added. */
  private List<String> aliased(String name) {
    return conns.values().stream().filter(c -> {
      String a = c.config().keywords().get("connalias");
      return a != null && org.openswanj.conf.Values.list(a).contains(name);
    }).map(Connection::name).toList();
  }

  private Connection conn(String name, WhackReply reply) {
    Connection c = conns.get(name);
    if (c == null) {
      reply.line(Rc.UNKNOWN_NAME, "no connection named \"" + name + "\"");
      reply.close();
    }
    return c;
  }

  /** The conn, if it exists and can be negotiated; else says why (and closes the reply) and gives null. */
  private Connection negotiable(String name, WhackReply reply) {
    Connection c = conn(name, reply);
    Optional<String> why = c == null ? Optional.empty() : ProposalPolicy.notNegotiable(c.config());
    if (why.isPresent()) {
      reply.line(Rc.NOALGO, "\"" + name + "\": " + why.get());
      reply.close();
      return null;
    }
    return c;
  }

  private void addConn(WhackRequest.AddConn r, WhackReply reply) {
    if (conns.containsKey(r.name())) {
      reply.line(Rc.DUPNAME, "attempt to redefine connection \"" + r.name() + "\"");
      reply.close();
      return;
    }
    try {
      ConnConfig cfg = ConnConfig.fromKeywords(r.name(), r.keywords());
      Optional<String> unimplemented = ProposalPolicy.unimplemented(cfg);
      if (unimplemented.isPresent()) {
        reply.line(Rc.NOALGO, "\"" + r.name() + "\": " + unimplemented.get());
        reply.close();
        return;
      }
      definedAs.put(r.name(), r.keywords());
      if (EndResolver.needed(cfg)) {
        resolveThenAdd(cfg, reply);
        return;
      }
      orientAndAdd(cfg, reply);
    } catch (ConfigException e) {
      reply.line(Rc.WHACK_PROBLEM, "\"" + r.name() + "\": " + e.getMessage());
    }
    reply.close();
  }

  /**
   * Host names and %defaultroute are resolved when the conn is added, never at start-up, on a helper thread;
   * the add finishes on the loop. An end that does not resolve fails the add: it never becomes %any.
   */
  private void resolveThenAdd(ConnConfig cfg, WhackReply reply) {
    host.helpers().execute(() -> {
      List<String> log = new ArrayList<>();
      try {
        ConnConfig resolved = host.endResolver().resolve(cfg, log);
        loop.execute(() -> {
          log.forEach(l -> org.openswanj.pluto.ikev2.SaLogFacade.global("\"" + cfg.name() + "\": " + l));
          if (conns.containsKey(cfg.name())) {
            reply.line(Rc.DUPNAME, "attempt to redefine connection \"" + cfg.name() + "\"");
          } else {
            orientAndAdd(resolved, reply);
          }
          reply.close();
        });
      } catch (EndResolver.ResolveException | RuntimeException e) {
        // a resolver bug must still answer whack, or ipsec auto --add would wait forever
        String why = e instanceof EndResolver.ResolveException ? e.getMessage() : "cannot resolve its hosts: " + e;
        loop.execute(() -> {
          org.openswanj.pluto.ikev2.SaLogFacade.global("\"" + cfg.name() + "\": " + why);
          reply.line(Rc.ORIENT, "\"" + cfg.name() + "\": " + why);
          reply.close();
        });
      }
    });
  }

  /** Orients a conn whose ends are addresses and adds it; the reply says what happened (left open). */
  private void orientAndAdd(ConnConfig cfg, WhackReply reply) {
    try {
      Connection c;
      try {
        c = Connection.orient(cfg, addresses, loop.now());
      } catch (OrientException first) {
        // an interface may have come up since the last scan (Openswan needs a manual --listen here)
        List<String> report = new ArrayList<>();
        addresses = withVips(host.listen(report));
        report.forEach(org.openswanj.pluto.ikev2.SaLogFacade::global);
        c = Connection.orient(cfg, addresses, loop.now());
      }
      try {
        c.attachCertificates(ConnCerts.load(c.local(), c.remote(), credentials, new LoopClock(loop),
            c.local() == cfg.left() ? "left" : "right"));
      } catch (ConnCerts.CertException e) {
        reply.line(Rc.WHACK_PROBLEM, "\"" + cfg.name() + "\": " + e.getMessage());
        return;
      }
      for (String w : c.certs().warnings()) {
        reply.line(Rc.LOG, "\"" + c.name() + "\": " + w);
      }
      if (c.config().aggressive() && c.config().authby().contains(org.openswanj.conf.AuthBy.SECRET)
          && c.config().ikev2() != org.openswanj.conf.Ikev2Policy.INSIST) {
        // RFC 2409 §5.4 and its known weakness: AR1's HASH_R is sent before the peer proved anything, so
        // anyone who asks gets material to guess the PSK offline
        String w = "\"" + c.name() + "\": warning: aggrmode=yes with a pre-shared key lets anyone who sends"
            + " an Aggressive Mode request test PSK guesses offline; use a long random PSK, Main Mode or IKEv2";
        reply.line(Rc.LOG, w);
        org.openswanj.pluto.ikev2.SaLogFacade.global(w);
      }
      conns.put(c.name(), c);
      reply.line(Rc.LOG, "added connection description \"" + c.name() + "\"");
    } catch (OrientException e) {
      reply.line(Rc.ORIENT, "\"" + cfg.name() + "\": " + e.getMessage());
    }
  }

  private void deleteConn(String name, WhackReply reply) {
    Connection c = conn(name, reply);
    if (c == null) {
      return;
    }
    removeConn(c);
    reply.line(Rc.COMMENT, "\"" + name + "\": deleting connection");
    reply.close();
  }

  /** whack --deletestate N (Openswan's rcv_whack: RC_UNKNOWN_NAME "no state #N to delete"). */
  private void deleteState(long serial, WhackReply reply) {
    if (!engine.deleteState(serial) && !ikev1.deleteState(serial)) {
      reply.line(Rc.UNKNOWN_NAME, "no state #" + serial + " to delete");
    }
    reply.close();
  }

  private void removeConn(Connection c) {
    engine.terminate(c);
    ikev1.terminate(c);
    unrouteQuietly(c);
    conns.remove(c.name());
    definedAs.remove(c.name());
  }

  /**
   * ipsec auto --replace and setup reload as a difference: a conn defined with exactly these keywords stays as it
   * is, SAs and routes included; any other is deleted and added anew.
   */
  private void replaceConn(WhackRequest.ReplaceConn r, WhackReply reply) {
    Connection c = conns.get(r.name());
    if (c != null && r.keywords().equals(definedAs.get(r.name()))) {
      reply.line(Rc.COMMENT, "\"" + r.name() + "\": unchanged");
      reply.close();
      return;
    }
    if (c != null) {
      org.openswanj.pluto.ikev2.SaLogFacade.global("\"" + r.name() + "\": changed: replacing connection");
      removeConn(c);
    }
    if (c == null) { // a conn that had leftsubnets= before: its instances go, as auto --replace's delete does
      aliased(r.name()).forEach(n -> removeConn(conns.get(n)));
    }
    addConn(new WhackRequest.AddConn(r.name(), r.keywords()), reply);
  }

  private void initiate(WhackRequest.Initiate r, WhackReply reply) {
    Connection c = negotiable(r.name(), reply);
    if (c == null) {
      return;
    }
    if (c.config().type().isShunt()) { // Openswan's initiate.c: a shunt is routed, never negotiated
      reply.line(Rc.INITSHUNT, "\"" + c.name() + "\": cannot initiate an authby=never connection");
      reply.close();
      return;
    }
    initiateAny(c, reply);
    if (r.async()) {
      reply.close();
    }
  }

  private void terminate(String name, WhackReply reply) {
    Connection c = conn(name, reply);
    if (c == null) {
      return;
    }
    int n = engine.terminate(c) + ikev1.terminate(c);
    if (n == 0) {
      reply.line(Rc.COMMENT, "\"" + name + "\": terminating SAs using this connection (none up)");
    }
    if (c.config().auto() == AutoAction.ROUTE) {
      routeQuietly(c);
    }
    reply.close();
  }

  private void route(String name, WhackReply reply) {
    Connection c = negotiable(name, reply);
    if (c == null) {
      return;
    }
    try {
      engine.route(c);
      reply.line(Rc.COMMENT, "\"" + name + "\": route installed ("
          + (c.config().type().isShunt() ? shuntName(c) : "%trap") + ")");
    } catch (KernelException e) {
      reply.line(Rc.ROUTE, "\"" + name + "\": could not route: " + e.getMessage());
    }
    reply.close();
  }

  private static String shuntName(Connection c) {
    return SaInstaller.shuntName(SaInstaller.shuntAction(c));
  }

  /**
   * whack --shuntstatus, as Openswan's show_shunt_status: "ours:port -proto-> his:port => %pass 0    why". Shunt
   * conns, and the negotiation or failure shunt of a routed conn (why: "conn (failureshunt)", as Openswan names
   * its bare shunts by the reason they were put there).
   */
  private List<String> shuntStatus() {
    List<String> out = new ArrayList<>();
    for (Connection c : conns.values()) {
      if (c.config().type().isShunt() && c.routing() != Connection.Routing.UNROUTED) {
        shuntLines(out, c, shuntName(c), c.name());
      } else if (!c.config().type().isShunt()) {
        String why = c.routing() == Connection.Routing.FAILURE ? " (failureshunt)" : " (negotiationshunt)";
        installer.currentShunt(c).ifPresent(a -> shuntLines(out, c, SaInstaller.shuntName(a), c.name() + why));
      }
    }
    return out;
  }

  private static void shuntLines(List<String> out, Connection c, String shunt, String why) {
    for (org.openswanj.kernel.Selector s : org.openswanj.pluto.sa.SaInstaller.shuntSelectors(c)) {
      out.add(s.src().getHostAddress() + "/" + s.srcPrefix() + ":" + s.srcPort() + " -" + s.protocol() + "-> "
          + s.dst().getHostAddress() + "/" + s.dstPrefix() + ":" + s.dstPort() + " => " + shunt + " 0    " + why);
    }
  }

  private void unroute(String name, WhackReply reply) {
    Connection c = conn(name, reply);
    if (c == null) {
      return;
    }
    if (c.erouteOwner() != 0) {
      reply.line(Rc.RTBUSY, "\"" + name + "\": cannot unroute: route busy with an IPsec SA");
    } else {
      unrouteQuietly(c);
    }
    reply.close();
  }

  private void routeQuietly(Connection c) {
    try {
      engine.route(c);
    } catch (KernelException e) {
      org.openswanj.pluto.ikev2.SaLogFacade.global("\"" + c.name() + "\": cannot route: " + e.getMessage());
    }
  }

  private void unrouteQuietly(Connection c) {
    try {
      engine.unroute(c);
    } catch (KernelException e) {
      org.openswanj.pluto.ikev2.SaLogFacade.global("\"" + c.name() + "\": cannot unroute: " + e.getMessage());
    }
  }

  private void listen(WhackReply reply) {
    List<String> report = new ArrayList<>();
    addresses = withVips(host.listen(report));
    secrets = host.loadSecrets(report);
    startOe();
    done(reply, report);
  }

  private void rereadSecrets(WhackReply reply) {
    List<String> report = new ArrayList<>();
    secrets = host.loadSecrets(report);
    done(reply, report);
  }

  /**
   * --rereadcacerts, --rereadcrls: the verifier holds ipsec.d's CAs and CRLs together, so both are read again
   * (CRLs fetched over HTTP are fetched anew when next needed); an SA already up keeps its checked peer.
   */
  private void rereadCredentials(WhackReply reply) {
    List<String> report = new ArrayList<>();
    loadCredentials(report);
    done(reply, report);
  }

  private void rereadAll(WhackReply reply) {
    List<String> report = new ArrayList<>();
    secrets = host.loadSecrets(report);
    loadCredentials(report);
    done(reply, report);
  }

  private void shutdown(WhackReply reply) {
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
          initiateAny(c, null);
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
      org.openswanj.pluto.ikev2.SaLogFacade.global("NAT mapping changed for " + m.sa() + " to " + m.newPeer());
    }
  }
}
