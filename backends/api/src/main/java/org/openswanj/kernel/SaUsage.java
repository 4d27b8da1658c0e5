package org.openswanj.kernel;

/**
 * Counters of an SA.
 *
 * @param lastUsedEpochSeconds 0 if never used
 */
public record SaUsage(
    long bytes,
    long packets,
    long lastUsedEpochSeconds,
    long replayFailures,
    long integrityFailures) {
  public static final SaUsage ZERO = new SaUsage(0, 0, 0, 0, 0);
}
