package org.openswanj.pluto.ike.wire;

import java.nio.ByteBuffer;
import java.util.List;
import java.util.Optional;

/**
 * The data of an IPSEC_REPLAY_COUNTER_SYNC notify (RFC 6311 §5.2, §6.4): the "Incoming IPsec SA delta value", by
 * which the sender asks the peer to advance the outbound ESP sequence counter of every Child SA of the IKE SA (the
 * sender's inbound traffic). It rides in the IKEV2_MESSAGE_ID_SYNC request of a cluster node that took the IKE SA
 * over, so that the peer's next packets number past anything the old node may have received, and the new node can
 * refuse those old numbers as replays. 32 bits on the wire; 64 when a Child SA uses extended sequence numbers
 * (RFC 4304), the size the counters it advances have.
 *
 * @param delta how far the peer advances its outbound counters, unsigned and at least 1
 */
public record ReplayCounterSyncData(long delta) {
  private static final String WHAT = "IPSEC_REPLAY_COUNTER_SYNC";

  public ReplayCounterSyncData {
    if (delta < 1) {
      throw new IllegalArgumentException("replay counter delta " + delta + " < 1");
    }
  }

  /** As a notify about the IKE SA (protocol 0, no SPI): 4 octets, or 8 when {@code esn} or the delta needs them. */
  public NotifyPayload toNotify(boolean esn) {
    boolean wide = esn || delta > 0xffffffffL;
    ByteBuffer b = ByteBuffer.allocate(wide ? 8 : 4);
    if (wide) {
      b.putLong(delta);
    } else {
      b.putInt((int) delta);
    }
    return new NotifyPayload(NotifyType.IPSEC_REPLAY_COUNTER_SYNC, b.array());
  }

  /** The one IPSEC_REPLAY_COUNTER_SYNC of a message, if any; two, a wrong size or an SPI is INVALID_SYNTAX. */
  public static Optional<ReplayCounterSyncData> of(List<Payload> payloads) throws InvalidSyntaxException {
    NotifyPayload n = null;
    for (Payload p : payloads) {
      if (p instanceof NotifyPayload np && np.type() == NotifyType.IPSEC_REPLAY_COUNTER_SYNC) {
        if (n != null) {
          throw new InvalidSyntaxException(WHAT + ": more than one");
        }
        n = np;
      }
    }
    return n == null ? Optional.empty() : Optional.of(decode(n));
  }

  /** The notify's data: 4 or 8 octets, unsigned, not zero; anything else is INVALID_SYNTAX naming what was found. */
  public static ReplayCounterSyncData decode(NotifyPayload n) throws InvalidSyntaxException {
    if (n.spi().length != 0) {
      throw new InvalidSyntaxException(WHAT + ": SPI of " + n.spi().length + " octets, expected none");
    }
    byte[] d = n.data();
    if (d.length != 4 && d.length != 8) {
      throw new InvalidSyntaxException(WHAT + ": " + d.length + " octets of data, expected 4 or 8");
    }
    ByteBuffer b = ByteBuffer.wrap(d);
    long delta = d.length == 4 ? Integer.toUnsignedLong(b.getInt()) : b.getLong();
    if (delta == 0 || delta < 0) {
      // zero advances nothing; a 64-bit value past 2^63 - 1 is beyond any counter (RFC 4304: ESN is 64 bits)
      throw new InvalidSyntaxException(WHAT + ": delta " + Long.toUnsignedString(delta) + " outside 1..2^63-1");
    }
    return new ReplayCounterSyncData(delta);
  }
}
