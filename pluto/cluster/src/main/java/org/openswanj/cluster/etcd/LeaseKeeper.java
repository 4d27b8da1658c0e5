package org.openswanj.cluster.etcd;

import io.etcd.jetcd.Lease;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.BiConsumer;
import java.util.function.LongSupplier;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.Logger;

/**
 * Holds this node's lease and decides when it may no longer act as leader. Keep-alives go out every TTL/3.
 * A keep-alive sent at S and answered with TTL t moves the server's expiry to at least S + t, so the node is
 * safe until S + t; it fences at S + 5t/6, before etcd can expire the lease and elect another node, leaving
 * t/6 for scheduling delay and clock-rate error. A keep-alive answered with TTL ≤ 0 (lease gone, revoked)
 * fences at once.
 */
final class LeaseKeeper {
  private static final Logger LOG = LogManager.getLogger(LeaseKeeper.class);
  private static final long WATCHDOG_MS = 50;

  private final Lease lease;
  private final ScheduledExecutorService timer;
  private final LongSupplier nanoTime;
  private final BiConsumer<FenceReason, String> onLost;
  private volatile long leaseId;
  private volatile long safeUntilNanos;
  private volatile boolean lost;
  private ScheduledFuture<?> keepAlive;
  private ScheduledFuture<?> watchdog;
  /** Its own thread: jetcd calls on the shared timer may block while etcd is unreachable; fencing must not. */
  private final ScheduledExecutorService watchdogThread = Executors.newSingleThreadScheduledExecutor(r -> {
    Thread t = new Thread(r, "cluster-fence-watchdog");
    t.setDaemon(true);
    return t;
  });

  LeaseKeeper(Lease lease, ScheduledExecutorService timer, LongSupplier nanoTime, BiConsumer<FenceReason, String> onLost) {
    this.lease = lease;
    this.timer = timer;
    this.nanoTime = nanoTime;
    this.onLost = onLost;
  }

  /** Grants a lease of {@code ttlSeconds} and starts keeping it; blocks up to the grant, at most the TTL. */
  long start(long ttlSeconds) throws Exception {
    return start(ttlSeconds, ttlSeconds);
  }

  /**
   * The same, waiting up to {@code waitSeconds} for etcd's answers: a node's first call to etcd can take longer
   * than a short TTL (a fresh JVM builds its gRPC channel; a loaded machine). A grant that took longer than a third
   * of the TTL is renewed once before the node counts on it, so its safe time starts from an answer that came
   * fast enough (else the watchdog would fence it at once for the slow start).
   */
  long start(long ttlSeconds, long waitSeconds) throws Exception {
    long sent = nanoTime.getAsLong();
    var grant = lease.grant(ttlSeconds).get(waitSeconds, TimeUnit.SECONDS);
    leaseId = grant.getID();
    long ttl = grant.getTTL();
    if (nanoTime.getAsLong() - sent > TimeUnit.SECONDS.toNanos(ttl) / 3) {
      sent = nanoTime.getAsLong();
      ttl = lease.keepAliveOnce(leaseId).get(waitSeconds, TimeUnit.SECONDS).getTTL();
      if (ttl <= 0) {
        throw new java.util.concurrent.TimeoutException("lease " + Long.toHexString(leaseId)
            + " expired before its first renewal");
      }
    }
    lost = false;
    safeUntilNanos = sent + TimeUnit.SECONDS.toNanos(ttl) * 5 / 6;
    long period = Math.max(100, TimeUnit.SECONDS.toMillis(ttl) / 3);
    keepAlive = timer.scheduleAtFixedRate(this::sendKeepAlive, period, period, TimeUnit.MILLISECONDS);
    watchdog = watchdogThread.scheduleAtFixedRate(this::check, WATCHDOG_MS, WATCHDOG_MS, TimeUnit.MILLISECONDS);
    LOG.info("cluster: lease {} granted, TTL {} s", Long.toHexString(leaseId), ttl);
    return leaseId;
  }

  long leaseId() {
    return leaseId;
  }

  private void sendKeepAlive() {
    long sent = nanoTime.getAsLong();
    long id = leaseId;
    lease.keepAliveOnce(id).whenComplete((r, err) -> {
      if (lost || id != leaseId) {
        return;
      }
      if (err != null) {
        if (VipElection.rootMessage(err).contains("lease not found")) {
          lose(FenceReason.LEASE_LOST, "lease " + Long.toHexString(id) + " is gone from etcd (expired or revoked)");
        }
        return; // otherwise the watchdog fences when the safe time runs out
      }
      if (r.getTTL() <= 0) {
        lose(FenceReason.LEASE_LOST, "lease " + Long.toHexString(id) + " is gone from etcd (expired or revoked)");
      } else {
        safeUntilNanos = Math.max(safeUntilNanos, sent + TimeUnit.SECONDS.toNanos(r.getTTL()) * 5 / 6);
      }
    });
  }

  private void check() {
    if (!lost && nanoTime.getAsLong() - safeUntilNanos > 0) {
      lose(FenceReason.ETCD_UNREACHABLE, "no keep-alive answer from etcd in time for lease " + Long.toHexString(leaseId));
    }
  }

  synchronized void lose(FenceReason reason, String why) {
    if (lost) {
      return;
    }
    lost = true;
    stop();
    onLost.accept(reason, why);
  }

  synchronized void stop() {
    if (keepAlive != null) {
      keepAlive.cancel(false);
      watchdog.cancel(false);
    }
  }

  /** Ends the watchdog thread for good (the node is closing). */
  void shutdown() {
    stop();
    watchdogThread.shutdownNow();
  }
}
