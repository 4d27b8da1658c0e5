package org.openswanj.pluto.ike.wire;

/**
 * UNSUPPORTED_CRITICAL_PAYLOAD (RFC 7296 §2.5): an unknown payload had the critical bit set. The notify data is
 * the one-byte payload type. In IKEv1 (no critical bit) it stands for INVALID-PAYLOAD-TYPE, the same number.
 */
public class UnsupportedCriticalPayloadException extends IkeProtocolException {
  private static final long serialVersionUID = 1L;

  private final int payloadType;

  public UnsupportedCriticalPayloadException(int payloadType, String message) {
    super(NotifyType.UNSUPPORTED_CRITICAL_PAYLOAD, new byte[] {(byte) payloadType}, message);
    this.payloadType = payloadType;
  }

  public int payloadType() {
    return payloadType;
  }
}
