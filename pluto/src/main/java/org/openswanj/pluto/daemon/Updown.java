package org.openswanj.pluto.daemon;

import com.google.common.net.InetAddresses;
import java.net.InetAddress;
import java.net.NetworkInterface;
import java.net.SocketException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.Logger;
import org.openswanj.conf.AutoAction;
import org.openswanj.conf.Subnet;
import org.openswanj.kernel.KernelBackend;
import org.openswanj.pluto.conn.Connection;
import org.openswanj.pluto.sa.UpdownHook;
import org.openswanj.pluto.sa.UpdownHook.SaPeer;

/**
 * Runs the conn's {@code leftupdown} script (default: {@code bin/_updown}) with Openswan's {@code PLUTO_*}
 * environment and verbs: {@code prepare-} and {@code route-client} when a conn is routed (by {@code auto --route}
 * or before its first SA), {@code up-client} / {@code down-client} as SAs come and go, {@code unroute-client}
 * when the route goes. Scripts run in order on one thread of their own (see {@link UpdownScript}: a stuck script
 * is killed after 30 s); {@link #route} and the route step of {@link #up} wait up to 2 s, so the route normally
 * exists before the SA is reported up, yet a slow script never holds IKE for long (Openswan's pluto waits without
 * bound); {@code up-} and {@code down-} scripts are not waited for. The environment is {@link UpdownEnv}'s. Where
 * the conn has no {@code leftupdown=} and {@link DefaultUpdown} can do what the default script would, it does so on
 * the same thread, in the same order, without a process. Called on the event loop.
 */
public final class Updown implements UpdownHook, AutoCloseable {
  private static final Logger LOG = LogManager.getLogger("pluto");
  /** Openswan waits for a script as long as it runs; here a stuck one is killed after this. */
  private static final Duration SCRIPT_TIMEOUT = Duration.ofSeconds(30);
  /** How long the event loop waits for route-/up- scripts, so routes exist before the SA is reported up. */
  private static final Duration LOOP_WAIT = Duration.ofSeconds(2);
  private final KernelBackend backend;
  private final Path defaultScript;
  /** Whether the default script is bin/_updown as shipped, which {@link DefaultUpdown} may stand in for. */
  private final boolean shippedScript;
  private final Set<String> routed = new HashSet<>();
  /** The updown thread's rtnetlink socket for {@link DefaultUpdown}, opened at its first use (null: not yet). */
  private RouteNetlink routes;
  private boolean routesUnavailable;
  private final ExecutorService runner = Executors.newSingleThreadExecutor(r -> {
    Thread t = new Thread(r, "pluto-updown");
    t.setDaemon(true);
    return t;
  });

  public Updown(KernelBackend backend, Path defaultScript) {
    this.backend = backend;
    this.defaultScript = defaultScript;
    this.shippedScript = DefaultUpdown.isShipped(defaultScript);
  }

  @Override
  public void route(Connection c) {
    if (routed.add(c.name())) {
      run(c, "prepare", c.localHost(), c.remoteHost().orElse(null), 0);
      await(c, run(c, "route", c.localHost(), c.remoteHost().orElse(null), 0));
    }
  }

  @Override
  public void alreadyRouted(Connection c) {
    routed.add(c.name());
  }

  @Override
  public void unroute(Connection c) {
    if (routed.remove(c.name())) {
      run(c, "unroute", c.localHost(), c.remoteHost().orElse(null), 0);
    }
  }

  @Override
  public void up(Connection c, InetAddress us, InetAddress peer, int reqid) {
    up(c, us, peer, reqid, SaPeer.NONE);
  }

  @Override
  public void down(Connection c, InetAddress us, InetAddress peer, int reqid) {
    down(c, us, peer, reqid, SaPeer.NONE);
  }

  /** A ModeConfig client is routed on its own (several share the conn), the others once per conn. */
  private static String routeKey(Connection c, SaPeer sa) {
    return c.name() + sa.client().map(s -> "|" + s).orElse("");
  }

  /**
   * The route (first SA of a conn) is waited for, so traffic finds it once the SA is reported up; the {@code up-}
   * script is not: the event loop serves every SA, and a firewall hook of ~100 ms per tunnel held all other IKE
   * work (50 OE tunnels at once took 20 s). The one script thread still runs them in order.
   */
  @Override
  public void up(Connection c, InetAddress us, InetAddress peer, int reqid, SaPeer sa) {
    Future<?> route = null;
    if (routed.add(routeKey(c, sa))) {
      run(c, "prepare", us, peer, reqid, sa);
      route = run(c, "route", us, peer, reqid, sa);
    }
    run(c, "up", us, peer, reqid, sa);
    if (route != null) {
      await(c, route);
    }
  }

  @Override
  public void down(Connection c, InetAddress us, InetAddress peer, int reqid, SaPeer sa) {
    run(c, "down", us, peer, reqid, sa);
    if (c.config().auto() != AutoAction.ROUTE && routed.remove(routeKey(c, sa))) {
      run(c, "unroute", us, peer, reqid, sa); // a routed conn keeps its route for the %trap
    }
  }

  private void await(Connection c, Future<?> done) {
    try {
      done.get(LOOP_WAIT.toMillis(), TimeUnit.MILLISECONDS);
    } catch (TimeoutException e) {
      LOG.info("\"{}\": updown script still running after {}s; IKE goes on without it", c.name(),
          LOOP_WAIT.toSeconds());
    } catch (ExecutionException e) {
      LOG.warn("\"{}\": updown script failed: {}", c.name(), e.getCause().toString());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  /** Queues the script for {@code what} once per peer subnet; returns when the last one is done. */
  private Future<?> run(Connection c, String what, InetAddress us, InetAddress peer, int reqid) {
    return run(c, what, us, peer, reqid, SaPeer.NONE);
  }

  private Future<?> run(Connection c, String what, InetAddress us, InetAddress peer, int reqid, SaPeer sa) {
    if (peer == null && !c.remote().subnets().isEmpty()) {
      // a peer of %any with subnets (an OE policy group): Openswan's %opportunisticgroup passes 0.0.0.0
      peer = us instanceof java.net.Inet6Address ? InetAddresses.forString("::") : InetAddresses.forString("0.0.0.0");
    }
    if (peer == null || (backend.name().equals("none") && c.local().updown().isEmpty())) {
      return CompletableFuture.completedFuture(null); // nothing to route with the recording backend
    }
    UpdownEnv builder = new UpdownEnv(backend.name(), iface(us));
    Future<?> last = CompletableFuture.completedFuture(null);
    List<Subnet> peerNets = sa.client().isPresent() ? List.of(sa.client().get()) : c.remoteSubnets(peer);
    for (Subnet peerNet : peerNets) {
      Map<String, String> env = builder.build(new UpdownEnv.Run(c, what, us, peer, peerNet, reqid, sa));
      String script = c.local().updown().orElse(defaultScript.toString());
      boolean inProcess = c.local().updown().isEmpty() && shippedScript && DefaultUpdown.applies(env);
      last = runner.submit(() -> inProcess && routes() != null ? inProcess(c.name(), env)
          : UpdownScript.run(c.name(), script, env, SCRIPT_TIMEOUT));
    }
    return last; // one thread runs them in order: the last one done means all are
  }

  /** On the updown thread: the default script's work done here, its failure logged as the script's would be. */
  private Object inProcess(String conn, Map<String, String> env) {
    DefaultUpdown.Outcome o = DefaultUpdown.run(env, routes);
    if (o.status() != 0) {
      LOG.warn("\"{}\": {} command exited with status {}: {}", conn, env.get("PLUTO_VERB"), o.status(),
          o.output().trim());
    }
    return o;
  }

  /** On the updown thread: its rtnetlink socket, or null (then the script runs) if none can be had. */
  private RouteNetlink routes() {
    if (routes == null && !routesUnavailable) {
      try {
        routes = new RouteNetlink();
      } catch (java.io.IOException | UnsatisfiedLinkError e) {
        routesUnavailable = true;
        LOG.info("updown: {}; the default script runs for every verb", e.getMessage());
      }
    }
    return routes;
  }

  private String iface(InetAddress local) {
    Optional<String> virtual = backend.virtualInterface(local);
    if (virtual.isPresent()) {
      return virtual.get();
    }
    try {
      NetworkInterface ni = NetworkInterface.getByInetAddress(local);
      return ni == null ? "" : ni.getName();
    } catch (SocketException e) {
      return "";
    }
  }

  @Override
  public void close() {
    runner.submit(() -> {
      if (routes != null) {
        routes.close();
      }
    });
    runner.shutdown();
    try {
      runner.awaitTermination(5, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
