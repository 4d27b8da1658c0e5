package org.openswanj.pluto.oe;

/** How a look-up ended; everything but {@link #FOUND} means "install the failure shunt". */
public enum OeOutcome {
  /** At least one gateway with a key. */
  FOUND,
  /** The target publishes no usable key (NXDOMAIN, NODATA, or only records we cannot use). */
  NO_KEY,
  /** No answer within the look-up timeout. */
  TIMEOUT,
  /** Too many look-ups in flight: refused at once, nothing was sent. */
  BUSY,
  /** DNSSEC is on and the answers were bogus or insecure. */
  DNSSEC_REFUSED,
  /** The server failed (SERVFAIL, REFUSED, unreachable) or the query could not be made. */
  DNS_ERROR
}
