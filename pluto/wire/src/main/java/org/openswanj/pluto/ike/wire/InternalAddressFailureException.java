package org.openswanj.pluto.ike.wire;

/** INTERNAL_ADDRESS_FAILURE (RFC 7296 §3.15.4). */
public class InternalAddressFailureException extends IkeProtocolException {
  private static final long serialVersionUID = 1L;

  public InternalAddressFailureException(String message) {
    super(NotifyType.INTERNAL_ADDRESS_FAILURE, message);
  }
}
