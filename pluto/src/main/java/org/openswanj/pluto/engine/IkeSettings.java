package org.openswanj.pluto.engine;

import java.time.Duration;

/**
 * The knobs both IKE engines share, owned by the daemon. Retransmission as Openswan: start at {@code retransmitBase}, double each time, give up after
 * {@code maxRetransmits} (RFC 7296 §2.1 leaves the timing to the implementation).
 *
 * @param cookieThreshold half-open IKE SAs above which IKE_SA_INIT requests must carry a COOKIE (RFC 7296 §2.6)
 */
public record IkeSettings(int ikePort, int nattPort, Duration retransmitBase, int maxRetransmits,
    int cookieThreshold, Duration halfOpenTimeout, boolean uniqueIds) {
  public static IkeSettings defaults() {
    return new IkeSettings(500, 4500, Duration.ofMillis(500), 7, 64, Duration.ofSeconds(30), true);
  }

  public IkeSettings withCookieThreshold(int n) {
    return new IkeSettings(ikePort, nattPort, retransmitBase, maxRetransmits, n, halfOpenTimeout, uniqueIds);
  }

  public IkeSettings withPorts(int ike, int natt) {
    return new IkeSettings(ike, natt, retransmitBase, maxRetransmits, cookieThreshold, halfOpenTimeout, uniqueIds);
  }
}
