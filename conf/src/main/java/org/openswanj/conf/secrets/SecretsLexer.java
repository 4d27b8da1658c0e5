package org.openswanj.conf.secrets;

import com.google.common.net.InetAddresses;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Predicate;
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

  /**
   * Hands each record of {@code text} to {@code sink} in order, as soon as it is complete; stops when the sink
   * returns false (the rest of the text is not even split into lines).
   */
  static void records(String text, Predicate<Record> sink) {
    java.util.Iterator<String> lines = Patterns.LINE_BREAK.splitAsStream(text).iterator();
    int start = 0;
    List<Token> tokens = null;
    String error = null;
    int errorLine = 0;
    for (int lineNo = 1; lines.hasNext(); lineNo++) {
      String line = lines.next();
      List<Token> lineTokens = new ArrayList<>();
      String lineError = tokenize(line, lineNo, lineTokens);
      if (lineTokens.isEmpty() && lineError == null) {
        continue; // blank or comment lines never end or start a record
      }
      boolean indented = isSpace(line.charAt(0));
      if (!indented) {
        if (tokens != null && !sink.test(new Record(start, tokens, error, errorLine))) {
          return;
        }
        start = lineNo;
        tokens = new ArrayList<>();
        error = null;
      } else if (tokens == null) {
        if (!sink.test(new Record(lineNo, List.of(), "indented line outside an entry"
            + " (only continuation lines of an entry may be indented)", lineNo))) {
          return;
        }
        continue;
      }
      tokens.addAll(lineTokens);
      if (lineError != null && error == null) {
        error = lineError;
        errorLine = lineNo;
      }
    }
    if (tokens != null) {
      sink.test(new Record(start, tokens, error, errorLine));
    }
  }

  /** Tokenizes one line into {@code out}; returns an error (never quoting the text) or null. */
  private static String tokenize(String line, int lineNo, List<Token> out) {
    int i = 0;
    int n = line.length();
    while (i < n) {
      char c = line.charAt(i);
      if (isSpace(c)) {
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
        if (i < n && !isSpace(line.charAt(i))) {
          return "text right after a closing quote (a space is needed)";
        }
        continue;
      }
      int end = i;
      while (end < n && !isSpace(line.charAt(end))) {
        end++;
      }
      addWord(line.substring(i, end), lineNo, out);
      i = end;
    }
    return null;
  }

  /**
   * The blanks that separate words: C's isspace(3) in the "C" locale, as Openswan's lexer reads the file. Java's
   * {@code Character.isWhitespace} also counts the separators U+001C..U+001F, which made {@code RSA\u001dfile} two
   * words here and one to every other reader.
   */
  static boolean isSpace(char c) {
    return c == ' ' || c == '\t' || c == '\n' || c == 0x0b || c == '\f' || c == '\r';
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
