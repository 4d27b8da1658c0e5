package org.openswanj.conf.policy;

import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import org.openswanj.conf.Subnet;

/** The subnets of every policy group, in file order; a group whose file is missing is empty. */
public record PolicyGroups(Map<PolicyGroupName, List<Subnet>> groups) {
  public PolicyGroups {
    EnumMap<PolicyGroupName, List<Subnet>> copy = new EnumMap<>(PolicyGroupName.class);
    for (PolicyGroupName g : PolicyGroupName.values()) {
      copy.put(g, List.copyOf(groups.getOrDefault(g, List.of())));
    }
    groups = java.util.Collections.unmodifiableMap(copy);
  }

  public List<Subnet> get(PolicyGroupName group) {
    return groups.get(group);
  }
}
