package org.openswanj.pluto.daemon.cluster;

import java.net.InetAddress;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.openswanj.cluster.ClusterConfig;
import org.openswanj.cluster.codec.ClusterKey;
import org.openswanj.cluster.etcd.ClusterException;
import org.openswanj.cluster.etcd.ClusterListener;
import org.openswanj.cluster.etcd.ClusterNode;
import org.openswanj.cluster.etcd.FenceReason;
import org.openswanj.cluster.state.ChildSaRecord;
import org.openswanj.cluster.state.IkeSaRecord;
import org.openswanj.cluster.state.SaRecord;
import org.openswanj.cluster.vip.VipClaimException;
import org.openswanj.conf.ConfigException;
import org.openswanj.conf.SetupConfig;
import org.openswanj.conf.secrets.ClusterSecret;
import org.openswanj.conf.secrets.SecretEntry;
import org.openswanj.conf.secrets.Secrets;
import org.openswanj.pluto.engine.EventLoop;
import org.openswanj.pluto.ikev2.SaLogFacade;

/**
 * This pluto as a cluster member (docs/HA.md): the etcd {@link ClusterNode}, this node's role per virtual
 * address, the address claim, and the send gate that keeps a standby or fenced node silent for the address.
 * The cluster's callbacks arrive on its own threads and are posted to the event loop; address claims (they
 * run {@code ip} and {@code arping}) run on a thread of their own, one at a time, in order.
 */
public final class ClusterService implements ClusterListener, Membership, AutoCloseable {
  /** A node's role for one virtual address. */
  enum Role {
    STANDBY, ACTIVE, FENCED
  }

  private record State(Role role, String detail) {}

  private final ClusterConfig config;
  private final EventLoop loop;
  private final VipHolder vips;
  private final SendGate gate;
  private final Runnable relisten;
  private final Engine engine;

  /** What the cluster asks of the IKEv2 engine (on the loop). */
  public interface Engine {
    /** Continues a replicated IKE SA; null when done, else why not. */
    String resume(org.openswanj.pluto.ikev2.Resume.Ike sa);

    /** We have this IKE SA already (we kept it through an etcd outage). */
    boolean holds(long spiI, long spiR);

    /** Continues a replicated ISAKMP SA and its IPsec SAs (IKEv1); null when done, else why not. */
    String resume(org.openswanj.pluto.ikev1.V1Resume.Isakmp sa);

    /** We have this ISAKMP SA already (we kept it through an etcd outage). */
    boolean holdsIsakmp(long cookieI, long cookieR);

    /** Drops, without a Delete, the SAs (IKEv2 and IKEv1) on an address this node no longer serves. */
    int abandon(InetAddress vip);
  }
  private final ExecutorService claims = Executors.newSingleThreadExecutor(r -> {
    Thread t = new Thread(r, "cluster-vip");
    t.setDaemon(true);
    return t;
  });
  /**
   * Renews the lifetimes of the addresses we hold (docs/HA.md, "The address outlives no pluto"): its own thread,
   * so a gratuitous ARP on {@link #claims} never holds a renewal back past the lifetime.
   */
  private final ScheduledExecutorService renewals = Executors.newSingleThreadScheduledExecutor(r -> {
    Thread t = new Thread(r, "cluster-vip-renew");
    t.setDaemon(true);
    return t;
  });
  /**
   * The addresses {@link #renewals} may renew: a copy of {@link #held}, changed on the loop; a renewal and an
   * address's claim or release change the address under this set's lock, so no renewal adds back an address
   * just released.
   */
  private final Set<InetAddress> renewable = new HashSet<>();
  /** Loop only. */
  private final Map<InetAddress, State> roles = new LinkedHashMap<>();
  /** Addresses we hold on the LAN (loop only). */
  private final Set<InetAddress> held = new HashSet<>();
  private final Publisher publisher;
  private volatile ClusterNode node;
  private boolean closed;
  /** A renewal failed and was logged (renewals thread only). */
  private boolean renewFailing;
  private String lastTakeover = "";

  ClusterService(ClusterConfig config, EventLoop loop, VipHolder vips, SendGate gate, Runnable relisten,
      Engine engine) {
    this.engine = engine;
    this.config = config;
    this.loop = loop;
    this.vips = vips;
    this.gate = gate;
    this.relisten = relisten;
    this.publisher = new Publisher(this, loop, config.seqMargin());
    config.vips().forEach(v -> roles.put(v, new State(Role.STANDBY, "")));
    gate.silence(Set.copyOf(config.vips()));
    long every = Math.max(200, config.leaseTtl().toMillis() / 3);
    renewals.scheduleWithFixedDelay(this::renewAddresses, every, every, TimeUnit.MILLISECONDS);
  }

  /** On {@link #renewals}: the lifetime of every address we hold starts again (a failure is logged once). */
  private void renewAddresses() {
    synchronized (renewable) {
      for (InetAddress vip : renewable) {
        try {
          vips.renew(vip);
          renewFailing = false;
        } catch (VipClaimException e) {
          if (!renewFailing) {
            renewFailing = true;
            loop.execute(() -> SaLogFacade.global("cluster: cannot renew " + vip.getHostAddress() + " (the kernel "
                + "drops it when its lifetime ends): " + e.getMessage()));
          }
        }
      }
    }
  }

  /** The cluster settings of {@code config setup}; empty without {@code cluster-etcd=}. */
  public static Optional<ClusterConfig> config(SetupConfig setup) throws ConfigException {
    return setup == null ? Optional.empty() : ClusterConfig.from(setup);
  }

  /** The cluster key from ipsec.secrets ({@code : CLUSTER 0x<64 hex digits>}); an error names the file. */
  public static ClusterKey key(Secrets secrets, Path secretsFile) throws ClusterException {
    Optional<SecretEntry> e = secrets.clusterKey();
    if (e.isEmpty()) {
      throw new ClusterException("cluster-etcd= is set but " + secretsFile + " has no cluster key (add a line "
          + "\": CLUSTER 0x<64 hex digits>\", the same on every node)");
    }
    byte[] k = ((ClusterSecret) e.get().secret()).bytes();
    try {
      return new ClusterKey(k, new SecureRandom());
    } finally {
      java.util.Arrays.fill(k, (byte) 0);
    }
  }

  /**
   * Joins the cluster (blocks up to the lease TTL while etcd answers); this node starts as standby for every
   * address and is silent for them until elected. {@code relisten} (run on the loop) binds the IKE sockets to
   * an address just claimed.
   */
  public static ClusterService start(ClusterConfig config, ClusterKey key, EventLoop loop, SendGate gate,
      Runnable relisten, Engine engine) throws ClusterException {
    VipHolder lan = new LanVip(config.leaseTtl());
    for (InetAddress vip : config.vips()) {
      // a previous pluto of this node that died (kill -9, crash) left the address behind: a standby holds none
      try {
        lan.release(vip);
      } catch (VipClaimException e) {
        SaLogFacade.global("cluster: cannot remove a leftover " + vip.getHostAddress() + ": " + e.getMessage());
      }
    }
    ClusterService s = new ClusterService(config, loop, lan, gate, relisten, engine);
    s.node = ClusterNode.start(config, key, s);
    SaLogFacade.global("cluster: node \"" + config.node() + "\" joined etcd " + endpoints(config) + " (lease ttl "
        + config.leaseTtl().toSeconds() + " s), standby for " + addresses(config.vips()));
    return s;
  }

  /** The virtual addresses the cluster serves. */
  public List<InetAddress> vips() {
    return config.vips();
  }

  ClusterConfig config() {
    return config;
  }

  ClusterNode node() {
    return node;
  }

  /** What replicates the engine's SAs; the IKEv2 engine calls it. */
  public Publisher publisher() {
    return publisher;
  }

  @Override
  public CompletableFuture<Boolean> writeAll(InetAddress vip, java.util.List<org.openswanj.cluster.state.RecordWrite> w) {
    ClusterNode n = node;
    return n == null ? CompletableFuture.completedFuture(false) : n.writeAll(vip, w);
  }

  /** Loop only: are we active for {@code vip} (elected, lease held)? */
  @Override
  public boolean activeFor(InetAddress vip) {
    State s = roles.get(vip);
    ClusterNode n = node;
    return s != null && s.role == Role.ACTIVE && n != null && n.isActive(vip);
  }

  @Override
  public boolean isVip(InetAddress a) {
    return roles.containsKey(a);
  }

  // ---- ClusterListener: on the cluster's threads, posted to the loop ----

  @Override
  public void becameActive(InetAddress vip) {
    loop.execute(() -> {
      if (held.contains(vip)) {
        // elected again after an etcd outage during which we kept the address and the SAs: nothing moved
        roles.put(vip, new State(Role.ACTIVE, "address kept through an etcd outage"));
        updateGate();
        SaLogFacade.global("cluster: elected again for " + vip.getHostAddress() + ": keeping the address and SAs");
        takeOver(vip); // only what we do not hold already
        return;
      }
      roles.put(vip, new State(Role.ACTIVE, "claiming the address"));
      SaLogFacade.global("cluster: elected for " + vip.getHostAddress() + ": claiming the address");
      updateGate();
      claims.execute(() -> {
        String result;
        try {
          synchronized (renewable) {
            vips.claim(vip);
            renewable.add(vip);
          }
          result = null;
        } catch (VipClaimException e) {
          result = e.getMessage();
        }
        String failure = result;
        loop.execute(() -> claimed(vip, failure));
        if (failure == null) {
          try {
            vips.announce(vip); // meanwhile the loop binds to the address and resumes the SAs
          } catch (VipClaimException e) {
            loop.execute(() -> SaLogFacade.global("cluster: cannot announce " + vip.getHostAddress() + ": "
                + e.getMessage()));
          }
        }
      });
    });
  }

  private void claimed(InetAddress vip, String failure) {
    State s = roles.get(vip);
    if (s == null || s.role != Role.ACTIVE) {
      return; // fenced meanwhile: the release queued behind this claim takes the address away again
    }
    if (failure != null) {
      roles.put(vip, new State(Role.ACTIVE, "address not claimed: " + failure));
      SaLogFacade.global("cluster: cannot claim " + vip.getHostAddress() + ": " + failure);
      return;
    }
    held.add(vip);
    roles.put(vip, new State(Role.ACTIVE, "address claimed"));
    SaLogFacade.global("cluster: active for " + vip.getHostAddress() + " (address claimed, announcing it by "
        + "gratuitous ARP)");
    relisten.run();
    takeOver(vip);
  }

  /**
   * Resumes every SA of the warm copy for {@code vip} (docs/HA.md, "Takeover"): outbound sequence numbers past
   * the published reservation, fresh inbound replay windows, IKE SAs from their recorded message IDs.
   */
  private void takeOver(InetAddress vip) {
    ClusterNode n = node;
    if (n == null) {
      return;
    }
    var plan = new org.openswanj.cluster.takeover.TakeoverPlanner(config.seqMargin())
        .plan(n.warmCopy().forVip(vip.getHostAddress()));
    int ok = resumeAll(Takeover.of(plan), ike -> engine.holds(ike.spiI(), ike.spiR()), engine::resume);
    int v1 = resumeAll(Takeover.v1(plan), sa -> engine.holdsIsakmp(sa.cookieI(), sa.cookieR()), engine::resume);
    lastTakeover = "took over or kept " + ok + " of " + plan.ikeSas().size() + " IKE SAs, " + v1 + " of "
        + plan.isakmpSas().size() + " ISAKMP SAs and " + plan.childSas().size() + " Child SAs for "
        + vip.getHostAddress();
    SaLogFacade.global("cluster: " + lastTakeover);
  }

  /** Resumes each SA we do not hold already; how many we hold now. A failure is logged with why. */
  private static <T> int resumeAll(List<T> sas, java.util.function.Predicate<T> held,
      java.util.function.Function<T, String> resume) {
    int ok = 0;
    for (T sa : sas) {
      String problem = held.test(sa) ? null : resume.apply(sa);
      if (problem == null) {
        ok++;
      } else {
        SaLogFacade.global("cluster: taking over " + sa + ": " + problem);
      }
    }
    return ok;
  }

  @Override
  public void fenced(FenceReason reason, String why) {
    loop.execute(() -> {
      for (InetAddress vip : roles.keySet()) {
        boolean wasActive = roles.get(vip).role == Role.ACTIVE;
        if (reason == FenceReason.ETCD_UNREACHABLE && held.contains(vip)) {
          // docs/HA.md "Degraded modes": the kernel SAs keep carrying traffic, but no IKE is sent
          roles.put(vip, new State(Role.FENCED, "etcd unreachable (" + why + "): keeping the address and the "
              + "kernel SAs, sending no IKE"));
        } else {
          roles.put(vip, new State(Role.FENCED, (reason == FenceReason.LEASE_LOST ? "lease lost" : "etcd unreachable")
              + " (" + why + ")"));
          if (wasActive || held.contains(vip)) {
            release(vip);
          }
        }
      }
      updateGate();
      SaLogFacade.global("cluster: fenced: " + why + "; sending nothing for " + addresses(config.vips()));
    });
  }

  @Override
  public void rejoined() {
    loop.execute(() -> {
      for (InetAddress vip : roles.keySet()) {
        if (roles.get(vip).role == Role.FENCED) {
          roles.put(vip, new State(Role.STANDBY, "rejoined after a fence"));
        }
        if (held.contains(vip)) {
          // kept through an etcd outage: if we are not elected again within two TTLs, another node is (or will
          // be) active, and a standby holds no address
          loop.schedule(config.leaseTtl().multipliedBy(2), () -> {
            if (held.contains(vip) && roles.get(vip).role != Role.ACTIVE) {
              release(vip);
            }
          });
        }
      }
      updateGate();
      SaLogFacade.global("cluster: rejoined etcd as standby");
    });
  }

  private void release(InetAddress vip) {
    held.remove(vip);
    int n = engine.abandon(vip); // the warm copy has them: whoever is elected resumes them, maybe us again
    if (n > 0) {
      SaLogFacade.global("cluster: dropped " + n + " IKE SAs on " + vip.getHostAddress() + " (no longer ours)");
    }
    claims.execute(() -> {
      try {
        synchronized (renewable) {
          renewable.remove(vip);
          vips.release(vip);
        }
      } catch (VipClaimException e) {
        loop.execute(() -> SaLogFacade.global("cluster: cannot release " + vip.getHostAddress() + ": "
            + e.getMessage()));
      }
    });
  }

  private void updateGate() {
    Set<InetAddress> silent = new HashSet<>();
    roles.forEach((v, s) -> {
      if (s.role != Role.ACTIVE) {
        silent.add(v);
      }
    });
    gate.silence(silent);
  }

  // ---- whack --status ----

  /** Lines for {@code whack --status}: node, role per address, the warm copy, what we published. */
  public List<String> status() {
    List<String> out = new ArrayList<>();
    ClusterNode n = node;
    out.add("cluster: node \"" + config.node() + "\", etcd " + endpoints(config) + ", lease "
        + (n == null || n.isFenced() ? "(none)" : Long.toHexString(n.leaseId())) + " ttl "
        + config.leaseTtl().toSeconds() + "s");
    roles.forEach((v, s) -> out.add("cluster: vip " + v.getHostAddress() + ": " + s.role.name().toLowerCase(
        java.util.Locale.ROOT) + (s.detail.isEmpty() ? "" : " (" + s.detail + ")")));
    if (n != null) {
      Map<String, SaRecord> copy = n.warmCopy().snapshot();
      long ike = copy.values().stream().filter(r -> r instanceof IkeSaRecord).count();
      long isakmp = copy.values().stream().filter(r -> r instanceof org.openswanj.cluster.state.IsakmpSaRecord)
          .count();
      long child = copy.values().stream().filter(r -> r instanceof ChildSaRecord).count();
      out.add("cluster: warm copy: " + copy.size() + " records (" + ike + " IKE SAs, " + isakmp + " ISAKMP SAs, "
          + child + " Child SAs) at etcd revision " + n.warmCopy().revision());
    }
    out.add("cluster: " + publisher.summary());
    if (!lastTakeover.isEmpty()) {
      out.add("cluster: last takeover: " + lastTakeover);
    }
    return out;
  }

  /** Leaves the cluster: resigns (a standby takes over at once) and stops sending for the addresses. */
  @Override
  public void close() {
    if (closed) {
      return;
    }
    closed = true;
    roles.replaceAll((v, s) -> new State(Role.FENCED, "leaving the cluster"));
    updateGate();
    ClusterNode n = node;
    if (n != null) {
      n.close();
    }
    renewals.shutdownNow();
    for (InetAddress vip : new ArrayList<>(held)) {
      try {
        synchronized (renewable) {
          renewable.remove(vip);
          vips.release(vip);
        }
      } catch (VipClaimException e) {
        SaLogFacade.global("cluster: cannot release " + vip.getHostAddress() + ": " + e.getMessage());
      }
    }
    held.clear();
    claims.shutdown();
    try {
      claims.awaitTermination(2, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private static String endpoints(ClusterConfig c) {
    return c.endpoints().stream().map(Object::toString).collect(Collectors.joining(","));
  }

  private static String addresses(List<InetAddress> a) {
    return a.stream().map(InetAddress::getHostAddress).collect(Collectors.joining(","));
  }
}
