package org.openswanj.cluster.etcd;

import io.etcd.jetcd.ByteSequence;
import io.etcd.jetcd.Client;
import io.etcd.jetcd.ClientBuilder;
import io.etcd.jetcd.Watch;
import io.etcd.jetcd.election.LeaderKey;
import io.etcd.jetcd.op.Cmp;
import io.etcd.jetcd.op.CmpTarget;
import io.etcd.jetcd.op.Op;
import io.etcd.jetcd.options.DeleteOption;
import io.etcd.jetcd.options.PutOption;
import io.etcd.jetcd.options.WatchOption;
import io.etcd.jetcd.watch.WatchEvent;
import java.net.InetAddress;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.Logger;
import org.openswanj.cluster.ClusterConfig;
import org.openswanj.cluster.codec.ClusterKey;
import org.openswanj.cluster.codec.RecordCodec;
import org.openswanj.cluster.state.SaRecord;

/**
 * This pluto as a member of the cluster: a lease kept alive, a candidacy per virtual address, SA records
 * published while active, and a warm copy of everyone's records. Fencing: the moment the lease may be lost,
 * {@link ClusterListener#fenced} fires and every write is refused; once etcd answers again the node takes a
 * new lease and rejoins as standby. Writes are guarded by the election key's create revision, so a deposed
 * leader's late write is refused by etcd itself.
 */
public final class ClusterNode implements AutoCloseable {
  private static final Logger LOG = LogManager.getLogger(ClusterNode.class);
  private static final long REJOIN_MS = 500;

  private final ClusterConfig config;
  private final Client client;
  private final ClusterListener listener;
  private final RecordCodec codec;
  private final ScheduledExecutorService timer;
  private final LeaseKeeper lease;
  private final List<VipElection> elections;
  private final WarmCopy warm;
  private final List<Watch.Watcher> keyWatches = new java.util.concurrent.CopyOnWriteArrayList<>();
  private volatile boolean fenced = true;
  private volatile boolean closed;

  private ClusterNode(ClusterConfig config, Client client, ClusterKey key, ClusterListener listener) {
    this.config = config;
    this.client = client;
    this.listener = listener;
    this.codec = new RecordCodec(key);
    this.timer = Executors.newScheduledThreadPool(2, r -> {
      Thread t = new Thread(r, "cluster-" + config.node());
      t.setDaemon(true);
      return t;
    });
    this.lease = new LeaseKeeper(client.getLeaseClient(), timer, System::nanoTime, this::lost);
    this.elections = config.vips().stream().map(v -> new VipElection(client.getElectionClient(), v,
        config.node(), timer, this::elected)).toList();
    this.warm = new WarmCopy(client.getKVClient(), client.getWatchClient(), codec, timer);
  }

  /**
   * How long a starting node waits for etcd's first answers (at least the TTL): the first call of a fresh JVM
   * builds its gRPC channel, which took over 2 s on a loaded machine, so a 2 s TTL alone made pluto give up.
   */
  static final long FIRST_ANSWER_WAIT_S = 10;

  /**
   * Joins: takes a lease (fails if etcd does not answer within the TTL or {@link #FIRST_ANSWER_WAIT_S}, the
   * longer), campaigns, starts the warm copy.
   */
  public static ClusterNode start(ClusterConfig config, ClusterKey key, ClusterListener listener)
      throws ClusterException {
    ClusterNode n = new ClusterNode(config, connect(config), key, listener);
    long wait = Math.max(config.leaseTtl().toSeconds(), FIRST_ANSWER_WAIT_S);
    try {
      n.lease.start(config.leaseTtl().toSeconds(), wait);
    } catch (Exception e) {
      n.close();
      // jetcd retries an unreachable or TLS-refusing endpoint until our wait ends: say which it may be
      String why = e instanceof java.util.concurrent.TimeoutException
          ? "no answer within " + wait + " s" + (config.endpoints().stream()
              .anyMatch(u -> "https".equals(u.getScheme()))
              ? " (https: is etcd's --trusted-ca-file the CA of cluster-etcd-cert=, and cluster-etcd-cacert= etcd's?)"
              : "")
          : VipElection.rootMessage(e);
      throw new ClusterException("cluster: no lease from etcd " + config.endpoints() + ": " + why);
    }
    n.fenced = false;
    n.warm.start();
    n.elections.forEach(e -> e.campaign(n.lease.leaseId()));
    return n;
  }

  private static Client connect(ClusterConfig config) throws ClusterException {
    // round robin over every member: a member that dies takes only its share of calls, which go to the next
    ClientBuilder b = Client.builder().endpoints(config.endpoints()).loadBalancerPolicy("round_robin")
        .connectTimeout(config.leaseTtl())
        .retryMaxDuration(Duration.ofSeconds(Math.max(config.leaseTtl().toSeconds(), FIRST_ANSWER_WAIT_S)));
    if (config.tls().isPresent()) {
      var tls = config.tls().get();
      try {
        b.sslContext(s -> s.trustManager(tls.caCert().toFile()).keyManager(tls.cert().toFile(), tls.key().toFile()));
      } catch (Exception e) {
        throw new ClusterException("cluster: TLS files " + tls.caCert() + ", " + tls.cert() + ", " + tls.key()
            + ": " + VipElection.rootMessage(e));
      }
    }
    return b.build();
  }

  public String node() {
    return config.node();
  }

  public long leaseId() {
    return lease.leaseId();
  }

  /** True while we hold a live lease and lead {@code vip}: only then may we send for it. */
  public boolean isActive(InetAddress vip) {
    return !fenced && election(vip).leaderKey() != null;
  }

  public boolean isFenced() {
    return fenced;
  }

  public WarmCopy warmCopy() {
    return warm;
  }

  /** One put in a guarded transaction (see {@link #writeAll}). */
  public CompletableFuture<Boolean> publish(InetAddress vip, SaRecord record) {
    return writeAll(vip, List.of(new org.openswanj.cluster.state.RecordWrite(record, true)));
  }

  /**
   * Several writes in one guarded transaction (etcd applies them together or not at all): an IKE SA and its first
   * Child SA, or an IKE SA's records deleted together, cost one round trip and one raft entry instead of one each.
   * At most {@link #MAX_BATCH} writes (etcd refuses a transaction of more than 128 operations by default).
   */
  public CompletableFuture<Boolean> writeAll(InetAddress vip, List<org.openswanj.cluster.state.RecordWrite> writes) {
    if (writes.isEmpty() || writes.size() > MAX_BATCH) {
      throw new IllegalArgumentException(writes.size() + " writes in one transaction (1 to " + MAX_BATCH + ")");
    }
    Op[] ops = new Op[writes.size()];
    for (int i = 0; i < ops.length; i++) {
      SaRecord r = writes.get(i).record();
      String key = KeyLayout.record(vip, r);
      ops[i] = writes.get(i).put()
          ? Op.put(KeyLayout.bytes(key), ByteSequence.from(codec.encode(r, key)), PutOption.DEFAULT)
          : Op.delete(KeyLayout.bytes(key), DeleteOption.DEFAULT);
    }
    return guarded(vip, ops);
  }

  /** The most writes {@link #writeAll} puts in one transaction. */
  public static final int MAX_BATCH = 64;

  private CompletableFuture<Boolean> guarded(InetAddress vip, Op[] op) {
    LeaderKey lk = election(vip).leaderKey();
    if (fenced || lk == null) {
      return CompletableFuture.completedFuture(false);
    }
    // only while our election key still exists with the revision it was created at
    Cmp stillLeader = new Cmp(lk.getKey(), Cmp.Op.EQUAL, CmpTarget.createRevision(lk.getRevision()));
    return retryingUnavailable(() -> client.getKVClient().txn().If(stillLeader).Then(op).commit(), 4, 250)
        .thenApply(r -> r.isSucceeded());
  }

  /**
   * etcd answers UNAVAILABLE while its members elect a new leader (a member lost); the guarded transaction is
   * safe to repeat (same value, same condition on our election key), so it is tried again with a doubling
   * delay, about 3.75 s in all, well inside a lease; any other error, or fencing meanwhile, ends it.
   */
  private <T> CompletableFuture<T> retryingUnavailable(java.util.function.Supplier<CompletableFuture<T>> call,
      int retries, long delayMs) {
    return call.get().handle((r, ex) -> {
      if (ex == null) {
        return CompletableFuture.completedFuture(r);
      }
      Throwable cause = ex instanceof java.util.concurrent.CompletionException && ex.getCause() != null
          ? ex.getCause() : ex;
      if (retries > 0 && !fenced && io.grpc.Status.fromThrowable(cause).getCode() == io.grpc.Status.Code.UNAVAILABLE) {
        LOG.info("etcd unavailable ({}); retrying in {} ms", cause.getMessage(), delayMs);
        return CompletableFuture.supplyAsync(() -> (Void) null,
                CompletableFuture.delayedExecutor(delayMs, TimeUnit.MILLISECONDS))
            .thenCompose(v -> retryingUnavailable(call, retries - 1, delayMs * 2));
      }
      return CompletableFuture.<T>failedFuture(cause);
    }).thenCompose(f -> f);
  }

  /** Elected: watch our election key too, so its deletion (lease revoked) fences at once, not at the next keep-alive. */
  private void elected(InetAddress vip) {
    LeaderKey lk = election(vip).leaderKey();
    if (lk == null) {
      return;
    }
    var opt = WatchOption.builder().withRevision(lk.getRevision() + 1).build();
    var w = client.getWatchClient().watch(lk.getKey(), opt, Watch.listener(resp -> {
      if (resp.getEvents().stream().anyMatch(e -> e.getEventType() == WatchEvent.EventType.DELETE)
          && election(vip).leaderKey() == lk) {
        lease.lose(FenceReason.LEASE_LOST, "our election key for " + vip.getHostAddress() + " was deleted");
      }
    }));
    keyWatches.add(w);
    listener.becameActive(vip);
  }

  private VipElection election(InetAddress vip) {
    for (VipElection e : elections) {
      if (e.vip().equals(vip)) {
        return e;
      }
    }
    throw new IllegalArgumentException(vip.getHostAddress() + " is not a cluster-vip= of this node");
  }

  private void lost(FenceReason reason, String why) {
    fenced = true; // first: publish and isActive refuse from here on
    LOG.warn("cluster: {}: fenced, sending nothing until etcd answers again", why);
    listener.fenced(reason, why);
    elections.forEach(VipElection::abandon);
    timer.schedule(this::rejoin, REJOIN_MS, TimeUnit.MILLISECONDS);
  }

  private void rejoin() {
    if (closed) {
      return;
    }
    try {
      long old = lease.leaseId();
      long id = lease.start(config.leaseTtl().toSeconds());
      if (old != 0 && old != id) {
        // the fenced lease may still hold our old election key (etcd renews leases when it restarts): revoke it,
        // so this node's new candidacy, or another node's, does not wait for it to expire
        client.getLeaseClient().revoke(old).exceptionally(e -> null);
      }
      fenced = false;
      LOG.info("cluster: rejoined as standby with lease {}", Long.toHexString(id));
      listener.rejoined();
      elections.forEach(e -> e.campaign(id));
    } catch (Exception e) {
      timer.schedule(this::rejoin, REJOIN_MS, TimeUnit.MILLISECONDS);
    }
  }

  /** Leaves cleanly: resigns (the standby takes over at once), revokes the lease, closes the client. */
  @Override
  public void close() {
    closed = true;
    if (!fenced) {
      elections.forEach(VipElection::resign);
    }
    fenced = true;
    lease.shutdown();
    warm.close();
    keyWatches.forEach(Watch.Watcher::close);
    long id = lease.leaseId();
    if (id != 0) {
      client.getLeaseClient().revoke(id).orTimeout(2, TimeUnit.SECONDS).exceptionally(e -> null).join();
    }
    timer.shutdownNow();
    client.close();
  }
}
