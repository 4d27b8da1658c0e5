package org.openswanj.pluto.daemon.cluster;

import java.net.InetAddress;
import java.util.concurrent.CompletableFuture;
import org.openswanj.cluster.state.RecordWrite;
import org.openswanj.cluster.state.SaRecord;

/** What {@link Publisher} needs of the cluster: which addresses are ours to publish for, and the writes. */
interface Membership {
  /** {@code a} is one of the cluster's virtual addresses. */
  boolean isVip(InetAddress a);

  /** On the loop: this node is active for {@code vip} now. */
  boolean activeFor(InetAddress vip);

  /** Writes a record (guarded by etcd: false when we are not active); never blocks. */
  CompletableFuture<Boolean> publish(InetAddress vip, SaRecord record);

  /** Removes a record, guarded the same way. */
  CompletableFuture<Boolean> delete(InetAddress vip, SaRecord record);

  /**
   * Several writes at once (at most {@link org.openswanj.cluster.etcd.ClusterNode#MAX_BATCH}); true only when all
   * were applied. This default sends them one by one; etcd's membership sends one transaction.
   */
  default CompletableFuture<Boolean> writeAll(InetAddress vip, java.util.List<RecordWrite> writes) {
    java.util.List<CompletableFuture<Boolean>> each = writes.stream()
        .map(w -> w.put() ? publish(vip, w.record()) : delete(vip, w.record())).toList();
    return CompletableFuture.allOf(each.toArray(CompletableFuture[]::new))
        .thenApply(v -> each.stream().allMatch(CompletableFuture::join));
  }
}
