package org.openswanj.pluto.oe;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.openswanj.conf.ConfigException;
import org.openswanj.conf.Keyword;
import org.openswanj.conf.Values;
import org.xbill.DNS.Record;

/**
 * Whether OE look-ups are validated, and from which trust anchors. Built from Libreswan's {@code config setup}
 * keywords, taken here as plain values: {@code dnssec-enable=} (a conf boolean, default yes),
 * {@code dnssec-rootkey-file=} and {@code dnssec-anchors=} (files, see {@link TrustAnchors}). DNSSEC is on when it is enabled and at least
 * one anchor file is given; then answers that are not secure are refused. Without an anchor, answers are used
 * as they come and marked {@link DnssecStatus#UNVALIDATED}.
 */
public final class DnssecConfig {
  private final List<Record> anchors;
  private final String description;

  private DnssecConfig(List<Record> anchors, String description) {
    this.anchors = List.copyOf(anchors);
    this.description = description;
  }

  /** No validation. */
  public static DnssecConfig off() {
    return new DnssecConfig(List.of(), "DNSSEC off (no trust anchor): OE keys from DNS are used unvalidated");
  }

  /**
   * From the keywords' values; {@code null} means "not set". A file that cannot be read or holds no anchor
   * is an error (naming the keyword and the file), never a silent fall-back to unvalidated answers.
   */
  public static DnssecConfig fromKeywords(String dnssecEnable, Path rootKeyFile, Path anchorsFile)
      throws OeConfigException {
    boolean enabled;
    try { // conf's booleans and default, as for any BOOL keyword
      enabled = Values.bool(Keyword.DNSSEC_ENABLE.keywordName(),
          dnssecEnable == null ? Keyword.DNSSEC_ENABLE.defaultValue() : dnssecEnable.strip());
    } catch (ConfigException e) {
      throw new OeConfigException(e.getMessage());
    }
    if (!enabled || (rootKeyFile == null && anchorsFile == null)) {
      return off();
    }
    List<Record> anchors = new ArrayList<>();
    List<String> from = new ArrayList<>();
    for (Path f : new Path[] {rootKeyFile, anchorsFile}) {
      if (f != null) {
        try {
          anchors.addAll(TrustAnchors.load(f));
        } catch (OeConfigException e) {
          String keyword = f == rootKeyFile ? "dnssec-rootkey-file" : "dnssec-anchors";
          throw new OeConfigException(keyword + "=" + f + ": " + e.getMessage());
        }
        from.add(f.toString());
      }
    }
    return new DnssecConfig(anchors, "DNSSEC on: " + anchors.size() + " trust anchor(s) from " + String.join(", ", from)
        + "; OE answers that are not secure are refused");
  }

  public boolean enabled() {
    return !anchors.isEmpty();
  }

  /** The DS and DNSKEY anchors (empty when off). */
  public List<Record> anchors() {
    return anchors;
  }

  /** One line for {@code whack --status} and the start-up log. */
  public String describe() {
    return description;
  }

  @Override
  public String toString() {
    return description;
  }
}
