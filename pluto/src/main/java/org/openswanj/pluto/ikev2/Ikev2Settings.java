package org.openswanj.pluto.ikev2;

import java.time.Duration;

/**
 * Engine knobs. Retransmission as Openswan: start at {@code retransmitBase}, double each time, give up after
 * {@code maxRetransmits} (RFC 7296 §2.1 leaves the timing to the implementation).
 *
 * @param cookieThreshold half-open IKE SAs above which IKE_SA_INIT requests must carry a COOKIE (RFC 7296 §2.6)
 */
public record Ikev2Settings(int ikePort, int nattPort, Duration retransmitBase, int maxRetransmits,
    int cookieThreshold, Duration halfOpenTimeout, boolean uniqueIds) {
  public static Ikev2Settings defaults() {
    return new Ikev2Settings(500, 4500, Duration.ofMillis(500), 7, 64, Duration.ofSeconds(30), true);
  }

  public Ikev2Settings withCookieThreshold(int n) {
    return new Ikev2Settings(ikePort, nattPort, retransmitBase, maxRetransmits, n, halfOpenTimeout, uniqueIds);
  }

  /** uniqueids: pluto's --uniqueids (ipsec.conf config setup uniqueids=yes, Openswan's default). */
  public Ikev2Settings withUniqueIds(boolean on) {
    return new Ikev2Settings(ikePort, nattPort, retransmitBase, maxRetransmits, cookieThreshold, halfOpenTimeout, on);
  }

  public Ikev2Settings withPorts(int ike, int natt) {
    return new Ikev2Settings(ike, natt, retransmitBase, maxRetransmits, cookieThreshold, halfOpenTimeout, uniqueIds);
  }
}
