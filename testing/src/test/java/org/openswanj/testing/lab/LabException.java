package org.openswanj.testing.lab;

/** The lab could not do what a test asked (missing prerequisite, failed command, timeout); the message says what. */
public final class LabException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  public LabException(String message) {
    super(message);
  }

  public LabException(String message, Throwable cause) {
    super(message, cause);
  }
}
