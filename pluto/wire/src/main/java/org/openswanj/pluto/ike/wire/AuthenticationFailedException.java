package org.openswanj.pluto.ike.wire;

/** AUTHENTICATION_FAILED (RFC 7296 §2.21.2). */
public class AuthenticationFailedException extends IkeProtocolException {
  private static final long serialVersionUID = 1L;

  public AuthenticationFailedException(String message) {
    super(NotifyType.AUTHENTICATION_FAILED, message);
  }
}
