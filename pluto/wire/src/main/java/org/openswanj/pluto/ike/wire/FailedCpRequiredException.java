package org.openswanj.pluto.ike.wire;

/** FAILED_CP_REQUIRED (RFC 7296 §3.15.4). */
public class FailedCpRequiredException extends IkeProtocolException {
  private static final long serialVersionUID = 1L;

  public FailedCpRequiredException(String message) {
    super(NotifyType.FAILED_CP_REQUIRED, message);
  }
}
