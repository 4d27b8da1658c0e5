package org.openswanj.testing.load;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.openswanj.testing.lab.Lab;

/** One run of a benchmark script under {@code testing/bench}, which ends with a line of name=value figures. */
record BenchRun(String out, Map<String, String> lastLine) {
  /** Runs {@code script} (relative to the tree's top) with {@code args}; it must end in time with status 0. */
  static BenchRun of(String script, int timeoutSeconds, String... args) throws IOException, InterruptedException {
    List<String> command = new ArrayList<>(List.of(Lab.findTop().resolve(script).toString()));
    command.addAll(List.of(args));
    Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
    boolean ended = p.waitFor(timeoutSeconds, TimeUnit.SECONDS);
    if (!ended) {
      p.destroyForcibly();
    }
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertTrue(ended, script + " did not end in " + timeoutSeconds + " s:\n" + out);
    assertEquals(0, p.exitValue(), out);
    List<String> lines = out.lines().toList();
    String last = lines.isEmpty() ? "" : lines.get(lines.size() - 1);
    Map<String, String> figures = fields(last);
    assertTrue(!figures.isEmpty(), script + " did not end with name=value figures:\n" + out);
    return new BenchRun(out, figures);
  }

  /** The name=value words of {@code line}. */
  static Map<String, String> fields(String line) {
    return Arrays.stream(line.split(" ")).map(kv -> kv.split("=", 2)).filter(kv -> kv.length == 2)
        .collect(Collectors.toMap(kv -> kv[0], kv -> kv[1]));
  }

  /** The figure {@code name} as a number; it must be there. */
  double number(String name) {
    String v = lastLine.get(name);
    assertTrue(v != null, "no " + name + "= in the last line:\n" + out);
    return Double.parseDouble(v);
  }
}
