package org.openswanj.pluto.daemon.oe;

import java.util.EnumMap;
import java.util.Map;
import java.util.Set;
import org.openswanj.conf.AuthBy;
import org.openswanj.conf.ConnConfig;
import org.openswanj.conf.policy.PolicyGroupName;

/**
 * How a policy group's OE instances authenticate, from the {@code authby=} of the group's conn in ipsec.conf
 * ({@code conn private-or-clear}, Libreswan's spelling; Openswan 2.6's implicit conns leave it rsasig).
 */
public enum OeAuth {
  /** {@code authby=rsasig}: the peer's key from DNS, RSA signatures both ways; no key, no OE. */
  RSA,
  /**
   * {@code authby=rsasig|null}: a key from DNS when the peer publishes one (and then only RSA: an authenticated
   * peer is never taken as an anonymous one), else NULL authentication (RFC 7619) both ways.
   */
  RSA_OR_NULL,
  /** {@code authby=null}: NULL authentication only, no DNS look-up (Libreswan's OE with {@code leftid=%null}). */
  NULL,
  /**
   * {@code ikev2=never} (rsasig): Openswan 2.6's own OE, IKEv1 Main Mode with RSA signatures (RFC 2409 §5.1) and a
   * tunnel-mode Quick Mode, for a domain whose other hosts still run it. NULL authentication is IKEv2 only.
   */
  RSA_IKEV1;

  static OeAuth of(ConnConfig c) {
    if (c.ikev2() == org.openswanj.conf.Ikev2Policy.NEVER) {
      return RSA_IKEV1; // conf refuses authby=null with ikev2=never
    }
    Set<AuthBy> authby = c.authby();
    if (!authby.contains(AuthBy.NULL)) {
      return RSA;
    }
    return authby.contains(AuthBy.RSASIG) ? RSA_OR_NULL : NULL;
  }

  /** Each OE group's authentication as its conn in {@code conns} says; RSA for a group without one. */
  public static Map<PolicyGroupName, OeAuth> of(Iterable<ConnConfig> conns) {
    Map<PolicyGroupName, OeAuth> out = new EnumMap<>(PolicyGroupName.class);
    for (ConnConfig c : conns) {
      for (PolicyGroupName g : PolicyGroupName.values()) {
        if (g.fileName().equals(c.name())) {
          out.put(g, of(c));
        }
      }
    }
    return out;
  }

  boolean looksUpKeys() {
    return this != NULL;
  }

  boolean allowsNull() {
    return this == RSA_OR_NULL || this == NULL;
  }

  /** The version our instances of the group initiate with (a peer's own first message decides when it starts). */
  boolean ikev1() {
    return this == RSA_IKEV1;
  }
}
