package org.openswanj.pluto.crypto;

/**
 * An encrypted body failed its integrity check or was malformed (bad sizes, bad padding). RFC 7296 §3.14:
 * such messages are dropped silently; the message says why for the debug log.
 */
public final class IntegrityException extends Exception {
  private static final long serialVersionUID = 1L;

  public IntegrityException(String message) {
    super(message);
  }
}
