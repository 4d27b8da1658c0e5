package org.openswanj.pluto.ike.wire;

/** INVALID_SYNTAX (RFC 7296 §3.10.1): a malformed payload or message; in IKEv1, PAYLOAD-MALFORMED. */
public class InvalidSyntaxException extends IkeProtocolException {
  private static final long serialVersionUID = 1L;

  public InvalidSyntaxException(String message) {
    super(NotifyType.INVALID_SYNTAX, message);
  }
}
