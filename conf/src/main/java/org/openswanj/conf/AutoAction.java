package org.openswanj.conf;

/** {@code auto=}: what {@code ipsec setup} does with the conn at start ("up" is START). */
public enum AutoAction {
  IGNORE,
  ADD,
  ROUTE,
  START
}
