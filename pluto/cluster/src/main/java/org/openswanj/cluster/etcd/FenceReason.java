package org.openswanj.cluster.etcd;

/** Why a node was fenced: the daemon may treat the two differently (docs/HA.md, "Degraded modes"). */
public enum FenceReason {
  /** etcd said the lease or our election key is gone: another node may be active now. Stop at once. */
  LEASE_LOST,
  /**
   * etcd did not answer in time: we cannot tell a partition (another node may be elected once the lease
   * expires) from etcd being down for everyone (nobody can be elected).
   */
  ETCD_UNREACHABLE
}
