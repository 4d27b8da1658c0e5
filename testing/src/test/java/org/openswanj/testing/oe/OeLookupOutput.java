package org.openswanj.testing.oe;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** {@code ipsec oelookup --keys} output, read back: one entry per look-up, in order. */
record OeLookupOutput(List<Lookup> lookups) {
  record Gateway(String address, String keyId, String sourceType, String sourceName, String dnssec, String key) {}

  record Lookup(String target, String outcome, double ms, String dnssec, int queries, String reason,
      List<Gateway> gateways) {}

  private static final Pattern HEAD = Pattern.compile(
      "(\\S+): (\\w+) in ([0-9.]+) ms \\(dnssec (\\w+), (\\d+) queries sent\\)(?:: (.*))?");
  private static final Pattern GATEWAY = Pattern.compile(
      "  gateway (\\S+)(?: \\(\\S+\\))? precedence \\d+: \\w+ key (\\S+) from (\\w+) (\\S+), ttl \\d+ s, (\\w+)");

  static OeLookupOutput parse(String out) {
    List<Lookup> all = new ArrayList<>();
    String[] lines = out.split("\n");
    for (int i = 0; i < lines.length; i++) {
      Matcher h = HEAD.matcher(lines[i]);
      if (!h.matches()) {
        continue;
      }
      List<Gateway> gws = new ArrayList<>();
      while (i + 1 < lines.length && lines[i + 1].startsWith("  ")) {
        Matcher g = GATEWAY.matcher(lines[++i]);
        if (g.matches()) {
          String key = i + 1 < lines.length && lines[i + 1].startsWith("    0s") ? lines[++i].strip() : "";
          gws.add(new Gateway(g.group(1), g.group(2), g.group(3), g.group(4), g.group(5), key));
        }
      }
      all.add(new Lookup(h.group(1), h.group(2), Double.parseDouble(h.group(3)), h.group(4),
          Integer.parseInt(h.group(5)), h.group(6) == null ? "" : h.group(6), gws));
    }
    return new OeLookupOutput(all);
  }

  /** The last look-up of each target. */
  Map<String, Lookup> byTarget() {
    Map<String, Lookup> m = new LinkedHashMap<>();
    lookups.forEach(l -> m.put(l.target(), l));
    return m;
  }

  Lookup of(String target) {
    Lookup l = byTarget().get(target);
    if (l == null) {
      throw new AssertionError("no look-up of " + target + " in the output: " + lookups);
    }
    return l;
  }
}
