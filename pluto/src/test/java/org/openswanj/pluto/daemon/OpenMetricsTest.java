package org.openswanj.pluto.daemon;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.openswanj.pluto.daemon.OpenMetrics.Family;
import org.openswanj.pluto.daemon.OpenMetrics.Sample;
import org.openswanj.pluto.daemon.OpenMetrics.Type;
import org.openswanj.pluto.engine.EngineMetrics;

class OpenMetricsTest {
  @Test
  void countersAreSampledAsTotalAndTheTextEndsWithEof() {
    List<String> lines = OpenMetrics.lines(List.of(
        new Family("pluto_rekeys", Type.COUNTER, "Rekeys.", List.of(Sample.of(3, "kind", "ike"))),
        new Family("pluto_ike_sas", Type.GAUGE, "IKE SAs.", List.of(Sample.of(1, "state", "STATE_PARENT_I3")))));
    assertEquals(List.of("# TYPE pluto_rekeys counter", "# HELP pluto_rekeys Rekeys.",
        "pluto_rekeys_total{kind=\"ike\"} 3", "# TYPE pluto_ike_sas gauge", "# HELP pluto_ike_sas IKE SAs.",
        "pluto_ike_sas{state=\"STATE_PARENT_I3\"} 1", "# EOF"), lines);
    OpenMetricsLines.check(lines);
  }

  @Test
  void labelValuesAndHelpAreEscaped() {
    // a conn name is the admin's text: quotes, backslashes and newlines must not break the line
    List<String> lines = OpenMetrics.lines(List.of(new Family("pluto_ipsec_sa_bytes", Type.COUNTER,
        "Bytes \\ per SA\nsecond line", List.of(Sample.of(7, "conn", "we\"st\\ea\nst", "direction", "in")))));
    assertEquals("# HELP pluto_ipsec_sa_bytes Bytes \\\\ per SA\\nsecond line", lines.get(1));
    assertEquals("pluto_ipsec_sa_bytes_total{conn=\"we\\\"st\\\\ea\\nst\",direction=\"in\"} 7", lines.get(2));
    OpenMetricsLines.check(lines);
  }

  @Test
  void anEmptyFamilyIsStillDeclared() {
    List<String> lines = OpenMetrics.lines(List.of(new Family("pluto_dataplane_drops", Type.COUNTER, "Drops.",
        List.of())));
    assertEquals(List.of("# TYPE pluto_dataplane_drops counter", "# HELP pluto_dataplane_drops Drops.", "# EOF"),
        lines);
    OpenMetricsLines.check(lines);
  }

  @Test
  void aCounterFamilyNamedTotalIsRefused() {
    assertThrows(IllegalArgumentException.class,
        () -> new Family("pluto_rekeys_total", Type.COUNTER, "x", List.of()));
    assertThrows(IllegalArgumentException.class, () -> Sample.of(1, "bad-label", "x"));
  }

  @Test
  void everyCounterOfAFreshPlutoIsZeroAndWellFormed() {
    Metrics m = new Metrics();
    m.handshakeFailed(EngineMetrics.IkeVersion.IKEV2, EngineMetrics.Failure.TS_UNACCEPTABLE);
    m.dropped(EngineMetrics.Drop.MALFORMED);
    m.dropped(EngineMetrics.Drop.MALFORMED);
    List<String> lines = OpenMetrics.lines(m.families());
    OpenMetricsLines.check(lines);
    assertEquals(1L, OpenMetricsLines.value(lines,
        "pluto_ike_handshakes_failed_total{ike_version=\"2\",reason=\"ts_unacceptable\"}").orElseThrow());
    assertEquals(0L, OpenMetricsLines.value(lines,
        "pluto_ike_handshakes_failed_total{ike_version=\"1\",reason=\"cert_refused\"}").orElseThrow());
    assertEquals(2L, OpenMetricsLines.value(lines,
        "pluto_ike_datagrams_dropped_total{reason=\"malformed\"}").orElseThrow());
    assertTrue(lines.contains("pluto_dpd_events_total{ike_version=\"1\",event=\"timeout\"} 0"), lines.toString());
  }
}
