package org.openswanj.pluto.daemon;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * An independent reading of OpenMetrics 1.0's text format (openmetrics.io), to hold an exposition to it: every
 * line a TYPE, HELP or sample line, families declared once and contiguous, counters sampled as {@code _total},
 * {@code # EOF} last and only there.
 */
final class OpenMetricsLines {
  private static final String NAME = "[a-zA-Z_:][a-zA-Z0-9_:]*";
  private static final String LABEL = "[a-zA-Z_][a-zA-Z0-9_]*=\"(?:[^\"\\\\\\n]|\\\\[\\\\\"n])*\"";
  private static final Pattern TYPE = Pattern.compile("# TYPE (" + NAME + ") (counter|gauge|stateset|info|histogram"
      + "|gaugehistogram|summary|unknown)");
  private static final Pattern HELP = Pattern.compile("# HELP (" + NAME + ") (?:[^\\\\\\n]|\\\\[\\\\n])*");
  private static final Pattern SAMPLE = Pattern.compile("(" + NAME + ")(\\{(?:" + LABEL + ")(?:," + LABEL
      + ")*\\})? (-?[0-9]+(?:\\.[0-9]+)?)");

  private OpenMetricsLines() {}

  /** Fails the test at the first line that breaks the format. */
  static void check(List<String> lines) {
    assertFalse(lines.isEmpty(), "no exposition at all");
    assertEquals("# EOF", lines.get(lines.size() - 1), "the exposition ends with # EOF");
    Set<String> seen = new HashSet<>();
    Map<String, String> types = new HashMap<>();
    String current = null;
    for (int i = 0; i < lines.size() - 1; i++) {
      String l = lines.get(i);
      Matcher t = TYPE.matcher(l);
      Matcher h = HELP.matcher(l);
      Matcher s = SAMPLE.matcher(l);
      if (t.matches()) {
        current = t.group(1);
        assertTrue(seen.add(current), "family " + current + " declared twice (line " + (i + 1) + ")");
        types.put(current, t.group(2));
        assertFalse(t.group(2).equals("counter") && current.endsWith("_total"),
            "a counter family's name has no _total: " + l);
      } else if (h.matches()) {
        assertEquals(current, h.group(1), "HELP for another family than the TYPE before it: " + l);
      } else if (s.matches()) {
        String expected = "counter".equals(types.get(current)) ? current + "_total" : current;
        assertEquals(expected, s.group(1), "sample outside its family, or a counter without _total: " + l);
      } else {
        fail("line " + (i + 1) + " is not an OpenMetrics line: " + l);
      }
    }
  }

  /** The value of the sample line that starts with {@code nameAndLabels} exactly (then a space), if present. */
  static Optional<Long> value(List<String> lines, String nameAndLabels) {
    return lines.stream().filter(l -> l.startsWith(nameAndLabels + " "))
        .map(l -> Long.parseLong(l.substring(nameAndLabels.length() + 1))).findFirst();
  }
}
