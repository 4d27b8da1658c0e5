package org.openswanj.conf;

/**
 * {@code failureshunt=} (Openswan 2.6 ipsec.conf(5)): what to do with packets when negotiation fails; NONE keeps
 * the conn's %trap.
 */
public enum FailureShunt {
  NONE,
  PASSTHROUGH,
  DROP,
  REJECT
}
