package org.openswanj.pluto.daemon.log;

/**
 * Makes a string safe for one log line, as Openswan's sanitize_string: every character that is not printable
 * (C0 controls, DEL, C1 controls) becomes a backslash and three octal digits, so a peer-supplied ID, vendor ID
 * or notify text cannot start a new log line or drive a terminal. Printable text, including non-ASCII
 * letters, is kept.
 */
public final class Sanitizer {
  private Sanitizer() {}

  /** {@code s} with non-printable characters as {@code \ooo}. */
  public static String sanitize(CharSequence s) {
    StringBuilder out = null;
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (printable(c)) {
        if (out != null) {
          out.append(c);
        }
        continue;
      }
      if (out == null) {
        out = new StringBuilder(s.length() + 8).append(s, 0, i);
      }
      out.append('\\').append((char) ('0' + ((c >> 6) & 7))).append((char) ('0' + ((c >> 3) & 7)))
          .append((char) ('0' + (c & 7)));
    }
    return out == null ? s.toString() : out.toString();
  }

  private static boolean printable(char c) {
    return c >= 0x20 && c != 0x7f && !(c >= 0x80 && c <= 0x9f);
  }
}
