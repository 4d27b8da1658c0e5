package org.openswanj.pluto.ike.wire;

import java.nio.ByteBuffer;
import java.util.List;

/**
 * The data of an IKEV2_MESSAGE_ID_SYNC notify (RFC 6311 §6.3): a 4-octet nonce, EXPECTED_SEND_REQ_MESSAGE_ID and
 * EXPECTED_RECV_REQ_MESSAGE_ID, each 32 bits, both counted from the notify's sender. In the request (from the
 * cluster) they are M1 and P1, in the response (from the peer) P2 and M2 (§5.1); the response echoes the nonce.
 *
 * @param nonce the request's random nonce, echoed in the response
 * @param expectedSend the message ID the sender will use for its next request, unsigned
 * @param expectedRecv the message ID the sender expects in the other side's next request, unsigned
 */
public record MessageIdSyncData(int nonce, long expectedSend, long expectedRecv) {
  /** 4 + 4 + 4 octets; anything else is malformed. */
  public static final int LENGTH = 12;

  public MessageIdSyncData {
    if (expectedSend < 0 || expectedSend > 0xffffffffL || expectedRecv < 0 || expectedRecv > 0xffffffffL) {
      throw new IllegalArgumentException("message IDs are 32-bit unsigned: " + expectedSend + ", " + expectedRecv);
    }
  }

  /** As a notify about the IKE SA (protocol 0, no SPI, §6.3). */
  public NotifyPayload toNotify() {
    ByteBuffer b = ByteBuffer.allocate(LENGTH);
    b.putInt(nonce).putInt((int) expectedSend).putInt((int) expectedRecv);
    return new NotifyPayload(NotifyType.IKEV2_MESSAGE_ID_SYNC, b.array());
  }

  /** Reads the one IKEV2_MESSAGE_ID_SYNC notify of a message; its absence or a wrong size is INVALID_SYNTAX. */
  public static MessageIdSyncData of(List<Payload> payloads) throws InvalidSyntaxException {
    NotifyPayload n = null;
    for (Payload p : payloads) {
      if (p instanceof NotifyPayload np && np.type() == NotifyType.IKEV2_MESSAGE_ID_SYNC) {
        if (n != null) {
          throw new InvalidSyntaxException("IKEV2_MESSAGE_ID_SYNC: more than one");
        }
        n = np;
      }
    }
    if (n == null) {
      throw new InvalidSyntaxException("IKEV2_MESSAGE_ID_SYNC: missing");
    }
    return decode(n);
  }

  /** The notify's data; a wrong length or an SPI is INVALID_SYNTAX naming what was found. */
  public static MessageIdSyncData decode(NotifyPayload n) throws InvalidSyntaxException {
    if (n.spi().length != 0) {
      throw new InvalidSyntaxException("IKEV2_MESSAGE_ID_SYNC: SPI of " + n.spi().length + " octets, expected none");
    }
    if (n.data().length != LENGTH) {
      throw new InvalidSyntaxException("IKEV2_MESSAGE_ID_SYNC: " + n.data().length + " octets of data, expected "
          + LENGTH);
    }
    ByteBuffer b = ByteBuffer.wrap(n.data());
    return new MessageIdSyncData(b.getInt(), Integer.toUnsignedLong(b.getInt()), Integer.toUnsignedLong(b.getInt()));
  }

  @Override
  public String toString() {
    return "MessageIdSyncData[send=" + expectedSend + " recv=" + expectedRecv + "]";
  }
}
