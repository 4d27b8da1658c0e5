package org.openswanj.conf;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** One section as read: {@code config setup} or {@code conn NAME}, with its lines in order. */
final class RawSection {
  /** One {@code key=value} line; the key as written, the value with quotes removed. */
  record Entry(String key, String value, Path file, int line) {}

  enum Kind { SETUP, CONN }

  final Kind kind;
  final String name;
  final Path file;
  final int line;
  final List<Entry> entries = new ArrayList<>();

  RawSection(Kind kind, String name, Path file, int line) {
    this.kind = kind;
    this.name = name;
    this.file = file;
    this.line = line;
  }

  boolean isDefault() {
    return kind == Kind.CONN && "%default".equals(name);
  }
}
