package org.openswanj.testing.lab;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Reads the {@code --pretty} form of swanctl's vici messages: sections {@code name {…}}, values
 * {@code key = value} and lists {@code key = [ … ]}, one item per line. Sections become maps (in order),
 * lists {@code List<String>}, values strings.
 */
final class SwanctlOutput {
  private final List<String> lines;
  private int pos;

  private SwanctlOutput(String text) {
    this.lines = text.lines().map(String::strip).filter(l -> !l.isEmpty()).toList();
  }

  /** A top-level section as printed: its name (e.g. {@code list-sa event}) and its body. */
  record Section(String name, Map<String, Object> body) {}

  /** Every top-level section, in order; lines outside sections (swanctl's notes) are skipped. */
  static List<Section> parse(String text) {
    SwanctlOutput p = new SwanctlOutput(text);
    List<Section> out = new ArrayList<>();
    while (p.pos < p.lines.size()) {
      String line = p.lines.get(p.pos++);
      if (line.endsWith("{")) {
        out.add(new Section(line.substring(0, line.length() - 1).strip(), p.body()));
      }
    }
    return out;
  }

  /** The body of a section whose opening line was just consumed, up to and including its {@code }}. */
  private Map<String, Object> body() {
    Map<String, Object> map = new LinkedHashMap<>();
    while (pos < lines.size()) {
      String line = lines.get(pos++);
      if (line.equals("}")) {
        return map;
      }
      if (line.endsWith("{")) {
        map.put(line.substring(0, line.length() - 1).strip(), body());
        continue;
      }
      int eq = line.indexOf(" = ");
      String key = eq < 0 ? line.replaceAll("\\s*=$", "") : line.substring(0, eq).strip();
      String value = eq < 0 ? "" : line.substring(eq + 3).strip();
      map.put(key, value.equals("[") ? list() : value);
    }
    throw new LabException("swanctl output ends inside a section (line " + pos + ")");
  }

  private List<String> list() {
    List<String> items = new ArrayList<>();
    while (pos < lines.size()) {
      String line = lines.get(pos++);
      if (line.equals("]")) {
        return items;
      }
      items.add(line);
    }
    throw new LabException("swanctl output ends inside a list (line " + pos + ")");
  }

  static String str(Map<String, Object> m, String key) {
    Object v = m.get(key);
    return v instanceof String s ? s : "";
  }

  static long num(Map<String, Object> m, String key) {
    String s = str(m, key);
    try {
      return s.isEmpty() ? 0 : Long.parseLong(s);
    } catch (NumberFormatException e) {
      throw new LabException("swanctl printed " + key + " = '" + s + "', not a number");
    }
  }

  @SuppressWarnings("unchecked")
  static List<String> list(Map<String, Object> m, String key) {
    Object v = m.get(key);
    return v instanceof List<?> l ? (List<String>) l : List.of();
  }

  @SuppressWarnings("unchecked")
  static Map<String, Object> section(Map<String, Object> m, String key) {
    Object v = m.get(key);
    return v instanceof Map<?, ?> s ? (Map<String, Object>) s : Map.of();
  }
}
