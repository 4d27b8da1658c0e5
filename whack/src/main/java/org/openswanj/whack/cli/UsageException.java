package org.openswanj.whack.cli;

/** A command line that cannot be carried out; the message is the one line the user sees. */
public final class UsageException extends Exception {
  private static final long serialVersionUID = 1L;
  private final int exitStatus;

  public UsageException(String message, int exitStatus) {
    super(message);
    this.exitStatus = exitStatus;
  }

  public int exitStatus() {
    return exitStatus;
  }
}
