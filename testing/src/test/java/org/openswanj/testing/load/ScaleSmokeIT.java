package org.openswanj.testing.load;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.openswanj.testing.lab.Lab;

/**
 * {@code testing/bench/scale} as a user runs it, at a size of seconds: it must count what pluto really
 * holds (whack --status lists every IKE and Child SA the generator established) and find none after every
 * conn is deleted. Not a speed or memory test: those figures are the benchmark's, on a quiet machine.
 */
class ScaleSmokeIT {
  @Test
  void countsEverySaPlutoHoldsAndNoneAfterTheConnsAreDeleted() throws IOException, InterruptedException {
    Lab.requirePluto();
    Path script = Lab.findTop().resolve("testing/bench/scale");
    Process p = new ProcessBuilder(script.toString(), "--pairs", "60,200", "--concurrency", "8", "--ids", "8",
        "--sources", "16", "--name", Lab.tagged("ojsc")).redirectErrorStream(true).start();
    boolean ended = p.waitFor(300, TimeUnit.SECONDS);
    if (!ended) {
      p.destroyForcibly();
    }
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertTrue(ended, "scale did not end in 300 s:\n" + out);
    assertEquals(0, p.exitValue(), out);
    List<Map<String, String>> steps = out.lines().filter(l -> l.startsWith("pairs=")).map(ScaleSmokeIT::fields)
        .toList();
    assertEquals(2, steps.size(), out);
    for (Map<String, String> s : steps) {
      assertEquals("0", s.get("failed"), out);
      assertEquals(s.get("pairs"), s.get("status_ike_sas"), "whack --status lists every IKE SA\n" + out);
      assertEquals(s.get("pairs"), s.get("status_child_sas"), "whack --status lists every Child SA\n" + out);
      assertTrue(Double.parseDouble(s.get("heap_per_pair_kib")) > 0, out);
    }
    assertEquals(List.of("60", "200"), steps.stream().map(s -> s.get("pairs")).toList());
    Map<String, String> end = out.lines().filter(l -> l.startsWith("leak_kib=")).map(ScaleSmokeIT::fields)
        .findFirst().orElseThrow(() -> new AssertionError("no leak_kib line:\n" + out));
    assertEquals("0", end.get("after_delete_ike_sas"), out);
    assertEquals("0", end.get("after_delete_child_sas"), out);
    assertEquals("0", end.get("after_delete_sa_objects"), "no SA object stays reachable after the deletes:\n" + out);
  }

  private static Map<String, String> fields(String line) {
    return Arrays.stream(line.split(" ")).map(kv -> kv.split("=", 2)).filter(kv -> kv.length == 2)
        .collect(Collectors.toMap(kv -> kv[0], kv -> kv[1]));
  }
}
