package org.openswanj.pluto.daemon;

import java.io.IOException;
import java.net.InetAddress;
import java.net.NetworkInterface;
import java.net.SocketException;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
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
import org.openswanj.kernel.klips.KlipsBackend;
import org.openswanj.pluto.conn.Connection;
import org.openswanj.pluto.sa.UpdownHook;

/**
 * Runs the conn's {@code leftupdown} script (default: {@code bin/_updown}) with Openswan's {@code PLUTO_*}
 * environment and verbs: {@code prepare-} and {@code route-client} when a conn is routed (by {@code auto --route}
 * or before its first SA), {@code up-client} / {@code down-client} as SAs come and go, {@code unroute-client}
 * when the route goes. Scripts run in order on one thread of their own; {@link #up} and {@link #route} wait for
 * theirs (bounded), as Openswan's single-threaded pluto does, so the route exists before the SA is reported up.
 * Called on the event loop.
 */
public final class Updown implements UpdownHook, AutoCloseable {
  private static final Logger LOG = LogManager.getLogger("pluto");
  private static final long TIMEOUT_S = 30;
  private final KernelBackend backend;
  private final Path defaultScript;
  private final Set<String> routed = new HashSet<>();
  private final ExecutorService runner = Executors.newSingleThreadExecutor(r -> {
    Thread t = new Thread(r, "pluto-updown");
    t.setDaemon(true);
    return t;
  });

  public Updown(KernelBackend backend, Path defaultScript) {
    this.backend = backend;
    this.defaultScript = defaultScript;
  }

  @Override
  public void route(Connection c) {
    if (routed.add(c.name())) {
      run(c, "prepare", c.localHost(), c.remoteHost().orElse(null), 0);
      await(c, run(c, "route", c.localHost(), c.remoteHost().orElse(null), 0));
    }
  }

  @Override
  public void unroute(Connection c) {
    if (routed.remove(c.name())) {
      run(c, "unroute", c.localHost(), c.remoteHost().orElse(null), 0);
    }
  }

  @Override
  public void up(Connection c, InetAddress us, InetAddress peer, int reqid) {
    if (routed.add(c.name())) {
      run(c, "prepare", us, peer, reqid);
      run(c, "route", us, peer, reqid);
    }
    await(c, run(c, "up", us, peer, reqid));
  }

  @Override
  public void down(Connection c, InetAddress us, InetAddress peer, int reqid) {
    run(c, "down", us, peer, reqid);
    if (c.config().auto() != AutoAction.ROUTE && routed.remove(c.name())) {
      run(c, "unroute", us, peer, reqid); // a routed conn keeps its route for the %trap
    }
  }

  private void await(Connection c, Future<?> done) {
    try {
      done.get(TIMEOUT_S, TimeUnit.SECONDS);
    } catch (ExecutionException | TimeoutException e) {
      LOG.warn("\"{}\": updown script did not finish: {}", c.name(), e.toString());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  /** Queues the script for {@code verb} once per peer subnet; returns when the last one is done. */
  private Future<?> run(Connection c, String what, InetAddress us, InetAddress peer, int reqid) {
    if (peer == null || (backend.name().equals("none") && c.local().updown().isEmpty())) {
      return CompletableFuture.completedFuture(null); // nothing to route with the recording backend
    }
    boolean hostToHost = c.local().subnets().isEmpty() && c.remote().subnets().isEmpty();
    String verb = what + (hostToHost ? "-host" : "-client");
    Future<?> last = CompletableFuture.completedFuture(null);
    for (Subnet peerNet : c.remoteSubnets(peer)) {
      Map<String, String> env = env(c, us, peer, peerNet, verb, reqid);
      String script = c.local().updown().orElse(defaultScript.toString());
      last = runner.submit(() -> exec(c.name(), script, env));
    }
    return last; // one thread runs them in order: the last one done means all are
  }

  Map<String, String> env(Connection c, InetAddress us, InetAddress peer, Subnet peerNet, String verb, int reqid) {
    Subnet mine = c.localSubnets().get(0);
    Map<String, String> env = new LinkedHashMap<>();
    env.put("PLUTO_VERSION", "2.0");
    env.put("PLUTO_VERB", verb);
    env.put("PLUTO_CONNECTION", c.name());
    env.put("PLUTO_STACK", backend.name());
    env.put("PLUTO_INTERFACE", iface(us));
    env.put("PLUTO_NEXT_HOP", c.local().nexthop().map(InetAddress::getHostAddress).orElse(peer.getHostAddress()));
    env.put("PLUTO_ME", us.getHostAddress());
    env.put("PLUTO_MY_ID", c.localId().toString());
    env.put("PLUTO_MY_CLIENT", mine.toString());
    env.put("PLUTO_MY_CLIENT_NET", mine.network().getHostAddress());
    env.put("PLUTO_MY_CLIENT_MASK", mask(mine));
    env.put("PLUTO_MY_PORT", Integer.toString(c.local().protoPort().port()));
    env.put("PLUTO_MY_PROTOCOL", Integer.toString(c.local().protoPort().protocol()));
    env.put("PLUTO_PEER", peer.getHostAddress());
    env.put("PLUTO_PEER_ID", c.remoteId().toString());
    env.put("PLUTO_PEER_CLIENT", peerNet.toString());
    env.put("PLUTO_PEER_CLIENT_NET", peerNet.network().getHostAddress());
    env.put("PLUTO_PEER_CLIENT_MASK", mask(peerNet));
    env.put("PLUTO_PEER_PORT", Integer.toString(c.remote().protoPort().port()));
    env.put("PLUTO_PEER_PROTOCOL", Integer.toString(c.remote().protoPort().protocol()));
    env.put("PLUTO_CONN_POLICY", c.usesPsk() ? "PSK+ENCRYPT" : "RSASIG+ENCRYPT");
    env.put("PLUTO_SA_REQID", Integer.toString(reqid));
    env.put("PLUTO_SA_TYPE", "ESP");
    c.local().sourceIp().ifPresent(s -> env.put("PLUTO_MY_SOURCEIP", s.getHostAddress()));
    return env;
  }

  private String iface(InetAddress local) {
    if (backend instanceof KlipsBackend k) {
      return k.interfaceFor(local);
    }
    try {
      NetworkInterface ni = NetworkInterface.getByInetAddress(local);
      return ni == null ? "" : ni.getName();
    } catch (SocketException e) {
      return "";
    }
  }

  private static String mask(Subnet s) {
    byte[] m = new byte[s.network().getAddress().length];
    for (int bit = 0; bit < s.prefix(); bit++) {
      m[bit / 8] |= (byte) (0x80 >> (bit % 8));
    }
    try {
      return InetAddress.getByAddress(m).getHostAddress();
    } catch (java.net.UnknownHostException e) {
      return "";
    }
  }

  private static void exec(String conn, String script, Map<String, String> env) {
    ProcessBuilder pb = new ProcessBuilder(List.of("/bin/sh", "-c", script)).redirectErrorStream(true);
    pb.environment().putAll(env);
    try {
      Process p = pb.start();
      byte[] out = p.getInputStream().readAllBytes();
      if (!p.waitFor(TIMEOUT_S, TimeUnit.SECONDS)) {
        p.destroyForcibly();
        LOG.warn("\"{}\": {} \"{}\" timed out after {}s", conn, env.get("PLUTO_VERB"), script, TIMEOUT_S);
        return;
      }
      if (p.exitValue() != 0) {
        LOG.warn("\"{}\": {} command exited with status {}: {}", conn, env.get("PLUTO_VERB"), p.exitValue(),
            new String(out, java.nio.charset.StandardCharsets.UTF_8).trim());
      }
    } catch (IOException e) {
      LOG.warn("\"{}\": cannot run updown script \"{}\": {}", conn, script, e.getMessage());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  @Override
  public void close() {
    runner.shutdown();
    try {
      runner.awaitTermination(5, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
