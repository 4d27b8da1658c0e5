package org.openswanj.testing.load;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class RecorderTest {
  @Test
  void countsOnlyTheWindowAndTakesNearestRankPercentiles() {
    Recorder a = new Recorder(1_000);
    Recorder b = new Recorder(1_000);
    a.completed(0, 500); // during warm-up: in the total only
    for (int i = 1; i <= 100; i++) {
      (i % 2 == 0 ? a : b).completed(1_000, 1_000 + i * 1_000_000L); // latencies 1..100 ms
    }
    a.failed("IKE_AUTH: N(AUTHENTICATION_FAILED)");
    b.failed("IKE_AUTH: N(AUTHENTICATION_FAILED)");
    b.failed("timeout: no IKE_SA_INIT response after 3 tries");
    Report r = Recorder.merge(List.of(a, b), 2.0, 3);
    assertEquals(100, r.completed());
    assertEquals(101, r.completedTotal());
    assertEquals(50.0, r.rate());
    assertEquals(new Report.Latency(50.0, 90.0, 99.0), r.latency());
    assertEquals(Map.of("IKE_AUTH: N(AUTHENTICATION_FAILED)", 2L, "timeout: no IKE_SA_INIT response after 3 tries", 1L),
        r.failures());
    assertEquals("handshakes_per_s=50.0 p50_ms=50.00 p90_ms=90.00 p99_ms=99.00 completed=100 failed=3 retransmits=0"
        + " cookies=0",
        r.line());
  }
}
