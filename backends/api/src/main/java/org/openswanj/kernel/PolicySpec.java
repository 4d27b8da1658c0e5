package org.openswanj.kernel;

import java.net.InetAddress;
import java.util.Objects;

/**
 * A policy (an eroute in KLIPS terms).
 *
 * @param action IPsec or a shunt
 * @param mode tunnel or transport, for IPSEC and TRAP
 * @param tunnelSrc outer source (tunnel mode), or null
 * @param tunnelDst outer destination (tunnel mode), or null
 * @param outboundSpi the SPI of the outbound SA for IPSEC out policies (0 otherwise); klips uses it
 * @param reqid ties the policy to its SAs
 * @param priority lower wins, as in XFRM; 0 lets the backend derive it from the selector's specificity
 * @param name the connection name, for logs and {@code ipsec look}
 */
public record PolicySpec(
    PolicyAction action,
    IpsecMode mode,
    InetAddress tunnelSrc,
    InetAddress tunnelDst,
    IpsecProto proto,
    int outboundSpi,
    int reqid,
    int priority,
    String name) {
  public PolicySpec {
    Objects.requireNonNull(action, "action");
    Objects.requireNonNull(mode, "mode");
    Objects.requireNonNull(proto, "proto");
  }

  public static PolicySpec shunt(PolicyAction action, String name) {
    return new PolicySpec(action, IpsecMode.TUNNEL, null, null, IpsecProto.ESP, 0, 0, 0, name);
  }
}
