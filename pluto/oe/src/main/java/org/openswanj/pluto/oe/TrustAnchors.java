package org.openswanj.pluto.oe;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.xbill.DNS.DClass;
import org.xbill.DNS.Master;
import org.xbill.DNS.Name;
import org.xbill.DNS.Record;
import org.xbill.DNS.Type;

/**
 * DNSSEC trust anchors from a file, in the forms Libreswan's {@code dnssec-rootkey-file=} and
 * {@code dnssec-anchors=} accept and BIND writes: zone-file DS or DNSKEY records (unbound's root.key,
 * dnssec-keygen's {@code K*.key}, dnssec-signzone's {@code dsset-*}), or BIND's configuration clauses
 * {@code trust-anchors { NAME static-key|initial-key|static-ds|initial-ds ...; }}, {@code managed-keys} and
 * {@code trusted-keys}. Other record types in a zone-file anchor file are ignored.
 */
public final class TrustAnchors {
  private static final Pattern CLAUSE =
      Pattern.compile("\\b(trust-anchors|managed-keys|trusted-keys)\\s*\\{", Pattern.CASE_INSENSITIVE);

  private TrustAnchors() {}

  /** Every DS and DNSKEY anchor in {@code file}; an error names the file (and line where known). */
  public static List<Record> load(Path file) throws OeConfigException {
    String text;
    try {
      text = org.openswanj.conf.RegularFiles.readString(file, StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new OeConfigException(file + ": cannot read trust anchor file: " + e.getMessage());
    }
    List<Record> anchors = CLAUSE.matcher(stripComments(text)).find() ? fromBindClauses(file, text)
        : fromZoneFile(file, text);
    if (anchors.isEmpty()) {
      throw new OeConfigException(file + ": no DS or DNSKEY trust anchor in it");
    }
    return anchors;
  }

  private static List<Record> fromZoneFile(Path file, String text) throws OeConfigException {
    List<Record> out = new ArrayList<>();
    try (Master m = new Master(new ByteArrayInputStream(text.getBytes(StandardCharsets.UTF_8)), Name.root, 3600)) {
      for (Record r = m.nextRecord(); r != null; r = m.nextRecord()) {
        if (r.getType() == Type.DS || r.getType() == Type.DNSKEY) {
          out.add(r);
        }
      }
    } catch (IOException e) {
      throw new OeConfigException(file + ": " + e.getMessage());
    }
    return out;
  }

  /** {@code NAME [static-key|initial-key|static-ds|initial-ds] FIELDS... "DATA";} inside each clause. */
  private static List<Record> fromBindClauses(Path file, String text) throws OeConfigException {
    String t = stripComments(text);
    List<Record> out = new ArrayList<>();
    Matcher m = CLAUSE.matcher(t);
    while (m.find()) {
      int close = t.indexOf('}', m.end());
      if (close < 0) {
        throw new OeConfigException(file + ":" + lineOf(t, m.start()) + ": " + m.group(1) + " clause has no '}'");
      }
      for (String stmt : t.substring(m.end(), close).split(";")) {
        if (!stmt.isBlank()) {
          out.add(anchor(file, lineOf(t, t.indexOf(stmt.strip(), m.end())), stmt.strip()));
        }
      }
    }
    return out;
  }

  private static Record anchor(Path file, int line, String stmt) throws OeConfigException {
    List<String> words = words(stmt);
    String where = file + ":" + line + ": ";
    if (words.size() < 2) {
      throw new OeConfigException(where + "trust anchor \"" + stmt + "\" is incomplete");
    }
    int type = Type.DNSKEY;
    int first = 1;
    switch (words.get(1).toLowerCase(Locale.ROOT)) {
      case "static-key", "initial-key" -> first = 2;
      case "static-ds", "initial-ds" -> {
        type = Type.DS;
        first = 2;
      }
      default -> { } // trusted-keys: NAME FLAGS PROTOCOL ALGORITHM "KEY"
    }
    List<String> fields = words.subList(first, words.size());
    // DNSKEY: flags, protocol, algorithm; DS: key tag, algorithm, digest type; then the key or digest
    if (fields.size() < 4) {
      throw new OeConfigException(where + "trust anchor for " + words.get(0) + " needs 4 fields after its type");
    }
    String rdata = String.join(" ", fields.subList(0, 3)) + " "
        + String.join("", fields.subList(3, fields.size())).replaceAll("\\s", "");
    try {
      return Record.fromString(Name.fromString(words.get(0), Name.root), type, DClass.IN, 0, rdata, Name.root);
    } catch (IOException e) {
      throw new OeConfigException(where + "bad trust anchor for " + words.get(0) + ": " + e.getMessage());
    }
  }

  /** Words of a statement; a quoted string is one word without its quotes. */
  private static List<String> words(String stmt) {
    List<String> out = new ArrayList<>();
    Matcher w = Pattern.compile("\"([^\"]*)\"|(\\S+)").matcher(stmt);
    while (w.find()) {
      out.add(w.group(1) != null ? w.group(1) : w.group(2));
    }
    return out;
  }

  /** named.conf comments: {@code //}, {@code #} and {@code /* *}{@code /}; replaced by spaces so offsets stay. */
  private static String stripComments(String t) {
    StringBuilder b = new StringBuilder(t);
    Matcher m = Pattern.compile("/\\*.*?\\*/|//[^\\n]*|#[^\\n]*|\"[^\"]*\"", Pattern.DOTALL).matcher(t);
    while (m.find()) {
      if (m.group().startsWith("\"")) {
        continue;
      }
      for (int i = m.start(); i < m.end(); i++) {
        if (b.charAt(i) != '\n') {
          b.setCharAt(i, ' ');
        }
      }
    }
    return b.toString();
  }

  private static int lineOf(String t, int offset) {
    int line = 1;
    for (int i = 0; i < offset && i < t.length(); i++) {
      if (t.charAt(i) == '\n') {
        line++;
      }
    }
    return line;
  }
}
