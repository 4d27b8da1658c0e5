package org.openswanj.conf;

import java.io.IOException;
import java.nio.charset.Charset;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Reading a file that configuration names (an include, a key, a certificate, a policy group, a passwd file): only
 * a regular file is read. A device or FIFO (`include /dev/zero`, `leftcert=/dev/urandom`) has no end, so reading it
 * whole would go on until memory ran out; such a path is refused with an {@link IOException} that says so, which
 * the callers already turn into their "cannot read FILE: why" diagnostics. A file is read no further than the size
 * it had (see {@link #size}). A missing file still gives {@link java.nio.file.NoSuchFileException}.
 */
public final class RegularFiles {
  private RegularFiles() {}

  public static byte[] readAllBytes(Path file) throws IOException {
    requireRegular(file);
    try (java.io.InputStream in = Files.newInputStream(file)) {
      return in.readNBytes(size(file));
    }
  }

  public static String readString(Path file, Charset charset) throws IOException {
    return new String(readAllBytes(file), charset);
  }

  /**
   * At most the size the file had when looked at: a file of /proc or /sys is "regular" but made up as it is read,
   * and /proc/kmsg (size 0) blocks for the next kernel message (`include /proc/*` hung pluto's start); no such file
   * is configuration, and a real file read this way is whole unless it grows meanwhile.
   */
  private static int size(Path file) throws IOException {
    long size = Files.size(file);
    if (size > Integer.MAX_VALUE - 8) {
      throw new IOException("file of " + size + " bytes is too large");
    }
    return (int) size;
  }

  /** How much of a text file is looked at for a NUL byte before the rest is read. */
  static final int SNIFF = 64 * 1024;

  /**
   * The bytes of a configuration text file (ipsec.secrets, an include): as {@link #readAllBytes}, but a NUL byte in
   * its first 64 KiB, which no text configuration holds, stops the read there with an {@link IOException}: {@code
   * include /boot/*} then costs 64 KiB of a kernel image, not all of it.
   */
  public static byte[] readText(Path file) throws IOException {
    requireRegular(file);
    int size = size(file);
    try (java.io.InputStream in = Files.newInputStream(file)) {
      byte[] head = in.readNBytes(Math.min(SNIFF, size));
      for (int i = 0; i < head.length; i++) {
        if (head[i] == 0) {
          throw new IOException("binary data (a NUL byte at offset " + i + "), not a text file");
        }
      }
      if (head.length < SNIFF) {
        return head;
      }
      byte[] rest = in.readNBytes(size - head.length);
      byte[] all = java.util.Arrays.copyOf(head, head.length + rest.length);
      System.arraycopy(rest, 0, all, head.length, rest.length);
      return all;
    }
  }

  private static void requireRegular(Path file) throws IOException {
    if (Files.exists(file) && !Files.isRegularFile(file)) {
      throw new IOException("not a regular file (a device, FIFO or directory is never read)");
    }
  }
}
