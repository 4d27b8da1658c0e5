package org.openswanj.pluto.pki;

import java.nio.file.Path;

/**
 * A file pluto could not use, as one log line: {@code FILE: reason}. Never a stack trace.
 *
 * @param file the file (or directory) concerned
 * @param reason what is wrong, in words
 */
public record PkiProblem(Path file, String reason) {
  @Override
  public String toString() {
    return file + ": " + reason;
  }
}
