package org.openswanj.conf.secrets;

import com.google.common.net.InetAddresses;
import java.util.ArrayList;
import java.util.List;
import org.openswanj.conf.Patterns;

/**
 * Splits an ipsec.secrets file into records, as ipsec.secrets(5) defines them: a record starts with a
 * token in the first column; every further line of it is indented. Tokens are separated by white
 * space; "..." and '...' are single tokens (no escapes, no newline); a trailing ':' is a token of its
 * own; '#' at the start of a line or after white space starts a comment.
 *
 * <p>Lexical errors never quote the offending text: it may be a secret.
 */
final class SecretsLexer {

  /** One token; {@code quoted} tokens carry their text without the quotes. */
  record Token(String text, boolean quoted, int line) {
    boolean is(String word) {
      return !quoted && text.equalsIgnoreCase(word);
    }
  }

  /** One record: its tokens, or the first lexical error found in it. */
  record Record(int line, List<Token> tokens, String error, int errorLine) {}

  private SecretsLexer() {}

  static List<Record> records(String text) {
    List<Record> out = new ArrayList<>();
    String[] lines = Patterns.LINE_BREAK.split(text, -1);
    int start = 0;
    List<Token> tokens = null;
    String error = null;
    int errorLine = 0;
    for (int i = 0; i < lines.length; i++) {
      int lineNo = i + 1;
      String line = lines[i];
      List<Token> lineTokens = new ArrayList<>();
      String lineError = tokenize(line, lineNo, lineTokens);
      if (lineTokens.isEmpty() && lineError == null) {
        continue; // blank or comment lines never end or start a record
      }
      boolean indented = Character.isWhitespace(line.charAt(0));
      if (!indented) {
        if (tokens != null) {
          out.add(new Record(start, tokens, error, errorLine));
        }
        start = lineNo;
        tokens = new ArrayList<>();
        error = null;
      } else if (tokens == null) {
        out.add(new Record(lineNo, List.of(), "indented line outside an entry"
            + " (only continuation lines of an entry may be indented)", lineNo));
        continue;
      }
      tokens.addAll(lineTokens);
      if (lineError != null && error == null) {
        error = lineError;
        errorLine = lineNo;
      }
    }
    if (tokens != null) {
      out.add(new Record(start, tokens, error, errorLine));
    }
    return out;
  }

  /** Tokenizes one line into {@code out}; returns an error (never quoting the text) or null. */
  private static String tokenize(String line, int lineNo, List<Token> out) {
    int i = 0;
    int n = line.length();
    while (i < n) {
      char c = line.charAt(i);
      if (Character.isWhitespace(c)) {
        i++;
        continue;
      }
      if (c == '#') {
        return null;
      }
      if (c == '"' || c == '\'') {
        int close = line.indexOf(c, i + 1);
        if (close < 0) {
          return "unterminated quoted string (quotes must close on the same line)";
        }
        out.add(new Token(line.substring(i + 1, close), true, lineNo));
        i = close + 1;
        if (i < n && !Character.isWhitespace(line.charAt(i))) {
          return "text right after a closing quote (a space is needed)";
        }
        continue;
      }
      int end = i;
      while (end < n && !Character.isWhitespace(line.charAt(end))) {
        end++;
      }
      addWord(line.substring(i, end), lineNo, out);
      i = end;
    }
    return null;
  }

  /** "10.2.0.1:" is two tokens, "10.2.0.1" and ":"; an IPv6 address ending in "::" stays whole. */
  private static void addWord(String word, int lineNo, List<Token> out) {
    if (word.length() > 1 && word.endsWith(":") && !InetAddresses.isInetAddress(word)) {
      out.add(new Token(word.substring(0, word.length() - 1), false, lineNo));
      out.add(new Token(":", false, lineNo));
    } else {
      out.add(new Token(word, false, lineNo));
    }
  }
}
