package org.openswanj.kernel;

import java.util.Objects;

/**
 * A policy (an eroute in KLIPS terms).
 *
 * @param action IPsec or a shunt
 * @param template the SA an IPSEC or TRAP policy asks for
 * @param reqid ties the policy to its SAs
 * @param priority lower wins, as in XFRM; 0 lets the backend derive it from the selector's specificity
 * @param name the connection name, for logs and {@code ipsec look}
 */
public record PolicySpec(PolicyAction action, SaTemplate template, int reqid, int priority, String name) {
  public PolicySpec {
    Objects.requireNonNull(action, "action");
    Objects.requireNonNull(template, "template");
  }

  public static PolicySpec shunt(PolicyAction action, String name) {
    return new PolicySpec(action, SaTemplate.ESP_TUNNEL, 0, 0, name);
  }
}
