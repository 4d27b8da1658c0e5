package org.openswanj.kernel;

/**
 * Anti-replay settings of an SA.
 *
 * @param window window in packets; 0 disables the check (RFC 4303 §3.4.3)
 * @param esn 64-bit extended sequence numbers (RFC 4304)
 */
public record Replay(int window, boolean esn) {
  /** What an outbound SA uses: no window (the receiver checks), 32-bit sequence numbers. */
  public static final Replay NONE = new Replay(0, false);

  public Replay {
    if (window < 0) {
      throw new IllegalArgumentException("replay window " + window + " < 0");
    }
  }
}
