package org.openswanj.pluto.tools;

/** A tool's failure: the one-line message printed after the tool's name, and the exit status. */
public final class ToolException extends Exception {
  private static final long serialVersionUID = 1L;
  private final int exitCode;

  public ToolException(int exitCode, String message) {
    super(message);
    this.exitCode = exitCode;
  }

  public int exitCode() {
    return exitCode;
  }
}
