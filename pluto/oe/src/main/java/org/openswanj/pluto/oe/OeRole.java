package org.openswanj.pluto.oe;

/** Whether pluto takes part in OE for a destination. */
public enum OeRole {
  /** Traps the first packet and starts OE; answers OE too (private, private-or-clear). */
  INITIATE,
  /** Sends in the clear but answers a peer that starts OE (clear-or-private). */
  RESPOND_ONLY,
  /** Never negotiates (clear, block, our own addresses). */
  NEVER
}
