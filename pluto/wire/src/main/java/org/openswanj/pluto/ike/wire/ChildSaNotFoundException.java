package org.openswanj.pluto.ike.wire;

/** CHILD_SA_NOT_FOUND (RFC 7296 §2.25). */
public class ChildSaNotFoundException extends IkeProtocolException {
  private static final long serialVersionUID = 1L;

  public ChildSaNotFoundException(String message) {
    super(NotifyType.CHILD_SA_NOT_FOUND, message);
  }
}
