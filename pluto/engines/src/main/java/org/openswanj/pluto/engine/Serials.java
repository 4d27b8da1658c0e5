package org.openswanj.pluto.engine;

/**
 * SA serial numbers, one sequence for both IKE versions and every kind of SA, as Openswan numbers its states
 * ("#1", "#2", ...). Owned by the daemon, used on the event loop only.
 */
public final class Serials {
  private long next = 1;

  public long next() {
    return next++;
  }

  /** The last serial handed out (0 before the first): orders an event against SAs made before and after it. */
  public long last() {
    return next - 1;
  }
}
