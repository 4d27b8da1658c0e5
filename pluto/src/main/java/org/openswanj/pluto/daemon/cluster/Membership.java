package org.openswanj.pluto.daemon.cluster;

import java.net.InetAddress;
import java.util.concurrent.CompletableFuture;
import org.openswanj.cluster.state.RecordWrite;

/** What {@link Publisher} needs of the cluster: which addresses are ours to publish for, and the writes. */
interface Membership {
  /** {@code a} is one of the cluster's virtual addresses. */
  boolean isVip(InetAddress a);

  /** On the loop: this node is active for {@code vip} now. */
  boolean activeFor(InetAddress vip);

  /**
   * Writes records in one transaction guarded by etcd (puts and deletes; at most
   * {@link org.openswanj.cluster.etcd.ClusterNode#MAX_BATCH}): true when applied, false when we are not active;
   * never blocks.
   */
  CompletableFuture<Boolean> writeAll(InetAddress vip, java.util.List<RecordWrite> writes);
}
