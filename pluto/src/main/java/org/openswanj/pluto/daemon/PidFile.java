package org.openswanj.pluto.daemon;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/** {@code <ctlbase>.pid}: refuses a second pluto on the same ctlbase (Openswan's lock file). */
final class PidFile {
  private final Path path;

  static final class LockedException extends Exception {
    private static final long serialVersionUID = 1L;

    LockedException(String message) {
      super(message);
    }
  }

  private PidFile(Path path) {
    this.path = path;
  }

  static PidFile lock(Path path) throws IOException, LockedException {
    Files.createDirectories(path.toAbsolutePath().getParent());
    if (Files.exists(path)) {
      long other = readPid(path);
      if (other > 0 && org.openswanj.pluto.daemon.control.PlutoProcess.alive(other)) {
        throw new LockedException("lock file \"" + path + "\" already exists: pluto is already running (pid " + other + ")");
      }
      Files.delete(path); // stale: its pluto is gone
    }
    try {
      Files.writeString(path, ProcessHandle.current().pid() + "\n", StandardCharsets.US_ASCII,
          StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE);
    } catch (java.nio.file.FileAlreadyExistsException e) {
      throw new LockedException("lock file \"" + path + "\" already exists");
    }
    return new PidFile(path);
  }

  static long readPid(Path path) {
    try {
      return Long.parseLong(Files.readString(path, StandardCharsets.US_ASCII).trim());
    } catch (IOException | NumberFormatException e) {
      return -1;
    }
  }

  void release() {
    try {
      Files.deleteIfExists(path);
    } catch (IOException ignored) {
      // nothing more to do on the way out
    }
  }
}
