package org.openswanj.pluto.daemon;

import java.io.IOException;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.Logger;
import org.openswanj.conf.ConfigLoader;
import org.openswanj.conf.LoadResult;
import org.openswanj.conf.Protostack;
import org.openswanj.conf.SetupConfig;
import org.openswanj.kernel.KernelBackend;
import org.openswanj.kernel.KernelException;
import org.openswanj.pluto.daemon.control.ControlServer;
import org.openswanj.pluto.engine.IkeSettings;
import org.openswanj.pluto.net.UdpIkeSockets;

/** {@code ipsec pluto}: the IKE daemon's entry point. Exit codes as Openswan's pluto (10: already running). */
public final class PlutoMain {
  private static final int EXIT_LOCKED = 10;
  private static final int EXIT_USAGE = 1;
  private static final int EXIT_FAILED = 3;

  private PlutoMain() {}

  public static void main(String[] args) {
    PlutoOptions opts;
    try {
      opts = PlutoOptions.parse(args);
    } catch (PlutoOptions.UsageError e) {
      System.err.println("pluto: " + e.getMessage());
      System.err.println(PlutoOptions.usage());
      System.exit(e.exitStatus());
      return;
    }
    if (opts.help()) {
      System.out.println(PlutoOptions.usage());
      return;
    }
    if (opts.version()) {
      System.out.println("Linux Openswan-compatible openswanj 0.1.0 (java pluto)");
      return;
    }
    if (!opts.nofork()) {
      System.exit(Daemonize.forkAndWait(args, opts));
      return;
    }
    System.exit(run(opts));
  }

  static int run(PlutoOptions opts) {
    List<String> early = new ArrayList<>(); // said once logging is set up
    LoadResult conf = Files.exists(opts.config()) ? ConfigLoader.load(opts.config()) : null;
    SetupConfig setup = conf == null || conf.config() == null ? null : conf.config().setup();
    if (conf != null) {
      conf.diagnostics().forEach(d -> early.add(d.format()));
    }
    Optional<String> syslog = setup == null ? Optional.empty() : Optional.ofNullable(setup.raw().get("syslog"));
    Logging.configure(Logging.target(opts, syslog, early), opts.debug());
    Logger log = LogManager.getLogger("pluto");
    early.forEach(log::warn);
    PidFile pid;
    try {
      pid = PidFile.lock(opts.pidFile());
    } catch (PidFile.LockedException e) {
      System.err.println("pluto: " + e.getMessage());
      return EXIT_LOCKED;
    } catch (IOException e) {
      System.err.println("pluto: cannot write " + opts.pidFile() + ": " + e.getMessage());
      return EXIT_FAILED;
    }
    Protostack stack = opts.stack().orElse(setup == null ? Protostack.AUTO : setup.protostack());
    KernelBackend backend;
    try {
      backend = BackendFactory.open(stack, setup);
    } catch (KernelException e) {
      log.error("cannot start the {} kernel backend: {}", stack.name().toLowerCase(java.util.Locale.ROOT), e.getMessage());
      pid.release();
      return EXIT_FAILED;
    }
    log.info("Starting Pluto (Openswan-compatible openswanj 0.1.0; java) pid:{}", ProcessHandle.current().pid());
    log.info("using {} kernel interface", backend.name());
    try {
      int n = backend.cleanLeftovers(); // a previous pluto that died left SAs and policies behind
      if (n > 0) {
        log.info("removed {} SAs and policies left in the kernel by a previous pluto", n);
      }
    } catch (KernelException e) {
      log.warn("cannot remove a previous pluto's kernel state: {}", e.getMessage());
    }
    int helpers = opts.nhelpers() >= 0 ? opts.nhelpers() : Math.max(1, Runtime.getRuntime().availableProcessors() - 1);
    log.info("starting up {} cryptographic helpers", helpers);
    CountDownLatch stopped = new CountDownLatch(1);
    ThreadEventLoop loop = new ThreadEventLoop(helpers, Clock.systemUTC());
    IkeSettings settings = IkeSettings.defaults().withPorts(opts.ikePort(), opts.natIkePort())
        .withUniqueIds(opts.uniqueIds()).withKeepalive(new org.openswanj.pluto.engine.NatKeepalives.Settings(
            java.time.Duration.ofSeconds(opts.keepAliveSeconds()), opts.forceKeepalive()))
        .withVirtualPrivate(virtualPrivate(opts, setup));
    DaemonHost host = new DaemonHost(opts, backend, stopped::countDown, conf == null ? null : conf.config());
    List<String> revocationProblems = new ArrayList<>();
    host.revocation(setup, revocationProblems);
    revocationProblems.forEach(log::warn);
    Pluto pluto;
    UdpIkeSockets sockets;
    org.openswanj.pluto.daemon.cluster.SendGate gate;
    try {
      Pluto[] self = new Pluto[1];
      sockets = new UdpIkeSockets(opts.ikePort(), opts.natIkePort(), loop,
          (l, r, m) -> self[0].onIkePacket(l, r, m), UdpIkeSockets.EspSink.of(backend));
      gate = new org.openswanj.pluto.daemon.cluster.SendGate(sockets);
      pluto = new Pluto(loop, gate, backend, new SecureRandom(), host, settings);
      self[0] = pluto;
      pluto.setUpdown(new Updown(backend, updownScript()));
      host.attach(sockets);
      sockets.start();
      runOnLoop(loop, pluto::start);
      backend.attachUdpEncap(sockets);
    } catch (IOException | KernelException | RuntimeException e) {
      log.error("pluto cannot start: {}", e.getMessage());
      loop.close();
      closeQuietly(backend);
      pid.release();
      return EXIT_FAILED;
    }
    org.openswanj.pluto.daemon.cluster.ClusterService cluster;
    try {
      cluster = startCluster(setup, opts, loop, gate, pluto);
    } catch (org.openswanj.conf.ConfigException | org.openswanj.cluster.etcd.ClusterException e) {
      log.error("pluto cannot start: {}", e.getMessage());
      sockets.close();
      loop.close();
      closeQuietly(backend);
      pid.release();
      return EXIT_FAILED;
    }
    MetricsServer metrics = null;
    if (opts.metrics().isPresent()) {
      try {
        metrics = MetricsServer.start(opts.metrics().get().socketAddress(), loop, pluto::metricsLines);
        log.info("metrics: OpenMetrics on http://{}/metrics", opts.metrics().get());
      } catch (IOException e) {
        // the admin asked for this listener: a pluto without it would look healthy and be unobserved
        log.error("pluto cannot start: metrics={}: cannot listen there: {}", opts.metrics().get(), e.getMessage());
        sockets.close();
        loop.close();
        closeQuietly(backend);
        pid.release();
        return EXIT_FAILED;
      }
    }
    ControlServer control;
    try {
      Files.createDirectories(opts.ctlSocket().toAbsolutePath().getParent());
      control = new ControlServer(opts.ctlSocket(), pluto);
      control.start();
    } catch (IOException e) {
      log.error("cannot open the control socket {}: {}", opts.ctlSocket(), e.getMessage());
      if (metrics != null) {
        metrics.close();
      }
      sockets.close();
      loop.close();
      closeQuietly(backend);
      pid.release();
      return EXIT_FAILED;
    }
    Runtime.getRuntime().addShutdownHook(new Thread(stopped::countDown));
    try {
      stopped.await();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    log.info("pluto shutting down");
    if (cluster != null) {
      runOnLoop(loop, cluster::close); // idempotent: whack --shutdown may have closed it already
    }
    control.close();
    if (metrics != null) {
      metrics.close();
    }
    sockets.close();
    loop.close();
    closeQuietly(backend);
    pid.release();
    return 0;
  }

  /** With {@code cluster-etcd=}: joins the cluster as standby (docs/HA.md); null without. */
  private static org.openswanj.pluto.daemon.cluster.ClusterService startCluster(SetupConfig setup, PlutoOptions opts,
      ThreadEventLoop loop, org.openswanj.pluto.daemon.cluster.SendGate gate, Pluto pluto)
      throws org.openswanj.conf.ConfigException, org.openswanj.cluster.etcd.ClusterException {
    Optional<org.openswanj.cluster.ClusterConfig> cfg = org.openswanj.pluto.daemon.cluster.ClusterService.config(setup);
    if (cfg.isEmpty()) {
      return null;
    }
    var key = org.openswanj.pluto.daemon.cluster.ClusterService.key(pluto.secrets(), opts.secretsFile());
    var service = org.openswanj.pluto.daemon.cluster.ClusterService.start(cfg.get(), key, loop, gate,
        pluto::relisten, new org.openswanj.pluto.daemon.cluster.ClusterService.Engine() {
          @Override
          public String resume(org.openswanj.pluto.ikev2.Resume.Ike sa) {
            return pluto.engine().resume(sa);
          }

          @Override
          public boolean holds(long spiI, long spiR) {
            return pluto.engine().ikeSas().stream().anyMatch(s -> s.spiI() == spiI && s.spiR() == spiR);
          }

          @Override
          public String resume(org.openswanj.pluto.ikev1.V1Resume.Isakmp sa) {
            return pluto.ikev1().resume(sa);
          }

          @Override
          public boolean holdsIsakmp(long cookieI, long cookieR) {
            return pluto.ikev1().holds(cookieI, cookieR);
          }

          @Override
          public int abandon(InetAddress vip) {
            return pluto.engine().abandon(vip) + pluto.ikev1().abandon(vip);
          }
        });
    runOnLoop(loop, () -> pluto.setCluster(service));
    return service;
  }

  private static void runOnLoop(ThreadEventLoop loop, Runnable r) {
    CountDownLatch done = new CountDownLatch(1);
    loop.execute(() -> {
      try {
        r.run();
      } finally {
        done.countDown();
      }
    });
    try {
      done.await();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  /** bin/_updown beside bin/ipsec. */
  private static Path updownScript() {
    return InstallTop.current().updown();
  }

  private static void closeQuietly(KernelBackend b) {
    try {
      b.close();
    } catch (KernelException e) {
      LogManager.getLogger("pluto").warn("closing the kernel backend: {}", e.getMessage());
    }
  }

  /** Binds the IKE sockets for {@code --listen} addresses or every interface address. */
  static List<InetAddress> listenAddresses(List<String> listen) throws IOException {
    List<InetAddress> out = new ArrayList<>();
    if (!listen.isEmpty()) {
      for (String a : listen) {
        out.add(InetAddress.getByName(a));
      }
      return out;
    }
    return UdpIkeSockets.interfaceAddresses(false);
  }

  /** {@code --virtual_private} (what ipsec setup passes), else {@code config setup}'s own. */
  private static org.openswanj.conf.VirtualPrivate virtualPrivate(PlutoOptions opts, SetupConfig setup) {
    if (opts.virtualPrivate().isPresent()) {
      try {
        return org.openswanj.conf.VirtualPrivate.parse(opts.virtualPrivate().get());
      } catch (org.openswanj.conf.ConfigException e) {
        throw new IllegalStateException("--virtual_private was checked when parsed: " + e.getMessage(), e);
      }
    }
    return setup == null ? org.openswanj.conf.VirtualPrivate.NONE : setup.virtualPrivateSpec();
  }
}
