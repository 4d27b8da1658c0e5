package org.openswanj.cluster.takeover;

import java.util.List;

/** Everything the engine does to take over one virtual address: IKE SAs to resume, Child SAs to install. */
public record TakeoverPlan(List<IkeTakeover> ikeSas, List<ChildTakeover> childSas) {
  public TakeoverPlan {
    ikeSas = List.copyOf(ikeSas);
    childSas = List.copyOf(childSas);
  }
}
