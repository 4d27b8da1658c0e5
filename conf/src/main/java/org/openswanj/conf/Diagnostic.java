package org.openswanj.conf;

import java.nio.file.Path;

/** One problem found in a configuration file, at a line (1-based; 0 when the file as a whole is meant). */
public record Diagnostic(Path file, int line, Severity severity, String message) {

  /** {@code FILE:LINE: message}, or {@code FILE:LINE: warning: message}. */
  public String format() {
    String where = file + ":" + line + ": ";
    return severity == Severity.WARNING ? where + "warning: " + message : where + message;
  }

  public static Diagnostic error(Path file, int line, String message) {
    return new Diagnostic(file, line, Severity.ERROR, message);
  }

  public static Diagnostic warning(Path file, int line, String message) {
    return new Diagnostic(file, line, Severity.WARNING, message);
  }
}
