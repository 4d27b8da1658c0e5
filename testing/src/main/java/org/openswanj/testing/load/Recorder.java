package org.openswanj.testing.load;

import java.util.Arrays;
import java.util.Map;
import java.util.TreeMap;

/**
 * What one worker counted. Completions and their latencies count only inside the measured window (after the
 * warm-up); failures count over the whole run, warm-up included, since a wrong answer is wrong at any time.
 * Written by one worker thread, read after it ended.
 */
final class Recorder {
  private final long windowStartNanos;
  private long[] latencyNanos = new long[1024];
  private int completed;
  private long completedTotal;
  private long retransmits;
  private long cookies;
  private long stray;
  private final Map<String, Long> failures = new TreeMap<>();

  Recorder(long windowStartNanos) {
    this.windowStartNanos = windowStartNanos;
  }

  void completed(long startedNanos, long nowNanos) {
    completedTotal++;
    if (nowNanos < windowStartNanos) {
      return;
    }
    if (completed == latencyNanos.length) {
      latencyNanos = Arrays.copyOf(latencyNanos, completed * 2);
    }
    latencyNanos[completed++] = nowNanos - startedNanos;
  }

  void failed(String reason) {
    failures.merge(reason, 1L, Long::sum);
  }

  void retransmitted() {
    retransmits++;
  }

  void cookie() {
    cookies++;
  }

  /** A response for no handshake in flight (a late answer to a retransmission, or to our Delete). */
  void stray() {
    stray++;
  }

  /** The counts of several workers as one report. */
  static Report merge(Iterable<Recorder> parts, double windowSeconds, int inFlight) {
    long[] all = new long[0];
    Map<String, Long> f = new TreeMap<>();
    long total = 0;
    long re = 0;
    long ck = 0;
    long st = 0;
    for (Recorder r : parts) {
      int n = all.length;
      all = Arrays.copyOf(all, n + r.completed);
      System.arraycopy(r.latencyNanos, 0, all, n, r.completed);
      r.failures.forEach((k, v) -> f.merge(k, v, Long::sum));
      total += r.completedTotal;
      re += r.retransmits;
      ck += r.cookies;
      st += r.stray;
    }
    Arrays.sort(all);
    return new Report(all.length, total, windowSeconds, new Report.Latency(pct(all, 50), pct(all, 90), pct(all, 99)),
        new Report.Counts(re, ck, st, inFlight), f);
  }

  /** Nearest-rank percentile, milliseconds; NaN when nothing completed. */
  private static double pct(long[] sorted, int p) {
    if (sorted.length == 0) {
      return Double.NaN;
    }
    int rank = (int) Math.ceil(p / 100.0 * sorted.length);
    return sorted[Math.max(0, rank - 1)] / 1e6;
  }
}
