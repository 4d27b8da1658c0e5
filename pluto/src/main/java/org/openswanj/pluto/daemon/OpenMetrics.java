package org.openswanj.pluto.daemon;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * The OpenMetrics 1.0 text exposition (openmetrics.io, "Text format"): per family {@code # TYPE}, {@code # HELP}
 * and its samples, a counter's samples named {@code <family>_total}, and {@code # EOF} last. Pure: values in,
 * lines out.
 */
final class OpenMetrics {
  /** The content type of the text format (OpenMetrics 1.0 §"Protocol Negotiation"). */
  static final String CONTENT_TYPE = "application/openmetrics-text; version=1.0.0; charset=utf-8";
  private static final Pattern METRIC_NAME = Pattern.compile("[a-zA-Z_:][a-zA-Z0-9_:]*");
  private static final Pattern LABEL_NAME = Pattern.compile("[a-zA-Z_][a-zA-Z0-9_]*");

  private OpenMetrics() {}

  enum Type {
    COUNTER, GAUGE;

    String word() {
      return name().toLowerCase(Locale.ROOT);
    }
  }

  /** One sample: label names to values, in the order given. */
  record Sample(Map<String, String> labels, long value) {
    Sample {
      labels = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(labels));
      labels.keySet().forEach(n -> {
        if (!LABEL_NAME.matcher(n).matches() || n.startsWith("__")) {
          throw new IllegalArgumentException("not an OpenMetrics label name: " + n);
        }
      });
    }

    static Sample of(long value, String... nameValue) {
      Map<String, String> labels = new LinkedHashMap<>();
      for (int i = 0; i + 1 < nameValue.length; i += 2) {
        labels.put(nameValue[i], nameValue[i + 1]);
      }
      return new Sample(labels, value);
    }
  }

  /** A metric family; a counter's name carries no {@code _total} (its samples do). */
  record Family(String name, Type type, String help, List<Sample> samples) {
    Family {
      Objects.requireNonNull(type, "type");
      if (!METRIC_NAME.matcher(name).matches() || (type == Type.COUNTER && name.endsWith("_total"))) {
        throw new IllegalArgumentException("not an OpenMetrics " + type.word() + " family name: " + name);
      }
      samples = List.copyOf(samples);
    }
  }

  /** The exposition, one string per line, ending with {@code # EOF}. */
  static List<String> lines(List<Family> families) {
    List<String> out = new ArrayList<>();
    for (Family f : families) {
      out.add("# TYPE " + f.name() + " " + f.type().word());
      out.add("# HELP " + f.name() + " " + escape(f.help(), false));
      String sampleName = f.type() == Type.COUNTER ? f.name() + "_total" : f.name();
      for (Sample s : f.samples()) {
        out.add(sampleName + labels(s.labels()) + " " + s.value());
      }
    }
    out.add("# EOF");
    return out;
  }

  /** The exposition as one text, each line ending in a newline (as served over HTTP). */
  static String text(List<Family> families) {
    return String.join("\n", lines(families)) + "\n";
  }

  private static String labels(Map<String, String> labels) {
    if (labels.isEmpty()) {
      return "";
    }
    StringBuilder b = new StringBuilder("{");
    labels.forEach((k, v) -> b.append(b.length() > 1 ? "," : "").append(k).append("=\"").append(escape(v, true))
        .append('"'));
    return b.append('}').toString();
  }

  /** Backslash, newline and (in label values) double quote escaped, as the format requires. */
  private static String escape(String s, boolean quote) {
    StringBuilder b = new StringBuilder(s.length());
    for (char c : s.toCharArray()) {
      switch (c) {
        case '\\' -> b.append("\\\\");
        case '\n' -> b.append("\\n");
        case '"' -> b.append(quote ? "\\\"" : "\"");
        default -> b.append(c);
      }
    }
    return b.toString();
  }
}
