package org.openswanj.testing.load;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import org.junit.jupiter.api.Test;
import org.openswanj.testing.lab.Lab;

/**
 * {@code testing/bench/conf-scale} as a user runs it, at a size of seconds: the generated configs parse, and a
 * running pluto lists every conn {@code ipsec addconn --addall} added through whack. Not a speed test.
 */
class ConfScaleSmokeIT {
  @Test
  void everyGeneratedConnParsesAndReachesPluto() throws IOException, InterruptedException {
    Lab.requirePluto();
    BenchRun run = BenchRun.of("testing/bench/conf-scale", 300, "--parse", "300,600", "--whack", "40,160",
        "--name", Lab.tagged("ojcs"));
    assertTrue(run.number("parse_s_300") > 0 && run.number("parse_s_600") > 0, run.out());
    assertEquals(40, (int) run.number("whack_conns_40"), "pluto lists every conn added\n" + run.out());
    assertEquals(160, (int) run.number("whack_conns_160"), "pluto lists every conn added\n" + run.out());
    assertTrue(run.number("whack_add_s_160") > 0, run.out());
  }
}
