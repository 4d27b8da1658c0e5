package org.openswanj.testing.load;

import java.util.Locale;
import java.util.Map;

/** The result of one load run, printed for people and as one {@code name=value} line for scripts. */
record Report(int completed, long completedTotal, double windowSeconds, Latency latency, Counts counts,
    Map<String, Long> failures) {

  /** Handshake latency from the first IKE_SA_INIT sent to the IKE_AUTH response checked, ms. */
  record Latency(double p50, double p90, double p99) {}

  /** Side counts: retransmitted requests, COOKIE round trips, stray responses, handshakes cut by the end. */
  record Counts(long retransmits, long cookies, long stray, int inFlight) {}

  Report {
    failures = Map.copyOf(failures);
  }

  long failed() {
    return failures.values().stream().mapToLong(Long::longValue).sum();
  }

  double rate() {
    return completed / windowSeconds;
  }

  String text() {
    StringBuilder b = new StringBuilder(String.format(Locale.ROOT,
        "completed %d handshakes in %.1f s (%d including warm-up): %.1f handshakes/s%n"
            + "latency ms: p50 %.2f  p90 %.2f  p99 %.2f%n"
            + "retransmits %d, cookies %d, stray responses %d, in flight at the end %d%n",
        completed, windowSeconds, completedTotal, rate(), latency.p50(), latency.p90(), latency.p99(),
        counts.retransmits(), counts.cookies(), counts.stray(), counts.inFlight()));
    if (failures.isEmpty()) {
      b.append("failures: none\n");
    } else {
      b.append("failures: ").append(failed()).append('\n');
      failures.entrySet().stream().sorted(Map.Entry.<String, Long>comparingByValue().reversed())
          .forEach(e -> b.append(String.format(Locale.ROOT, "  %8d  %s%n", e.getValue(), e.getKey())));
    }
    return b.toString();
  }

  /** One line a script reads: {@code handshakes_per_s=… p50_ms=… … failed=…}. */
  String line() {
    return String.format(Locale.ROOT,
        "handshakes_per_s=%.1f p50_ms=%.2f p90_ms=%.2f p99_ms=%.2f completed=%d failed=%d retransmits=%d cookies=%d",
        rate(), latency.p50(), latency.p90(), latency.p99(), completed, failed(), counts.retransmits(),
        counts.cookies());
  }

}
