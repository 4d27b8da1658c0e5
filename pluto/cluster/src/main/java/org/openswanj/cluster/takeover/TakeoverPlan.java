package org.openswanj.cluster.takeover;

import java.util.List;

/**
 * Everything the engine does to take over one virtual address: IKE SAs and ISAKMP SAs to resume, Child SAs (IKEv2
 * Child SAs and IKEv1 IPsec SAs, by their parent's SPIs or cookies) to install.
 */
public record TakeoverPlan(List<IkeTakeover> ikeSas, List<IsakmpTakeover> isakmpSas, List<ChildTakeover> childSas) {
  public TakeoverPlan {
    ikeSas = List.copyOf(ikeSas);
    isakmpSas = List.copyOf(isakmpSas);
    childSas = List.copyOf(childSas);
  }

  /** Child SAs owned by the IKE SA or ISAKMP SA {@code parent}. */
  public List<ChildTakeover> childrenOf(org.openswanj.cluster.state.IkeSpis parent) {
    return childSas.stream().filter(c -> c.record().ref().parent().equals(parent)).toList();
  }
}
