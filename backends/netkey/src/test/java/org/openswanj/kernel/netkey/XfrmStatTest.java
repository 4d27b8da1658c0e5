package org.openswanj.kernel.netkey;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Map;
import org.junit.jupiter.api.Test;

class XfrmStatTest {
  @Test
  void kernelNamesBecomeMetricWordsAndCountsAreKept() {
    Map<String, Long> m = XfrmStat.parse("XfrmInError             \t0\nXfrmInNoStates          \t17\n"
        + "XfrmOutPolBlock         \t3\n");
    assertEquals(Map.of("in_error", 0L, "in_no_states", 17L, "out_pol_block", 3L), m);
  }

  @Test
  void linesOfAnotherShapeAreSkipped() {
    assertEquals(Map.of("in_error", 2L), XfrmStat.parse("garbage\nXfrmInError 2\nXfrmX y\n\nFoo 3\n"));
  }

  @Test
  void dropsCountFromTheBaseline() {
    assertEquals(Map.of("in_no_states", 5L, "out_pol_block", 1L),
        XfrmStat.since(Map.of("in_no_states", 12L), Map.of("in_no_states", 17L, "out_pol_block", 1L)));
  }
}
