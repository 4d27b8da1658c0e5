package org.openswanj.pluto.ike.wire;

/** INVALID_KE_PAYLOAD (RFC 7296 §1.2): the notify data is the 2-byte DH group the responder wants. */
public class InvalidKePayloadException extends IkeProtocolException {
  private static final long serialVersionUID = 1L;

  private final int acceptedGroup;

  public InvalidKePayloadException(int acceptedGroup, String message) {
    super(NotifyType.INVALID_KE_PAYLOAD, new byte[] {(byte) (acceptedGroup >>> 8), (byte) acceptedGroup}, message);
    this.acceptedGroup = acceptedGroup;
  }

  public int acceptedGroup() {
    return acceptedGroup;
  }
}
