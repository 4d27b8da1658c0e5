package org.openswanj.testing.lab;

import java.util.List;

/** What a command run in the lab gave back. */
public record Result(List<String> command, int exitCode, String stdout, String stderr) {

  public Result {
    command = List.copyOf(command);
  }

  public boolean ok() {
    return exitCode == 0;
  }

  /** This result, or a {@link LabException} naming the command, its exit code and both outputs. */
  public Result requireOk() {
    if (!ok()) {
      throw new LabException(String.join(" ", command) + " exited " + exitCode
          + "\n--- stdout ---\n" + Commands.tail(stdout, 40) + "\n--- stderr ---\n" + Commands.tail(stderr, 40));
    }
    return this;
  }

  @Override
  public String toString() {
    return "exit " + exitCode + " from " + String.join(" ", command);
  }
}
