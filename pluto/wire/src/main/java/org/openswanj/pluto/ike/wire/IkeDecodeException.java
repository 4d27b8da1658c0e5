package org.openswanj.pluto.ike.wire;

/** A datagram that cannot be an IKE message at all (short, or a header length that lies): drop, never answer. */
public class IkeDecodeException extends IkeProtocolException {
  private static final long serialVersionUID = 1L;

  public IkeDecodeException(String message) {
    super(NotifyType.INVALID_SYNTAX, message);
  }

  @Override
  public boolean silentDrop() {
    return true;
  }
}
