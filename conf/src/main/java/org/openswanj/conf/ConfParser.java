package org.openswanj.conf;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.function.Function;

/**
 * The ipsec.conf syntax (Openswan lib/libipsecconf/parser.l, parser.y): a line at column 0 starts a
 * section ({@code config setup}, {@code conn NAME}) or is {@code version 2} / {@code include GLOB}; indented
 * lines are {@code key=value} of the current section; '#' starts a comment; a value is a bare word, a
 * {@code "quoted string"} or a {@code {brace list}}; {@code x-} keys take the rest of the line.
 */
final class ConfParser {
  /** Openswan's MAX_INCLUDE_DEPTH. */
  static final int MAX_INCLUDE_DEPTH = 10;
  /**
   * Syntax errors after which the rest of a file is skipped. Openswan's parser stops at the first; going on shows
   * more of them at once, but an include of a file that is no ipsec.conf (a glob of /*: a kernel image) gave
   * hundreds of thousands (ConfFuzzTest#ipsecConf).
   */
  static final int MAX_ERRORS_PER_FILE = 100;

  private final List<RawSection> sections = new ArrayList<>();
  private final List<Diagnostic> diagnostics;
  private final Function<Path, String> reader;
  private final Map<Path, Integer> errors = new HashMap<>();
  private RawSection current;
  private boolean seenContent;

  /** {@code reader} returns a file's text, or null when it cannot be read. */
  ConfParser(List<Diagnostic> diagnostics, Function<Path, String> reader) {
    this.diagnostics = diagnostics;
    this.reader = reader;
  }

  List<RawSection> sections() {
    return sections;
  }

  void parse(String text, Path file, int depth) {
    int no = 0;
    for (int start = 0; start <= text.length(); ) { // line by line: a skipped rest is never split
      int end = text.indexOf('\n', start);
      end = end < 0 ? text.length() : end;
      no++;
      if (errors.getOrDefault(file, 0) >= MAX_ERRORS_PER_FILE) {
        error(file, no, MAX_ERRORS_PER_FILE + " errors: the rest of the file is skipped (is it an ipsec.conf?)");
        current = null;
        return;
      }
      String line = text.substring(start, end > start && text.charAt(end - 1) == '\r' ? end - 1 : end);
      parseLine(line, file, no, depth);
      start = end + 1;
    }
  }

  private void parseLine(String line, Path file, int no, int depth) {
    String stripped = line.strip();
    if (stripped.isEmpty() || stripped.startsWith("#")) {
      return;
    }
    if (Character.isWhitespace(line.charAt(0))) {
      if (current == null) {
        error(file, no, "indented line outside any section (a section starts with 'config setup' or 'conn NAME'"
            + " at column 0)");
        return;
      }
      parseKeyValue(stripped, file, no);
      return;
    }
    List<String> words = words(stripped, file, no);
    if (words == null) {
      return;
    }
    String head = words.get(0);
    if (head.equals("version")) {
      version(words, file, no);
    } else if (head.equals("config")) {
      seenContent = true;
      if (words.size() != 2 || !words.get(1).equals("setup")) {
        error(file, no, "syntax error: expected 'config setup'");
        current = null;
        return;
      }
      current = new RawSection(RawSection.Kind.SETUP, "setup", file, no);
      sections.add(current);
    } else if (head.equals("conn")) {
      seenContent = true;
      if (words.size() != 2) {
        error(file, no, "syntax error: expected 'conn NAME' (one name, no spaces)");
        current = null;
        return;
      }
      current = new RawSection(RawSection.Kind.CONN, words.get(1), file, no);
      sections.add(current);
    } else if (head.equals("include")) {
      seenContent = true;
      current = null;
      if (words.size() != 2) {
        error(file, no, "syntax error: expected 'include FILE'");
        return;
      }
      include(words.get(1), file, no, depth);
    } else {
      error(file, no, "syntax error: '" + head + "' at column 0 (expected 'config setup', 'conn NAME', "
          + "'include FILE' or 'version 2'; keyword lines must be indented)");
      current = null;
    }
  }

  private void version(List<String> words, Path file, int no) {
    if (seenContent) {
      error(file, no, "'version' must come before any section");
    } else if (words.size() != 2 || !(words.get(1).equals("2") || words.get(1).equals("2.0"))) {
      error(file, no, "unsupported version: expected 'version 2' or 'version 2.0'");
    }
    seenContent = true;
  }

  /** Splits a column-0 line into words, dropping a trailing comment; quoted words lose their quotes. */
  private List<String> words(String s, Path file, int no) {
    List<String> out = new ArrayList<>();
    int i = 0;
    while (i < s.length()) {
      char c = s.charAt(i);
      if (Character.isWhitespace(c)) {
        i++;
      } else if (c == '#') {
        break;
      } else if (c == '"') {
        int end = s.indexOf('"', i + 1);
        if (end < 0) {
          error(file, no, "unterminated quoted string");
          return null;
        }
        out.add(s.substring(i + 1, end));
        i = end + 1;
      } else {
        int end = i;
        while (end < s.length() && !Character.isWhitespace(s.charAt(end))) {
          end++;
        }
        out.add(s.substring(i, end));
        i = end;
      }
    }
    return out;
  }

  private void parseKeyValue(String s, Path file, int no) {
    int eq = s.indexOf('=');
    String key = (eq < 0 ? s : s.substring(0, eq)).strip();
    if (eq < 0 || key.isEmpty() || Patterns.hasSpaceOrQuote(key)) {
      error(file, no, "syntax error: expected 'keyword=value', got '" + abbreviate(s) + "'");
      return;
    }
    String rest = s.substring(eq + 1).strip();
    if (Keyword.isUserKey(key)) {
      current.entries.add(new RawSection.Entry(key, rest, file, no));
      return;
    }
    String value;
    int after;
    if (rest.startsWith("\"")) {
      int end = rest.indexOf('"', 1);
      if (end < 0) {
        error(file, no, key + ": unterminated quoted string (a value cannot continue on the next line)");
        return;
      }
      value = rest.substring(1, end);
      after = end + 1;
    } else if (rest.startsWith("{")) {
      int end = rest.lastIndexOf('}');
      if (end < 0) {
        error(file, no, key + ": '{' without a closing '}' on the same line");
        return;
      }
      value = rest.substring(0, end + 1);
      after = end + 1;
    } else {
      int end = 0;
      while (end < rest.length() && !Character.isWhitespace(rest.charAt(end)) && rest.charAt(end) != '"') {
        end++;
      }
      value = rest.substring(0, end);
      after = end;
    }
    String trailing = rest.substring(after).strip();
    if (!trailing.isEmpty() && !trailing.startsWith("#")) {
      error(file, no, key + ": unexpected '" + abbreviate(trailing) + "' after the value (quote values that"
          + " contain spaces)");
      return;
    }
    current.entries.add(new RawSection.Entry(key, value, file, no));
  }

  private void include(String pattern, Path file, int no, int depth) {
    if (depth >= MAX_INCLUDE_DEPTH) {
      error(file, no, "include nested more than " + MAX_INCLUDE_DEPTH + " deep (an include loop?): " + pattern);
      return;
    }
    Path base = file.getParent();
    Path target;
    try {
      target = base == null ? Path.of(pattern) : base.resolve(pattern);
    } catch (java.nio.file.InvalidPathException e) {
      error(file, no, "include: not a valid path (" + e.getReason() + ")");
      return;
    }
    List<Path> matches = glob(target);
    boolean wildcard = Glob.hasMeta(pattern);
    if (matches.isEmpty() && !wildcard) {
      error(file, no, "include: cannot open " + pattern);
    }
    for (Path p : matches) {
      String text = reader.apply(p);
      if (text == null) {
        error(file, no, "include: cannot read " + p);
        continue;
      }
      parse(text, p, depth + 1);
      current = null;
    }
  }

  /** Files matching a glob in its last path element, sorted by name (glob(3) order). */
  private static List<Path> glob(Path target) {
    Path dir = target.getParent();
    String name = target.getFileName() == null ? "" : target.getFileName().toString();
    if (!Glob.hasMeta(name)) {
      return Files.isRegularFile(target) ? List.of(target) : List.of();
    }
    TreeSet<Path> out = new TreeSet<>();
    if (dir != null && Files.isDirectory(dir)) {
      try (DirectoryStream<Path> ds = Files.newDirectoryStream(dir,
          p -> Glob.matches(name, p.getFileName().toString()))) {
        for (Path p : ds) {
          if (Files.isRegularFile(p)) {
            out.add(p);
          }
        }
      } catch (IOException | RuntimeException e) {
        return List.of();
      }
    }
    return new ArrayList<>(out);
  }

  /** A file's text: UTF-8, or ISO-8859-1 when it is not UTF-8; null when it cannot be read. Read once. */
  static String readFile(Path p) {
    byte[] bytes;
    try {
      bytes = RegularFiles.readText(p);
    } catch (IOException | RuntimeException e) {
      return null;
    }
    try {
      return StandardCharsets.UTF_8.newDecoder().decode(ByteBuffer.wrap(bytes)).toString();
    } catch (CharacterCodingException e) {
      return new String(bytes, StandardCharsets.ISO_8859_1);
    }
  }

  private static String abbreviate(String s) {
    return s.length() > 40 ? s.substring(0, 40) + "..." : s;
  }

  private void error(Path file, int line, String message) {
    errors.merge(file, 1, Integer::sum);
    diagnostics.add(Diagnostic.error(file, line, message));
  }
}
