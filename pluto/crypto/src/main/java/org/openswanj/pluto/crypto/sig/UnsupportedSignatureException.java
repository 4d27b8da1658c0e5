package org.openswanj.pluto.crypto.sig;

/** A peer's signature algorithm we do not know or do not accept; the message names it. */
public final class UnsupportedSignatureException extends Exception {
  private static final long serialVersionUID = 1L;

  public UnsupportedSignatureException(String message) {
    super(message);
  }
}
