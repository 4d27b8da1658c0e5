package org.openswanj.kernel;

/** Soft and hard limits; 0 means no limit. */
public record Lifetime(long softBytes, long hardBytes, long softSeconds, long hardSeconds) {
  public static final Lifetime NONE = new Lifetime(0, 0, 0, 0);
}
