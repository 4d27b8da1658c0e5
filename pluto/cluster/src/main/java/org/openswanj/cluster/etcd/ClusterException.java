package org.openswanj.cluster.etcd;

/** The cluster could not be joined (etcd unreachable at start, TLS files unreadable); the message says which. */
public final class ClusterException extends Exception {
  private static final long serialVersionUID = 1L;

  public ClusterException(String message) {
    super(message);
  }
}
