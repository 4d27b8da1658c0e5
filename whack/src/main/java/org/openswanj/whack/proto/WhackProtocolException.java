package org.openswanj.whack.proto;

/** A request that does not follow whack/PROTOCOL.md; the message says what was wrong, for the reply line. */
public final class WhackProtocolException extends Exception {
  private static final long serialVersionUID = 1L;

  public WhackProtocolException(String message) {
    super(message);
  }
}
