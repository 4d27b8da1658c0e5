package org.openswanj.conf;

/** {@code negotiationshunt=} (Libreswan's keyword): the eroute while IKE runs after an ACQUIRE; HOLD queues. */
public enum NegotiationShunt {
  HOLD,
  PASSTHROUGH,
  DROP
}
