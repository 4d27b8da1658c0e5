package org.openswanj.conf.id;

/** An identity string or wire form that is not a valid IKE identity; the message names the text and why. */
public final class IdentityException extends Exception {
  private static final long serialVersionUID = 1L;

  public IdentityException(String message) {
    super(message);
  }
}
