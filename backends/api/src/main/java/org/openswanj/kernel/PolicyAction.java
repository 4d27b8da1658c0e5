package org.openswanj.kernel;

/** What a policy does with matching traffic: IPsec, or one of Openswan's shunts. */
public enum PolicyAction {
  /** Protect with the SAs named in the policy's template. */
  IPSEC,
  /** %trap: no SA yet; hold the packet and raise an acquire. */
  TRAP,
  /** %hold: hold packets while negotiation is under way. */
  HOLD,
  /** %pass: send in the clear. */
  PASS,
  /** %drop: discard silently. */
  DROP,
  /** %reject: discard and send ICMP. */
  REJECT
}
