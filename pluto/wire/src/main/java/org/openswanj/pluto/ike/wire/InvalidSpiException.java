package org.openswanj.pluto.ike.wire;

/** INVALID_SPI (RFC 7296 §3.10.1). */
public class InvalidSpiException extends IkeProtocolException {
  private static final long serialVersionUID = 1L;

  public InvalidSpiException(String message) {
    super(NotifyType.INVALID_SPI, message);
  }
}
