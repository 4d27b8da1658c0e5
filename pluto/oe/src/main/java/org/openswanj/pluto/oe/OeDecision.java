package org.openswanj.pluto.oe;

import org.openswanj.conf.Subnet;
import org.openswanj.conf.policy.PolicyGroupName;
import org.openswanj.kernel.PolicyAction;

/**
 * What a policy group means for traffic to a destination: the entry that matched ({@code group} and its
 * {@code subnet}), the shunt routed for it before any negotiation ({@code route}: {@code %trap} to start OE,
 * {@code %pass}, {@code %reject}), the shunt installed when OE fails ({@code failure}), and whether we initiate.
 * From Openswan 2.6's implicit group conns (lib/libipsecconf/oeconns.c): clear is a pass shunt;
 * clear-or-private passes but answers OE; private-or-clear traps and fails to pass; private traps and fails
 * to drop; block rejects.
 */
public record OeDecision(PolicyGroupName group, Subnet subnet, PolicyAction route, PolicyAction failure,
    OeRole role) {

  /** The decision of {@code group} for a destination inside {@code subnet}. */
  public static OeDecision of(PolicyGroupName group, Subnet subnet) {
    return switch (group) {
      case CLEAR -> new OeDecision(group, subnet, PolicyAction.PASS, PolicyAction.PASS, OeRole.NEVER);
      case CLEAR_OR_PRIVATE -> new OeDecision(group, subnet, PolicyAction.PASS, PolicyAction.PASS, OeRole.RESPOND_ONLY);
      case PRIVATE_OR_CLEAR -> new OeDecision(group, subnet, PolicyAction.TRAP, PolicyAction.PASS, OeRole.INITIATE);
      case PRIVATE -> new OeDecision(group, subnet, PolicyAction.TRAP, PolicyAction.DROP, OeRole.INITIATE);
      case BLOCK -> new OeDecision(group, subnet, PolicyAction.REJECT, PolicyAction.REJECT, OeRole.NEVER);
    };
  }

  /** One of our own addresses inside {@code group}'s subnet: exempt, sent in the clear, never OE. */
  static OeDecision self(PolicyGroupName group, Subnet host) {
    return new OeDecision(group, host, PolicyAction.PASS, PolicyAction.PASS, OeRole.NEVER);
  }

  /** {@code "private-or-clear#192.0.2.0/24"}, the name Openswan gives the group's instance. */
  public String instanceName() {
    return group.fileName() + "#" + subnet;
  }
}
