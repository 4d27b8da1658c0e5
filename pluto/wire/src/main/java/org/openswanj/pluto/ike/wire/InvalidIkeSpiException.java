package org.openswanj.pluto.ike.wire;

/** INVALID_IKE_SPI (RFC 7296 §2.21.4). */
public class InvalidIkeSpiException extends IkeProtocolException {
  private static final long serialVersionUID = 1L;

  public InvalidIkeSpiException(String message) {
    super(NotifyType.INVALID_IKE_SPI, message);
  }
}
