package org.openswanj.pluto.ike.wire;

/** INVALID_MAJOR_VERSION (RFC 7296 §2.5): the header's major version is neither 1 nor 2. */
public class InvalidMajorVersionException extends IkeProtocolException {
  private static final long serialVersionUID = 1L;

  public InvalidMajorVersionException(String message) {
    super(NotifyType.INVALID_MAJOR_VERSION, message);
  }
}
