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
}
