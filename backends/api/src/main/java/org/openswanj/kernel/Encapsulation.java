package org.openswanj.kernel;

import java.util.Objects;

/**
 * How ESP packets are wrapped: the IPsec mode and, behind a NAT, UDP encapsulation (RFC 3948).
 *
 * @param mode tunnel or transport (RFC 4301 §4.1)
 * @param udp the outer UDP ports, or {@code null} for ESP directly over IP
 */
public record Encapsulation(IpsecMode mode, UdpEncap udp) {
  public Encapsulation {
    Objects.requireNonNull(mode, "mode");
  }
}
