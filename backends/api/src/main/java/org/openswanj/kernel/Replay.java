package org.openswanj.kernel;

/**
 * Anti-replay settings of an SA.
 *
 * @param window window in packets; 0 disables the check (RFC 4303 §3.4.3)
 * @param esn 64-bit extended sequence numbers (RFC 4304)
 * @param firstOutboundSeq outbound only: the first sequence number to send with (1 for a new SA; a cluster
 *     node taking over an SA starts past anything the old node sent, RFC 4303 §3.3.3); 0 means 1
 */
public record Replay(int window, boolean esn, long firstOutboundSeq) {
  /** What an outbound SA uses: no window (the receiver checks), 32-bit sequence numbers. */
  public static final Replay NONE = new Replay(0, false);

  public Replay {
    if (window < 0) {
      throw new IllegalArgumentException("replay window " + window + " < 0");
    }
    if (firstOutboundSeq < 0) {
      throw new IllegalArgumentException("first outbound sequence number " + firstOutboundSeq + " < 0");
    }
  }

  public Replay(int window, boolean esn) {
    this(window, esn, 0);
  }
}
