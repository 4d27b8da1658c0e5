package org.openswanj.pluto.ike.wire;

/** INVALID_MESSAGE_ID (RFC 7296 §2.3). */
public class InvalidMessageIdException extends IkeProtocolException {
  private static final long serialVersionUID = 1L;

  public InvalidMessageIdException(String message) {
    super(NotifyType.INVALID_MESSAGE_ID, message);
  }
}
