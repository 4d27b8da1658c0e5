package org.openswanj.pluto.crypto.sig;

/** Our own key cannot make this signature; the message says why and never holds key material. */
public final class SigningException extends Exception {
  private static final long serialVersionUID = 1L;

  public SigningException(String message) {
    super(message);
  }
}
