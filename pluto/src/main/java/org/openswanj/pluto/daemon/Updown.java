package org.openswanj.pluto.daemon;

import java.io.IOException;
import java.net.InetAddress;
import java.net.NetworkInterface;
import java.net.SocketException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.Logger;
import org.openswanj.conf.Subnet;
import org.openswanj.kernel.KernelBackend;
import org.openswanj.kernel.klips.KlipsBackend;
import org.openswanj.pluto.conn.Connection;
import org.openswanj.pluto.ikev2.ChildSa;
import org.openswanj.pluto.ikev2.ChildEvents;
import org.openswanj.pluto.ikev2.IkeSa;

/**
 * Runs the conn's {@code leftupdown} script (default: {@code bin/_updown}) with Openswan's {@code PLUTO_*}
 * environment when a Child SA comes up or goes down. Scripts run in order on one thread of their own, never
 * on the event loop; a failing script is logged with its output.
 */
public final class Updown implements ChildEvents, AutoCloseable {
  private static final Logger LOG = LogManager.getLogger("pluto");
  private static final long TIMEOUT_S = 30;
  private final KernelBackend backend;
  private final Path defaultScript;
  private final ExecutorService runner = Executors.newSingleThreadExecutor(r -> {
    Thread t = new Thread(r, "pluto-updown");
    t.setDaemon(true);
    return t;
  });

  public Updown(KernelBackend backend, Path defaultScript) {
    this.backend = backend;
    this.defaultScript = defaultScript;
  }

  /**
   * up-client runs before the SA is reported established (Openswan does the same): the route must exist when
   * {@code ipsec auto --up} returns, or when the responder's answer lets the peer send. It waits behind any
   * script still queued, bounded by the script time-out.
   */
  @Override
  public void up(ChildSa child) {
    java.util.concurrent.Future<?> done = run("up", child);
    try {
      done.get(TIMEOUT_S, TimeUnit.SECONDS);
    } catch (java.util.concurrent.ExecutionException | java.util.concurrent.TimeoutException e) {
      LOG.warn("\"{}\" #{}: up-client did not finish: {}", child.parent().conn().name(), child.serial(), e.toString());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  @Override
  public void down(ChildSa child) {
    run("down", child);
  }

  private java.util.concurrent.Future<?> run(String what, ChildSa child) {
    IkeSa sa = child.parent();
    Connection c = sa.conn();
    String stack = backend.name();
    if (stack.equals("none") && c.local().updown().isEmpty()) {
      return java.util.concurrent.CompletableFuture.completedFuture(null); // nothing to route: recording backend
    }
    boolean hostToHost = c.local().subnets().isEmpty() && c.remote().subnets().isEmpty();
    String verb = what + (hostToHost ? "-host" : "-client");
    java.util.concurrent.Future<?> last = java.util.concurrent.CompletableFuture.completedFuture(null);
    for (Subnet peer : c.remoteSubnets(sa.remote().getAddress())) {
      Map<String, String> env = env(c, sa, child, peer, verb, stack);
      String script = c.local().updown().orElse(defaultScript.toString());
      last = runner.submit(() -> exec(c.name(), child.serial(), script, env));
    }
    return last; // one thread runs them in order: the last one done means all are
  }

  Map<String, String> env(Connection c, IkeSa sa, ChildSa child, Subnet peer, String verb, String stack) {
    Subnet mine = c.localSubnets().get(0);
    Map<String, String> env = new LinkedHashMap<>();
    env.put("PLUTO_VERSION", "2.0");
    env.put("PLUTO_VERB", verb);
    env.put("PLUTO_CONNECTION", c.name());
    env.put("PLUTO_STACK", stack);
    env.put("PLUTO_INTERFACE", iface(sa.local().getAddress()));
    env.put("PLUTO_NEXT_HOP", c.local().nexthop().map(InetAddress::getHostAddress).orElse(sa.remote().getAddress().getHostAddress()));
    env.put("PLUTO_ME", sa.local().getAddress().getHostAddress());
    env.put("PLUTO_MY_ID", c.localId().toString());
    env.put("PLUTO_MY_CLIENT", mine.toString());
    env.put("PLUTO_MY_CLIENT_NET", mine.network().getHostAddress());
    env.put("PLUTO_MY_CLIENT_MASK", mask(mine));
    env.put("PLUTO_MY_PORT", Integer.toString(c.local().protoPort().port()));
    env.put("PLUTO_MY_PROTOCOL", Integer.toString(c.local().protoPort().protocol()));
    env.put("PLUTO_PEER", sa.remote().getAddress().getHostAddress());
    env.put("PLUTO_PEER_ID", c.remoteId().toString());
    env.put("PLUTO_PEER_CLIENT", peer.toString());
    env.put("PLUTO_PEER_CLIENT_NET", peer.network().getHostAddress());
    env.put("PLUTO_PEER_CLIENT_MASK", mask(peer));
    env.put("PLUTO_PEER_PORT", Integer.toString(c.remote().protoPort().port()));
    env.put("PLUTO_PEER_PROTOCOL", Integer.toString(c.remote().protoPort().protocol()));
    env.put("PLUTO_CONN_POLICY", c.usesPsk() ? "PSK+ENCRYPT" : "RSASIG+ENCRYPT");
    env.put("PLUTO_SA_REQID", Integer.toString(child.reqid()));
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

  private static void exec(String conn, long serial, String script, Map<String, String> env) {
    ProcessBuilder pb = new ProcessBuilder(List.of("/bin/sh", "-c", script)).redirectErrorStream(true);
    pb.environment().putAll(env);
    try {
      Process p = pb.start();
      byte[] out = p.getInputStream().readAllBytes();
      if (!p.waitFor(TIMEOUT_S, TimeUnit.SECONDS)) {
        p.destroyForcibly();
        LOG.warn("\"{}\" #{}: {} \"{}\" timed out after {}s", conn, serial, env.get("PLUTO_VERB"), script, TIMEOUT_S);
        return;
      }
      if (p.exitValue() != 0) {
        LOG.warn("\"{}\" #{}: {} command exited with status {}: {}", conn, serial, env.get("PLUTO_VERB"), p.exitValue(),
            new String(out, java.nio.charset.StandardCharsets.UTF_8).trim());
      }
    } catch (IOException e) {
      LOG.warn("\"{}\" #{}: cannot run updown script \"{}\": {}", conn, serial, script, e.getMessage());
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
