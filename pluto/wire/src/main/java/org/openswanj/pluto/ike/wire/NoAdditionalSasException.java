package org.openswanj.pluto.ike.wire;

/** NO_ADDITIONAL_SAS (RFC 7296 §3.10.1). */
public class NoAdditionalSasException extends IkeProtocolException {
  private static final long serialVersionUID = 1L;

  public NoAdditionalSasException(String message) {
    super(NotifyType.NO_ADDITIONAL_SAS, message);
  }
}
