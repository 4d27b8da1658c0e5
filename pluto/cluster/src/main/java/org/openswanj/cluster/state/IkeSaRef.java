package org.openswanj.cluster.state;

import java.util.Objects;

/** Names an IKE SA across the cluster: its connection, SPIs and our role in it. */
public record IkeSaRef(String conn, IkeSpis spis, IkeRole role) {
  public IkeSaRef {
    Objects.requireNonNull(conn, "conn");
    Objects.requireNonNull(spis, "spis");
    Objects.requireNonNull(role, "role");
  }
}
