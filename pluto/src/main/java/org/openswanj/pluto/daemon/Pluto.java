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
import org.openswanj.pluto.conn.OrientException;
import org.openswanj.pluto.conn.ProposalPolicy;
import org.openswanj.pluto.daemon.control.PlutoControl;
import org.openswanj.pluto.daemon.control.WhackReply;
import org.openswanj.pluto.ikev1.Ikev1Engine;
import org.openswanj.pluto.ikev2.Ikev2Engine;
import org.openswanj.pluto.ikev2.Ikev2Settings;
import org.openswanj.pluto.net.IkeTransport;
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

    /** The ipsec.d directory ({@code --ipsecdir}) with cacerts/, certs/, crls/; empty for none. */
    default Optional<java.nio.file.Path> ipsecDir() {
      return Optional.empty();
    }

    /** strictcrlpolicy= and crlcheckinterval= of config setup. */
    default RevocationPolicy revocationPolicy() {
      return RevocationPolicy.DEFAULT;
    }
  }

  private final EventLoop loop;
  private final KernelBackend backend;
  private final Host host;
  private final Map<String, Connection> conns = new LinkedHashMap<>();
  private final Ikev2Engine engine;
  private final Ikev1Engine ikev1;
  private volatile Secrets secrets;
  private volatile Credentials credentials;
  private final SecureRandom random;
  private List<InetAddress> addresses = List.of();

  public Pluto(EventLoop loop, IkeTransport transport, KernelBackend backend, SecureRandom random, Host host,
      Ikev2Settings settings) {
    this.loop = loop;
    this.backend = backend;
    this.host = host;
    this.random = random;
    Supplier<Collection<Connection>> connections = conns::values;
    this.engine = new Ikev2Engine(loop, transport, backend, random, () -> secrets, connections, settings);
    this.ikev1 = new Ikev1Engine(loop, transport, engine.installer(), random, () -> secrets, connections, settings,
        engine::allocateSerial);
    engine.setV1Handler(ikev1::onPacket);
    engine.setCredentials(() -> credentials);
    ikev1.setCredentials(() -> credentials);
    backend.setListener(ev -> loop.execute(() -> onKernelEvent(ev)));
  }

  public Ikev2Engine engine() {
    return engine;
  }

  /** The IKEv1 engine (Main/Aggressive/Quick Mode); IKEv1 datagrams reach it through {@link #engine()}. */
  public Ikev1Engine ikev1() {
    return ikev1;
  }

  /** Openswan 2.6: {@code ikev2=never|permit} (the default) initiate IKEv1, {@code propose|insist} IKEv2. */
  private void initiateAny(Connection c, WhackReply reply) {
    Ikev2Policy p = c.config().ikev2();
    if (p == Ikev2Policy.NEVER || p == Ikev2Policy.PERMIT) {
      ikev1.initiate(c, reply);
    } else {
      engine.initiate(c, reply);
    }
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
    if (request instanceof WhackRequest.AddConn r) {
      addConn(r, reply);
    } else if (request instanceof WhackRequest.DeleteConn r) {
      deleteConn(r.name(), reply);
    } else if (request instanceof WhackRequest.Initiate r) {
      initiate(r, reply);
    } else if (request instanceof WhackRequest.Terminate r) {
      terminate(r.name(), reply);
    } else if (request instanceof WhackRequest.Route r) {
      route(r.name(), reply);
    } else if (request instanceof WhackRequest.Unroute r) {
      unroute(r.name(), reply);
    } else if (request instanceof WhackRequest.Status r) {
      done(reply, StatusPrinter.status(this, host.statusHeader(), r.json()));
    } else if (request instanceof WhackRequest.TrafficStatus r) {
      done(reply, StatusPrinter.trafficStatus(this, r.json()));
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
    } else if (request instanceof WhackRequest.ListPubkeys) {
      done(reply, listings().pubkeys(false));
    } else if (request instanceof WhackRequest.ListCerts r) {
      done(reply, listings().certs(r.utc()));
    } else if (request instanceof WhackRequest.ListCaCerts r) {
      done(reply, listings().caCerts(r.utc()));
    } else if (request instanceof WhackRequest.ListCrls r) {
      done(reply, listings().crls(r.utc()));
    } else if (request instanceof WhackRequest.ListAll) {
      done(reply, listings().all(false));
    } else {
      // Debug: log levels are set at start-up; say so rather than pretend
      reply.line(Rc.LOG, "debug options are taken at start-up only (ipsec pluto --debug-*, or plutodebug= in"
          + " config setup); nothing changed");
      reply.close();
    }
  }

  private static void done(WhackReply reply, List<String> lines) {
    for (String l : lines) {
      reply.line(Rc.COMMENT, l);
    }
    reply.close();
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
      Connection c;
      try {
        c = Connection.orient(cfg, addresses, loop.now());
      } catch (OrientException first) {
        // an interface may have come up since the last scan (Openswan needs a manual --listen here)
        List<String> report = new ArrayList<>();
        addresses = host.listen(report);
        report.forEach(org.openswanj.pluto.ikev2.SaLogFacade::global);
        c = Connection.orient(cfg, addresses, loop.now());
      }
      try {
        c.attachCertificates(ConnCerts.load(c.local(), c.remote(), credentials, new LoopClock(loop),
            c.local() == cfg.left() ? "left" : "right"));
      } catch (ConnCerts.CertException e) {
        reply.line(Rc.WHACK_PROBLEM, "\"" + r.name() + "\": " + e.getMessage());
        reply.close();
        return;
      }
      for (String w : c.certs().warnings()) {
        reply.line(Rc.LOG, "\"" + c.name() + "\": " + w);
      }
      conns.put(c.name(), c);
      reply.line(Rc.LOG, "added connection description \"" + c.name() + "\"");
    } catch (ConfigException e) {
      reply.line(Rc.WHACK_PROBLEM, "\"" + r.name() + "\": " + e.getMessage());
    } catch (OrientException e) {
      reply.line(Rc.ORIENT, "\"" + r.name() + "\": " + e.getMessage());
    }
    reply.close();
  }

  private void deleteConn(String name, WhackReply reply) {
    Connection c = conn(name, reply);
    if (c == null) {
      return;
    }
    engine.terminate(c);
    ikev1.terminate(c);
    unrouteQuietly(c);
    conns.remove(name);
    reply.line(Rc.COMMENT, "\"" + name + "\": deleting connection");
    reply.close();
  }

  private void initiate(WhackRequest.Initiate r, WhackReply reply) {
    Connection c = negotiable(r.name(), reply);
    if (c == null) {
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
      reply.line(Rc.COMMENT, "\"" + name + "\": route installed (%trap)");
    } catch (KernelException e) {
      reply.line(Rc.ROUTE, "\"" + name + "\": could not route: " + e.getMessage());
    }
    reply.close();
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
    addresses = host.listen(report);
    secrets = host.loadSecrets(report);
    done(reply, report);
  }

  private void rereadSecrets(WhackReply reply) {
    List<String> report = new ArrayList<>();
    secrets = host.loadSecrets(report);
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
          initiateAny(c, null);
          return;
        }
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
