package org.openswanj.kernel;

/** Which way an SA carries traffic, seen from this host. */
public enum Direction {
  /** We receive on it: the peer chose its SPI from our allocation, and we check replay and selectors. */
  INBOUND,
  /** We send on it. */
  OUTBOUND
}
