package org.openswanj.conf.secrets;

/** A secret that cannot be read or used; the message never contains secret material. */
public final class SecretsException extends Exception {
  private static final long serialVersionUID = 1L;

  public SecretsException(String message) {
    super(message);
  }
}
