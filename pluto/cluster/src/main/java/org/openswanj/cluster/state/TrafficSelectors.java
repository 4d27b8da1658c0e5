package org.openswanj.cluster.state;

import java.util.List;
import org.openswanj.kernel.Selector;

/** The narrowed traffic selectors of a Child SA (RFC 7296 §2.9), ours and the peer's. */
public record TrafficSelectors(List<Selector> local, List<Selector> remote) {
  public TrafficSelectors {
    local = List.copyOf(local);
    remote = List.copyOf(remote);
  }
}
