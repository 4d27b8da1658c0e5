package org.openswanj.pluto.ikev2;

import java.time.Duration;

/**
 * Engine knobs. Retransmission as Openswan: start at {@code retransmitBase}, double each time, give up after
 * {@code maxRetransmits} (RFC 7296 §2.1 leaves the timing to the implementation).
 *
 * @param flood what a responder does under an IKE_SA_INIT flood (RFC 7296 §2.6)
 */
public record Ikev2Settings(int ikePort, int nattPort, Duration retransmitBase, int maxRetransmits,
    FloodLimits flood, Duration halfOpenTimeout, boolean uniqueIds) {

  /**
   * @param cookieThreshold half-open IKE SAs at which IKE_SA_INIT requests must carry a COOKIE (§2.6)
   * @param maxHalfOpen hard cap: beyond it an IKE_SA_INIT is dropped even with a valid cookie
   * @param maxHalfOpenPerAddress half-open SAs one source address may hold (a cookie proves the address
   *     is real, not that it is only one initiator's fair share)
   * @param cookieSecretLifetime how long one cookie secret is used; the previous one is still accepted
   *     for as long again (§2.6: "the responder should change the value of <secret> frequently")
   */
  public record FloodLimits(int cookieThreshold, int maxHalfOpen, int maxHalfOpenPerAddress,
      Duration cookieSecretLifetime) {
    // Libreswan's defaults for the same knobs are 25,000 (cookies) and 50,000 (cap); a single pluto with far
    // fewer peers engages cookies much earlier, which costs a legitimate initiator one round trip
    public static FloodLimits defaults() {
      return new FloodLimits(64, 50_000, 32, Duration.ofMinutes(2));
    }
  }

  public static Ikev2Settings defaults() {
    return new Ikev2Settings(500, 4500, Duration.ofMillis(500), 7, FloodLimits.defaults(), Duration.ofSeconds(30),
        true);
  }

  public int cookieThreshold() {
    return flood.cookieThreshold();
  }

  public Ikev2Settings withCookieThreshold(int n) {
    return withFlood(new FloodLimits(n, flood.maxHalfOpen(), flood.maxHalfOpenPerAddress(),
        flood.cookieSecretLifetime()));
  }

  public Ikev2Settings withFlood(FloodLimits f) {
    return new Ikev2Settings(ikePort, nattPort, retransmitBase, maxRetransmits, f, halfOpenTimeout, uniqueIds);
  }

  /** uniqueids: pluto's --uniqueids (ipsec.conf config setup uniqueids=yes, Openswan's default). */
  public Ikev2Settings withUniqueIds(boolean on) {
    return new Ikev2Settings(ikePort, nattPort, retransmitBase, maxRetransmits, flood, halfOpenTimeout, on);
  }

  public Ikev2Settings withPorts(int ike, int natt) {
    return new Ikev2Settings(ike, natt, retransmitBase, maxRetransmits, flood, halfOpenTimeout, uniqueIds);
  }
}
