package org.openswanj.pluto.ike.wire;

/** TS_UNACCEPTABLE (RFC 7296 §2.9). */
public class TsUnacceptableException extends IkeProtocolException {
  private static final long serialVersionUID = 1L;

  public TsUnacceptableException(String message) {
    super(NotifyType.TS_UNACCEPTABLE, message);
  }
}
