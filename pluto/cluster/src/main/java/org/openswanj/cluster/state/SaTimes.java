package org.openswanj.cluster.state;

/**
 * An SA's lifetime as wall-clock instants (epoch seconds), so a standby with its own clock keeps the same
 * rekey and expiry schedule; 0 = never.
 */
public record SaTimes(long establishedAt, long rekeyAt, long expireAt) {
  public SaTimes {
    if (establishedAt < 0 || rekeyAt < 0 || expireAt < 0) {
      throw new IllegalArgumentException("negative time in SA lifetime");
    }
  }
}
