package org.openswanj.kernel;

/**
 * Anti-replay settings of an SA.
 *
 * @param window window in packets; 0 disables the check (RFC 4303 §3.4.3)
 * @param esn 64-bit extended sequence numbers (RFC 4304)
 * @param firstOutboundSeq outbound only: the first sequence number to send with (1 for a new SA; a cluster
 *     node taking over an SA starts past anything the old node sent, RFC 4303 §3.3.3); 0 means 1
 * @param inboundFloor inbound only: the lowest sequence number accepted, every lower one counting as seen (0 for a
 *     new SA; a cluster node taking over an SA whose peer advanced its counter past what the old node may have
 *     received, RFC 6311 §5.2, refuses those old numbers as replays)
 */
public record Replay(int window, boolean esn, long firstOutboundSeq, long inboundFloor) {
  /** What an outbound SA uses: no window (the receiver checks), 32-bit sequence numbers. */
  public static final Replay NONE = new Replay(0, false);

  public Replay {
    if (window < 0) {
      throw new IllegalArgumentException("replay window " + window + " < 0");
    }
    if (firstOutboundSeq < 0) {
      throw new IllegalArgumentException("first outbound sequence number " + firstOutboundSeq + " < 0");
    }
    if (inboundFloor < 0) {
      throw new IllegalArgumentException("inbound sequence floor " + inboundFloor + " < 0");
    }
  }

  public Replay(int window, boolean esn, long firstOutboundSeq) {
    this(window, esn, firstOutboundSeq, 0);
  }

  public Replay(int window, boolean esn) {
    this(window, esn, 0);
  }
}
