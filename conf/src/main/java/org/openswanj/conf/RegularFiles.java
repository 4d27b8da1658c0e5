package org.openswanj.conf;

import java.io.IOException;
import java.nio.charset.Charset;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Reading a file that configuration names (an include, a key, a certificate, a policy group, a passwd file): only
 * a regular file is read. A device or FIFO (`include /dev/zero`, `leftcert=/dev/urandom`) has no end, so reading it
 * whole would go on until memory ran out; such a path is refused with an {@link IOException} that says so, which
 * the callers already turn into their "cannot read FILE: why" diagnostics. A missing file still gives
 * {@link java.nio.file.NoSuchFileException}.
 */
public final class RegularFiles {
  private RegularFiles() {}

  public static byte[] readAllBytes(Path file) throws IOException {
    requireRegular(file);
    return Files.readAllBytes(file);
  }

  public static String readString(Path file, Charset charset) throws IOException {
    requireRegular(file);
    return Files.readString(file, charset);
  }

  private static void requireRegular(Path file) throws IOException {
    if (Files.exists(file) && !Files.isRegularFile(file)) {
      throw new IOException("not a regular file (a device, FIFO or directory is never read)");
    }
  }
}
