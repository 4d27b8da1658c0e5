package org.openswanj.pluto.ike.wire;

/** SINGLE_PAIR_REQUIRED (RFC 7296 §2.9). */
public class SinglePairRequiredException extends IkeProtocolException {
  private static final long serialVersionUID = 1L;

  public SinglePairRequiredException(String message) {
    super(NotifyType.SINGLE_PAIR_REQUIRED, message);
  }
}
