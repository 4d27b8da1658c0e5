package org.openswanj.pluto.engine;

/** What the per-SA guard needs to know of an SA to write its one line about a bug. */
public interface GuardedSa {
  /** Openswan's prefix, {@code "conn" #N}. */
  String logPrefix();

  /** The state's RFC-style name, e.g. {@code STATE_MAIN_I2}. */
  String stateName();
}
