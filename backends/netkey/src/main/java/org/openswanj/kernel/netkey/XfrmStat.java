package org.openswanj.kernel.netkey;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The kernel's XFRM error counters of this network namespace ({@code /proc/net/xfrm_stat}, the kernel's
 * Documentation/networking/xfrm_proc.rst): every line is one reason a packet was dropped, e.g. {@code
 * XfrmInNoStates} (no SA for an inbound SPI) or {@code XfrmOutPolBlock} (a %drop/%reject policy matched). Names
 * become the metrics' lower-case words: {@code in_no_states}, {@code out_pol_block}.
 */
final class XfrmStat {
  /** The calling thread's namespace: a test may have entered one with setns(2) on this thread only. */
  private static final Path THREAD = Path.of("/proc/thread-self/net/xfrm_stat");
  private static final Path PROCESS = Path.of("/proc/net/xfrm_stat");

  private XfrmStat() {}

  /** The counters now; empty when the kernel has no XFRM statistics (CONFIG_XFRM_STATISTICS off). */
  static Map<String, Long> read() {
    for (Path p : new Path[] {THREAD, PROCESS}) {
      try {
        return parse(Files.readString(p));
      } catch (IOException | RuntimeException e) {
        // next candidate; none → no counters
      }
    }
    return Map.of();
  }

  /** Parses the file's "XfrmName<whitespace>count" lines; lines not of that shape are skipped. */
  static Map<String, Long> parse(String text) {
    Map<String, Long> out = new LinkedHashMap<>();
    for (String line : text.split("\n")) {
      String[] f = line.trim().split("\\s+");
      if (f.length == 2 && f[0].startsWith("Xfrm") && f[1].matches("\\d{1,18}")) {
        out.put(word(f[0].substring(4)), Long.parseLong(f[1]));
      }
    }
    return out;
  }

  /** "InNoStates" → "in_no_states". */
  static String word(String camel) {
    return camel.replaceAll("([a-z0-9])([A-Z])", "$1_$2").toLowerCase(java.util.Locale.ROOT);
  }

  /** {@code now} minus {@code base}, per counter (a counter missing from {@code base} counts from zero). */
  static Map<String, Long> since(Map<String, Long> base, Map<String, Long> now) {
    Map<String, Long> out = new LinkedHashMap<>();
    now.forEach((k, v) -> out.put(k, Math.max(0, v - base.getOrDefault(k, 0L))));
    return out;
  }
}
