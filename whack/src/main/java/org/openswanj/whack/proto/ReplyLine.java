package org.openswanj.whack.proto;

import java.util.Optional;

/** One reply line "NNN text": the code as three decimal digits, a space, the text (whack/PROTOCOL.md). */
public record ReplyLine(int code, String text) {
  public ReplyLine {
    if (code < 0 || code > 999) {
      throw new IllegalArgumentException("reply code out of range: " + code);
    }
    text = text == null ? "" : text;
  }

  /** The line as sent, without the newline; newlines inside {@code text} become spaces. */
  public String format() {
    // not String.format: a status of 100,000 SAs is 300,000 lines
    String t = text.replace('\r', ' ').replace('\n', ' ');
    return new StringBuilder(t.length() + 4).append((char) ('0' + code / 100)).append((char) ('0' + code / 10 % 10))
        .append((char) ('0' + code % 10)).append(' ').append(t).toString();
  }

  /** Parses a received line; empty when it does not start with three digits (whack then ignores it). */
  public static Optional<ReplyLine> parse(String line) {
    if (line.length() < 3) {
      return Optional.empty();
    }
    for (int i = 0; i < 3; i++) {
      if (line.charAt(i) < '0' || line.charAt(i) > '9') {
        return Optional.empty();
      }
    }
    String text = line.length() > 4 && line.charAt(3) == ' ' ? line.substring(4) : line.substring(3).strip();
    return Optional.of(new ReplyLine(Integer.parseInt(line.substring(0, 3)), text));
  }
}
