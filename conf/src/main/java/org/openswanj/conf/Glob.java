package org.openswanj.conf;

/**
 * Matches one file name against one path element of a glob, as glob(3) and fnmatch(3) do for the {@code include}s
 * of ipsec.conf and ipsec.secrets: {@code *}, {@code ?}, {@code [...]} (ranges, {@code !} or {@code ^} to negate, a
 * leading {@code ]} taken literally, an unclosed {@code [} taken literally), {@code \} to quote the next character,
 * and a leading '.' matched only by a literal '.'. No braces (glob(3) has none without GLOB_BRACE).
 *
 * <p>In time proportional to the name times the pattern: the JDK's glob matcher translates each {@code *} to a
 * regex group, and {@code include /etc/***************************a*3} backtracked for 235 s on the names in /etc
 * (ConfFuzzTest#ipsecConf). A {@code *} here only ever resumes from the last one seen.
 */
public final class Glob {
  private Glob() {}

  /** True when {@code s} has a glob metacharacter. */
  public static boolean hasMeta(String s) {
    return s.indexOf('*') >= 0 || s.indexOf('?') >= 0 || s.indexOf('[') >= 0;
  }

  /** True when {@code name} (one path element, no '/') matches {@code pattern} (one path element). */
  public static boolean matches(String pattern, String name) {
    if (name.startsWith(".") && !pattern.startsWith(".")) {
      return false;
    }
    int p = 0;
    int n = 0;
    int starP = -1;
    int starN = 0;
    while (n < name.length()) {
      if (p < pattern.length()) {
        if (pattern.charAt(p) == '*') {
          starP = p++;
          starN = n;
          continue;
        }
        int next = matchOne(pattern, p, name.charAt(n));
        if (next >= 0) {
          p = next;
          n++;
          continue;
        }
      }
      if (starP < 0) {
        return false;
      }
      // the last '*' takes one character more; earlier ones never need to (any split they would make, it can)
      p = starP + 1;
      n = ++starN;
    }
    while (p < pattern.length() && pattern.charAt(p) == '*') {
      p++;
    }
    return p == pattern.length();
  }

  /** Where the element at {@code p} (not '*') ends when it matches {@code c}, or -1. */
  private static int matchOne(String pattern, int p, char c) {
    char e = pattern.charAt(p);
    if (e == '?') {
      return p + 1;
    }
    if (e == '\\' && p + 1 < pattern.length()) {
      return pattern.charAt(p + 1) == c ? p + 2 : -1;
    }
    if (e == '[') {
      int end = bracketEnd(pattern, p);
      if (end >= 0) {
        return inBracket(pattern, p + 1, end, c) ? end + 1 : -1;
      }
    }
    return e == c ? p + 1 : -1;
  }

  /** The index of the ']' closing the bracket expression at {@code open}, or -1 when there is none. */
  private static int bracketEnd(String pattern, int open) {
    int i = open + 1;
    if (i < pattern.length() && (pattern.charAt(i) == '!' || pattern.charAt(i) == '^')) {
      i++;
    }
    if (i < pattern.length() && pattern.charAt(i) == ']') {
      i++; // a ']' first is a member
    }
    return pattern.indexOf(']', i);
  }

  private static boolean inBracket(String pattern, int from, int close, char c) {
    int i = from;
    boolean negate = pattern.charAt(i) == '!' || pattern.charAt(i) == '^';
    if (negate) {
      i++;
    }
    boolean found = false;
    while (i < close) {
      char lo = pattern.charAt(i);
      if (i + 2 < close && pattern.charAt(i + 1) == '-') {
        char hi = pattern.charAt(i + 2);
        found |= lo <= c && c <= hi;
        i += 3;
      } else {
        found |= lo == c;
        i++;
      }
    }
    return found != negate;
  }
}
