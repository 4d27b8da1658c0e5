package org.openswanj.pluto.oe;

import java.net.InetAddress;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import org.openswanj.conf.Subnet;
import org.openswanj.conf.policy.PolicyGroupName;
import org.openswanj.conf.policy.PolicyGroups;

/**
 * The policy groups as one table that answers, for a destination, which group applies — pure logic, no kernel.
 * The most specific subnet wins, as the kernel's longest-prefix policy lookup would make it: a {@code clear}
 * or {@code block} /32 inside a {@code private} /24 beats it. A subnet listed in two groups goes to the group
 * Openswan 2.6 reads first (pluto keeps its groups in reverse order of addition, so block, private,
 * private-or-clear, clear-or-private, clear) and the others are reported as conflicts, as Openswan logs
 * "already <group>". Our own addresses are never OE: inside any group they get a {@code %pass} exemption.
 */
public final class OePolicyTable {
  /** Openswan's read order of the group files, first wins on an exact tie. */
  private static final List<PolicyGroupName> READ_ORDER = List.of(PolicyGroupName.BLOCK, PolicyGroupName.PRIVATE,
      PolicyGroupName.PRIVATE_OR_CLEAR, PolicyGroupName.CLEAR_OR_PRIVATE, PolicyGroupName.CLEAR);

  /** Per address length (4, 16), per prefix length, longest first: network → group. */
  private final Map<Integer, TreeMap<Integer, Map<Subnet, PolicyGroupName>>> byFamily = new HashMap<>();
  private final Set<InetAddress> ours; // in the order given (a LinkedHashSet underneath)
  private final List<String> conflicts = new ArrayList<>();

  private OePolicyTable(Collection<InetAddress> ours) {
    this.ours = java.util.Collections.unmodifiableSet(new java.util.LinkedHashSet<>(ours));
  }

  /** The table of {@code groups}; {@code ours} are this host's addresses (never OE). */
  public static OePolicyTable of(PolicyGroups groups, Collection<InetAddress> ours) {
    OePolicyTable t = new OePolicyTable(ours);
    for (PolicyGroupName g : READ_ORDER) {
      for (Subnet s : groups.get(g)) {
        t.add(g, s);
      }
    }
    return t;
  }

  private void add(PolicyGroupName g, Subnet s) {
    Map<Subnet, PolicyGroupName> level = byFamily
        .computeIfAbsent(s.network().getAddress().length, k -> new TreeMap<>(java.util.Comparator.reverseOrder()))
        .computeIfAbsent(s.prefix(), k -> new HashMap<>());
    PolicyGroupName already = level.putIfAbsent(s, g);
    if (already != null) {
      conflicts.add("policies/" + g.fileName() + ": subnet " + s + " is already in \"" + already.fileName()
          + "\"; " + already.fileName() + " applies");
    }
  }

  /** The decision for traffic to {@code destination}; empty when no group covers it (ordinary traffic). */
  public Optional<OeDecision> decide(InetAddress destination) {
    TreeMap<Integer, Map<Subnet, PolicyGroupName>> levels = byFamily.get(destination.getAddress().length);
    if (levels == null) {
      return Optional.empty();
    }
    for (Map.Entry<Integer, Map<Subnet, PolicyGroupName>> level : levels.entrySet()) {
      Subnet key = network(destination, level.getKey());
      PolicyGroupName g = level.getValue().get(key);
      if (g != null) {
        return Optional.of(ours.contains(destination)
            ? OeDecision.self(g, network(destination, destination.getAddress().length * 8))
            : OeDecision.of(g, key));
      }
    }
    return Optional.empty();
  }

  /**
   * What the OE engine routes at start-up: the exemptions of our own addresses that fall in a group, then every
   * group entry, most specific first within each address family.
   */
  public List<OeDecision> entries() {
    List<OeDecision> out = new ArrayList<>();
    ours.forEach(a -> decide(a).ifPresent(out::add));
    for (TreeMap<Integer, Map<Subnet, PolicyGroupName>> levels : byFamily.values()) {
      levels.values().forEach(level -> level.forEach((s, g) -> out.add(OeDecision.of(g, s))));
    }
    return out;
  }

  /** Subnets listed in more than one group, one message each (to log at start-up). */
  public List<String> conflicts() {
    return List.copyOf(conflicts);
  }

  private static Subnet network(InetAddress a, int prefix) {
    byte[] b = a.getAddress();
    for (int bit = prefix; bit < b.length * 8; bit++) {
      b[bit / 8] &= (byte) ~(0x80 >> (bit % 8));
    }
    try {
      return new Subnet(InetAddress.getByAddress(b), prefix);
    } catch (java.net.UnknownHostException e) {
      throw new IllegalStateException(e);
    }
  }
}
