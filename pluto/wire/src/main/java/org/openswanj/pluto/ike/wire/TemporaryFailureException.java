package org.openswanj.pluto.ike.wire;

/** TEMPORARY_FAILURE (RFC 7296 §2.25). */
public class TemporaryFailureException extends IkeProtocolException {
  private static final long serialVersionUID = 1L;

  public TemporaryFailureException(String message) {
    super(NotifyType.TEMPORARY_FAILURE, message);
  }
}
