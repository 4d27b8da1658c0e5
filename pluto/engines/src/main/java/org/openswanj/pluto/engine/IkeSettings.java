package org.openswanj.pluto.engine;

import java.time.Duration;

/**
 * The knobs both IKE engines share, owned by the daemon. Retransmission as Openswan: start at
 * {@code retransmitBase}, double each time, give up after {@code maxRetransmits} (RFC 7296 §2.1 leaves the timing
 * to the implementation).
 *
 * @param flood what a responder does under a flood of first messages (RFC 7296 §2.6), IKEv2 and IKEv1 alike
 * @param uniqueIds pluto's --uniqueids (config setup uniqueids=yes, Openswan's default)
 * @param keepalive pluto's --keep_alive and --force_keepalive (RFC 3948 §4 NAT-keepalives)
 */
public record IkeSettings(int ikePort, int nattPort, Duration retransmitBase, int maxRetransmits,
    FloodLimits flood, Duration halfOpenTimeout, boolean uniqueIds, NatKeepalives.Settings keepalive,
    org.openswanj.conf.VirtualPrivate virtualPrivate) {

  /**
   * @param cookieThreshold half-open IKE SAs at which IKE_SA_INIT requests must carry a COOKIE (§2.6)
   * @param maxHalfOpen hard cap: beyond it a first message is dropped even with a valid cookie
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

  public static IkeSettings defaults() {
    return new IkeSettings(500, 4500, Duration.ofMillis(500), 7, FloodLimits.defaults(), Duration.ofSeconds(30),
        true, NatKeepalives.Settings.DEFAULT, org.openswanj.conf.VirtualPrivate.NONE);
  }

  public int cookieThreshold() {
    return flood.cookieThreshold();
  }

  public IkeSettings withCookieThreshold(int n) {
    return withFlood(new FloodLimits(n, flood.maxHalfOpen(), flood.maxHalfOpenPerAddress(),
        flood.cookieSecretLifetime()));
  }

  public IkeSettings withFlood(FloodLimits f) {
    return new IkeSettings(ikePort, nattPort, retransmitBase, maxRetransmits, f, halfOpenTimeout, uniqueIds, keepalive,
        virtualPrivate);
  }

  public IkeSettings withUniqueIds(boolean on) {
    return new IkeSettings(ikePort, nattPort, retransmitBase, maxRetransmits, flood, halfOpenTimeout, on, keepalive,
        virtualPrivate);
  }

  public IkeSettings withKeepalive(NatKeepalives.Settings k) {
    return new IkeSettings(ikePort, nattPort, retransmitBase, maxRetransmits, flood, halfOpenTimeout, uniqueIds, k,
        virtualPrivate);
  }

  public IkeSettings withPorts(int ike, int natt) {
    return new IkeSettings(ike, natt, retransmitBase, maxRetransmits, flood, halfOpenTimeout, uniqueIds, keepalive,
        virtualPrivate);
  }

  /** {@code virtual_private=}: what a {@code vhost:%priv} peer may claim as its client. */
  public IkeSettings withVirtualPrivate(org.openswanj.conf.VirtualPrivate vp) {
    return new IkeSettings(ikePort, nattPort, retransmitBase, maxRetransmits, flood, halfOpenTimeout, uniqueIds,
        keepalive, vp);
  }
}
