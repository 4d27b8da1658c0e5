package org.openswanj.cluster.state;

import java.util.Objects;

/** Names a Child SA pair: its connection, the IKE SA that owns it, the kernel reqid and its SPIs. */
public record ChildSaRef(String conn, IkeSpis parent, int reqid, ChildSpis spis) {
  public ChildSaRef {
    Objects.requireNonNull(conn, "conn");
    Objects.requireNonNull(parent, "parent");
    Objects.requireNonNull(spis, "spis");
  }
}
