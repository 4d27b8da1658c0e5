package org.openswanj.conf;

import static org.junit.jupiter.api.Assertions.assertFalse;

import java.nio.file.Path;
import java.util.List;
import java.util.stream.Collectors;

/** Helpers shared by the conf tests. */
final class ConfTestSupport {
  private ConfTestSupport() {}

  static LoadResult parse(String text) {
    return ConfigLoader.parse(text, Path.of("t.conf"));
  }

  /** Parses text that must be valid; fails with the diagnostics otherwise. */
  static IpsecConf ok(String text) {
    LoadResult r = parse(text);
    assertFalse(r.hasErrors(), () -> "unexpected errors: " + messages(r));
    return r.config();
  }

  static List<String> messages(LoadResult r) {
    return r.diagnostics().stream().map(Diagnostic::format).collect(Collectors.toList());
  }

  static ConnConfig conn(IpsecConf c, String name) {
    return c.conn(name).orElseThrow(() -> new AssertionError("no conn " + name));
  }

  /** A minimal valid conn body, indented. */
  static String conn(String name, String... lines) {
    StringBuilder b = new StringBuilder("conn ").append(name).append('\n');
    b.append("\tleft=192.0.2.1\n\tright=198.51.100.1\n");
    for (String l : lines) {
      b.append('\t').append(l).append('\n');
    }
    return b.toString();
  }
}
