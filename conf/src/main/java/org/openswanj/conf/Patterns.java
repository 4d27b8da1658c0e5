package org.openswanj.conf;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

/**
 * Regular expressions of the value syntax, compiled once (the parser runs them per line), shared with the alg
 * package; each is immutable. The checks the parser makes for every keyword and value (digits, separators) are
 * plain character scans: a regex match there was a fifth of the time of loading a config of many conns.
 */
public final class Patterns {
  private Patterns() {}

  private static final Pattern HAS_SPACE_OR_QUOTE = Pattern.compile(".*[\\s\"].*");
  /** Regex {@code \s} without UNICODE_CHARACTER_CLASS: space, tab, LF, VT, FF, CR. */
  private static final String SPACE = " \t\n\u000B\f\r";

  public static final Pattern HEX = Pattern.compile("[0-9A-Fa-f]+");
  public static final Pattern VHOST_VNET = Pattern.compile("v(host|net):.*");
  public static final Pattern PIPE = Pattern.compile("\\|");
  public static final Pattern HEX_NUMBER = Pattern.compile("0[xX][0-9A-Fa-f]{1,8}");
  public static final Pattern BITS_HEX = Pattern.compile("0[xX][0-9A-Fa-f_]+");
  public static final Pattern BITS_BASE64 = Pattern.compile("0[sS][A-Za-z0-9+/=_]+");
  public static final Pattern BITS_TEXT = Pattern.compile("0[tT].*");
  public static final Pattern CONN_NAME = Pattern.compile("[A-Za-z0-9%][A-Za-z0-9._%+-]*");
  public static final Pattern INTERFACE = Pattern.compile("[A-Za-z0-9][A-Za-z0-9_.:@-]{0,14}");
  public static final Pattern DNS_LABEL = Pattern.compile("[A-Za-z0-9]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?");
  public static final Pattern DOT = Pattern.compile("\\.");
  /** A line end, LF or CRLF; and a run of white space (String.split compiled these on every call). */
  public static final Pattern LINE_BREAK = Pattern.compile("\r?\n");
  public static final Pattern BLANKS = Pattern.compile("\\s+");

  /** {@code [0-9]{min,max}} (Java's {@code \d} is [0-9] too). */
  public static boolean digits(String s, int min, int max) {
    if (s.length() < min || s.length() > max) {
      return false;
    }
    for (int i = 0; i < s.length(); i++) {
      if (s.charAt(i) < '0' || s.charAt(i) > '9') {
        return false;
      }
    }
    return true;
  }

  /** {@code [0-9.]+}. */
  public static boolean dottedDigits(String s) {
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if ((c < '0' || c > '9') && c != '.') {
        return false;
      }
    }
    return !s.isEmpty();
  }

  /** {@code [0-9]{1,9}%}. */
  public static boolean percent(String s) {
    return s.endsWith("%") && digits(s.substring(0, s.length() - 1), 1, 9);
  }

  /** {@code .*[\s"].*}: the regex runs only for a key holding one of those characters or a line terminator. */
  public static boolean hasSpaceOrQuote(String s) {
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (c == '"' || SPACE.indexOf(c) >= 0 || c == '\u0085' || c == '\u2028' || c == '\u2029') {
        return HAS_SPACE_OR_QUOTE.matcher(s).matches(); // '.' stops at line terminators: the regex decides
      }
    }
    return false;
  }

  /** {@code s} split at each of {@code separators}, empty parts kept (as {@code Pattern.split(s, -1)}). */
  public static String[] split(String s, String separators) {
    List<String> out = new ArrayList<>();
    int start = 0;
    for (int i = 0; i < s.length(); i++) {
      if (separators.indexOf(s.charAt(i)) >= 0) {
        out.add(s.substring(start, i));
        start = i + 1;
      }
    }
    out.add(s.substring(start));
    return out.toArray(String[]::new);
  }

  /** The non-empty words of {@code s} between white space ({@code \s}) and commas. */
  public static List<String> words(String s) {
    List<String> out = new ArrayList<>();
    int start = -1;
    for (int i = 0; i <= s.length(); i++) {
      boolean sep = i == s.length() || s.charAt(i) == ',' || SPACE.indexOf(s.charAt(i)) >= 0;
      if (sep && start >= 0) {
        out.add(s.substring(start, i));
        start = -1;
      } else if (!sep && start < 0) {
        start = i;
      }
    }
    return out;
  }
}
