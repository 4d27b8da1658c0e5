package org.openswanj.testing.load;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.openswanj.testing.lab.Lab;

/**
 * {@code testing/bench/throughput} as a user runs it, for a second per figure: plain routing, pluto with klips (raw
 * ESP, and ESP in UDP sent as UDP GSO runs and received with UDP GRO) and charon with kernel-libipsec each carry
 * iperf3 traffic with one flow and with two, and each klips SA counted at least the bytes iperf3 delivered. Not a
 * speed test: the figures are the benchmark's, on a quiet machine.
 */
class ThroughputSmokeIT {
  @Test
  void everyColumnCarriesTrafficAndTheKlipsSaCountsIt() throws IOException, InterruptedException {
    Lab.requirePluto();
    BenchRun run = BenchRun.of("testing/bench/throughput", 300, "--time", "1", "--warmup", "0", "--flows", "1,2",
        "--no-micro", "--name", Lab.tagged("ojtp"));
    Map<String, String> f = run.lastLine();
    for (String column : new String[] {"limit_gbit", "klips_gbit", "klips_udp_gbit", "charon_gbit"}) {
      for (String flows : new String[] {"", "_2flows"}) {
        assertTrue(run.number(column + flows) > 0, column + flows + " carried nothing\n" + run.out());
      }
    }
    for (String klips : new String[] {"klips", "klips_udp"}) {
      assertTrue(run.number(klips + "_cpu_s_per_gb") > 0, run.out());
      double delivered = run.number(klips + "_iperf_bytes") + run.number(klips + "_iperf_bytes_2flows");
      assertTrue(delivered > 0, run.out());
      assertTrue(run.number(klips + "_sa_bytes") >= delivered,
          klips + ": west's outbound SA counted fewer bytes than iperf3 delivered through it\n" + run.out());
    }
    assertEquals(run.number("klips_gbit") / run.number("limit_gbit"), run.number("klips/limit"), 0.01, run.out());
    assertTrue(f.containsKey("klips/charon_2flows") && f.containsKey("klips_udp/charon_2flows"), run.out());
  }
}
