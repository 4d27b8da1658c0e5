package org.openswanj.conf;

import java.util.Map;
import java.util.TreeMap;

/**
 * Writes a model back as ipsec.conf ({@code ipsec readwriteconf}): config setup, then every conn in model
 * order with its resolved keywords sorted ({@code %default} and {@code also=} already applied), each conn
 * followed by a comment listing the Openswan defaults it inherits. Re-reading the output gives an equal model.
 */
public final class ConfigWriter {
  private ConfigWriter() {}

  public static String write(IpsecConf conf) {
    StringBuilder b = new StringBuilder();
    b.append("# written by ipsec readwriteconf: %default and also= applied\n");
    b.append("version 2.0\n\n");
    b.append("config setup\n");
    appendKeywords(b, conf.setup().raw());
    for (ConnConfig c : conf.conns()) {
      b.append("\nconn ").append(c.name()).append('\n');
      appendKeywords(b, c.keywords());
      appendDefaults(b, c.keywords(), c.type().isShunt());
    }
    return b.toString();
  }

  private static void appendKeywords(StringBuilder b, Map<String, String> keywords) {
    for (Map.Entry<String, String> e : new TreeMap<>(keywords).entrySet()) {
      b.append('\t').append(e.getKey()).append('=').append(quote(e.getKey(), e.getValue())).append('\n');
    }
  }

  /** One comment line naming the defaults in force for the main conn keywords left unset. */
  private static void appendDefaults(StringBuilder b, Map<String, String> keywords, boolean shunt) {
    StringBuilder d = new StringBuilder();
    for (Keyword k : new Keyword[] {Keyword.AUTHBY, Keyword.TYPE, Keyword.AUTO, Keyword.IKEV2, Keyword.PFS,
        Keyword.IKELIFETIME, Keyword.SALIFETIME, Keyword.REKEYMARGIN, Keyword.REKEYFUZZ, Keyword.KEYINGTRIES,
        Keyword.DPDACTION, Keyword.PHASE2}) {
      if (!keywords.containsKey(k.keywordName())) {
        d.append(' ').append(k.keywordName()).append('=').append(k == Keyword.AUTHBY && shunt ? "never"
            : k.defaultValue());
      }
    }
    if (d.length() > 0) {
      b.append("\t# defaults:").append(d).append('\n');
    }
  }

  static String quote(String key, String v) {
    if (Keyword.isUserKey(key) || v.startsWith("{")) {
      return v;
    }
    boolean plain = !v.isEmpty() && v.chars().noneMatch(ch -> Character.isWhitespace(ch) || ch == '#')
        && !v.startsWith("\"");
    return plain ? v : "\"" + v + "\"";
  }
}
