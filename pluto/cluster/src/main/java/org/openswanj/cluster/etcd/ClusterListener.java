package org.openswanj.cluster.etcd;

import java.net.InetAddress;

/**
 * What the cluster tells the daemon. Called on the cluster's own timer thread: the daemon posts to its event
 * loop and returns at once.
 */
public interface ClusterListener {
  /** Our lease is lost or may be: stop sending for every virtual address now (fencing); {@code why} is a line. */
  void fenced(FenceReason reason, String why);

  /** We won the election for {@code vip}: claim the address and take over its SAs. */
  void becameActive(InetAddress vip);

  /** We hold a lease again after a fence; we are standby for every address until elected. */
  void rejoined();
}
