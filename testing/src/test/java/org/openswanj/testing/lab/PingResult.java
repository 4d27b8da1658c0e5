package org.openswanj.testing.lab;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** What {@code ping} reported: packets sent and answered, and the average round trip (NaN if none). */
public record PingResult(int transmitted, int received, double avgRttMs, String output) {
  private static final Pattern COUNTS = Pattern.compile("(\\d+) packets transmitted, (\\d+) received");
  private static final Pattern RTT = Pattern.compile("rtt min/avg/max/mdev = [\\d.]+/([\\d.]+)/");

  static PingResult parse(Result r) {
    Matcher c = COUNTS.matcher(r.stdout());
    if (!c.find()) {
      throw new LabException("ping printed no statistics (" + r + "):\n" + r.stdout() + r.stderr());
    }
    Matcher t = RTT.matcher(r.stdout());
    double avg = t.find() ? Double.parseDouble(t.group(1)) : Double.NaN;
    return new PingResult(Integer.parseInt(c.group(1)), Integer.parseInt(c.group(2)), avg, r.stdout() + r.stderr());
  }

  /** Every request answered. */
  public boolean allReplied() {
    return transmitted > 0 && received == transmitted;
  }
}
