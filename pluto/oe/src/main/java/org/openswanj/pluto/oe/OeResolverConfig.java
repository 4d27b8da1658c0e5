package org.openswanj.pluto.oe;

import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.List;

/**
 * How OE look-ups are made: the recursive DNS servers (empty: those of /etc/resolv.conf), the time a whole
 * look-up may take before it yields {@link OeOutcome#TIMEOUT}, how many look-ups may be in flight before more
 * fail at once as {@link OeOutcome#BUSY}, and DNSSEC.
 */
public record OeResolverConfig(List<InetSocketAddress> servers, Duration timeout, int maxInFlight,
    DnssecConfig dnssec) {
  public static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(5);
  public static final int DEFAULT_MAX_IN_FLIGHT = 64;

  public OeResolverConfig {
    servers = List.copyOf(servers);
    if (timeout.isNegative() || timeout.isZero()) {
      throw new IllegalArgumentException("OE look-up timeout must be positive, not " + timeout);
    }
    if (maxInFlight < 1) {
      throw new IllegalArgumentException("OE look-ups in flight must be at least 1, not " + maxInFlight);
    }
  }

  /** The system's servers, {@link #DEFAULT_TIMEOUT}, {@link #DEFAULT_MAX_IN_FLIGHT}. */
  public static OeResolverConfig defaults(DnssecConfig dnssec) {
    return new OeResolverConfig(List.of(), DEFAULT_TIMEOUT, DEFAULT_MAX_IN_FLIGHT, dnssec);
  }
}
