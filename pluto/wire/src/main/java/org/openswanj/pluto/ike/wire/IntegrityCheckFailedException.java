package org.openswanj.pluto.ike.wire;

/** The SK/SKF integrity check value did not match (RFC 7296 §2.21.1): drop silently, never answer. */
public class IntegrityCheckFailedException extends IkeProtocolException {
  private static final long serialVersionUID = 1L;

  public IntegrityCheckFailedException(String message) {
    super(NotifyType.AUTHENTICATION_FAILED, message);
  }

  @Override
  public boolean silentDrop() {
    return true;
  }
}
