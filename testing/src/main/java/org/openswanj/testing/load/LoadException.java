package org.openswanj.testing.load;

/** A run that cannot start (bad option, unusable address); the message is the one line the user sees. */
final class LoadException extends Exception {
  private static final long serialVersionUID = 1L;

  LoadException(String message) {
    super(message);
  }
}
