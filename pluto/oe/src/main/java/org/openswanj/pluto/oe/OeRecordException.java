package org.openswanj.pluto.oe;

/** A DNS record that claims to be for OE but cannot be used; the message says what is wrong with it. */
public final class OeRecordException extends Exception {
  private static final long serialVersionUID = 1L;

  public OeRecordException(String message) {
    super(message);
  }
}
