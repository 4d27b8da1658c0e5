package org.openswanj.testing.load;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.openswanj.testing.lab.Lab;

/**
 * {@code testing/bench/scale} as a user runs it, at a size of seconds: it must count what pluto really
 * holds (whack --status lists every IKE and Child SA the generator established) and find none after every
 * conn is deleted. Not a speed or memory test: those figures are the benchmark's, on a quiet machine.
 */
class ScaleSmokeIT {
  @Test
  void countsEverySaPlutoHoldsAndNoneAfterTheConnsAreDeleted() throws Exception {
    Lab.requirePluto();
    BenchRun run = BenchRun.of("testing/bench/scale", 300, "--pairs", "60,200", "--concurrency", "8", "--ids", "8",
        "--sources", "16", "--name", Lab.tagged("ojsc"));
    String out = run.out();
    List<Map<String, String>> steps = out.lines().filter(l -> l.startsWith("pairs=")).map(BenchRun::fields)
        .toList();
    assertEquals(2, steps.size(), out);
    for (Map<String, String> s : steps) {
      assertEquals("0", s.get("failed"), out);
      assertEquals(s.get("pairs"), s.get("status_ike_sas"), "whack --status lists every IKE SA\n" + out);
      assertEquals(s.get("pairs"), s.get("status_child_sas"), "whack --status lists every Child SA\n" + out);
      assertTrue(Double.parseDouble(s.get("heap_per_pair_kib")) > 0, out);
    }
    assertEquals(List.of("60", "200"), steps.stream().map(s -> s.get("pairs")).toList());
    Map<String, String> end = run.lastLine();
    assertEquals("0", end.get("after_delete_ike_sas"), out);
    assertEquals("0", end.get("after_delete_child_sas"), out);
    assertEquals("0", end.get("after_delete_sa_objects"), "no SA object stays reachable after the deletes:\n" + out);
  }
}
