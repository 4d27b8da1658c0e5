package org.openswanj.cluster.etcd;

import io.etcd.jetcd.ByteSequence;
import io.etcd.jetcd.Election;
import io.etcd.jetcd.election.LeaderKey;
import java.net.InetAddress;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.Logger;

/**
 * One node's candidacy for one virtual address through etcd's election API: campaign under our lease; the
 * oldest live candidate leads, so a node that returns after a failure queues behind the current leader and
 * never takes the address back on its own. Each lease gets a new term; results of an older term are ignored.
 */
final class VipElection {
  private static final Logger LOG = LogManager.getLogger(VipElection.class);
  private static final long RETRY_MS = 500;

  private final Election election;
  private final InetAddress vip;
  private final ByteSequence proposal;
  private final ScheduledExecutorService timer;
  private final Consumer<InetAddress> onElected;
  private volatile LeaderKey leader;
  private volatile long term;

  VipElection(Election election, InetAddress vip, String node, ScheduledExecutorService timer,
      Consumer<InetAddress> onElected) {
    this.election = election;
    this.vip = vip;
    this.proposal = KeyLayout.bytes(node);
    this.timer = timer;
    this.onElected = onElected;
  }

  /** Starts a campaign under {@code leaseId}; completes in the background. */
  void campaign(long leaseId) {
    long myTerm;
    synchronized (this) {
      myTerm = ++term;
      leader = null;
    }
    // outside the lock: jetcd may block here while etcd is unreachable, and abandon() must not wait for it
    election.campaign(KeyLayout.election(vip), leaseId, proposal).whenComplete((r, err) -> {
      if (myTerm != term) {
        return;
      }
      if (err != null) {
        LOG.warn("cluster: campaign for {} failed, retrying: {}", vip.getHostAddress(), rootMessage(err));
        timer.schedule(() -> retry(myTerm, leaseId), RETRY_MS, TimeUnit.MILLISECONDS);
        return;
      }
      synchronized (this) {
        if (myTerm != term) {
          return;
        }
        leader = r.getLeader();
      }
      LOG.info("cluster: elected active for {}", vip.getHostAddress());
      onElected.accept(vip);
    });
  }

  private void retry(long oldTerm, long leaseId) {
    if (oldTerm == term) {
      campaign(leaseId);
    }
  }

  /** Our lease is gone: we lead no longer, and the pending campaign's result will be ignored. */
  synchronized void abandon() {
    term++;
    leader = null;
  }

  /** Null unless we lead; the key and revision guard our writes (etcd compares its create revision). */
  LeaderKey leaderKey() {
    return leader;
  }

  InetAddress vip() {
    return vip;
  }

  /** Steps down on a clean shutdown so the standby takes over without waiting for the lease to expire. */
  synchronized void resign() {
    LeaderKey k = leader;
    abandon();
    if (k != null) {
      election.resign(k).orTimeout(2, TimeUnit.SECONDS).exceptionally(e -> null).join();
    }
  }

  static String rootMessage(Throwable t) {
    Throwable c = t;
    while (c.getCause() != null) {
      c = c.getCause();
    }
    return c.getClass().getSimpleName() + (c.getMessage() == null ? "" : ": " + c.getMessage());
  }
}
