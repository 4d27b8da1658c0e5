package org.openswanj.pluto.oe;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.xbill.DNS.DNSKEYRecord;
import org.xbill.DNS.DSRecord;
import org.xbill.DNS.Record;

class DnssecConfigTest {
  /** dnssec-keygen -a ECDSAP256SHA256 -f KSK oe.test (BIND 9.18), and dnssec-dsfromkey -2 of it. */
  private static final String KEY_FILE = """
      ; This is a key-signing key, keyid 33349, for oe.test.
      ; Created: 20261203194520 (Thu Dec  3 19:45:20 2026)
      oe.test. IN DNSKEY 257 3 13 N7W4o0DYD1hlcF0uxpvFLt5F3L1KlGL8sPt/pJMJltT22X/41tkXZ29d 5J3RAiG/9IMAqRjTsDdH5vz0gTL8Gw==
      """;
  private static final String DSSET = """
      oe.test. IN DS 33349 13 2 14D4C0EFF6707F764BCCB0E84ED68F0ECC771AE47AB157C33A2AA6E42EA10902
      """;
  private static final String BIND_CLAUSES = """
      // named.conf style, as BIND 9.16+ and (trusted-keys) older ones take them
      trust-anchors {
        "oe.test." static-key 257 3 13 "N7W4o0DYD1hlcF0uxpvFLt5F3L1KlGL8sPt/pJMJltT22X/41tkXZ29d
                                       5J3RAiG/9IMAqRjTsDdH5vz0gTL8Gw==";
        oe.test. initial-ds 33349 13 2 "14D4C0EFF6707F764BCCB0E84ED68F0ECC771AE47AB157C33A2AA6E42EA10902";
      };
      # a comment
      trusted-keys { oe.test. 257 3 13 "N7W4o0DYD1hlcF0uxpvFLt5F3L1KlGL8sPt/pJMJltT22X/41tkXZ29d5J3RAiG/9IMAqRjTsDdH5vz0gTL8Gw=="; };
      """;

  @TempDir
  Path dir;

  private Path file(String name, String text) throws Exception {
    return Files.writeString(dir.resolve(name), text);
  }

  @Test
  void readsDnskeyDsAndBindAnchorFiles() throws Exception {
    Record key = TrustAnchors.load(file("Koe.test.+013+33349.key", KEY_FILE)).get(0);
    Record ds = TrustAnchors.load(file("dsset-oe.test.", DSSET)).get(0);
    assertTrue(key instanceof DNSKEYRecord k && k.getFootprint() == 33349, key.toString());
    assertTrue(ds instanceof DSRecord d && d.getFootprint() == 33349, ds.toString());
    List<Record> bind = TrustAnchors.load(file("anchors.conf", BIND_CLAUSES));
    assertEquals(List.of(key.rdataToString(), ds.rdataToString(), key.rdataToString()),
        bind.stream().map(Record::rdataToString).toList());
  }

  @Test
  void dnssecIsOnWithAnAnchorAndOffWithoutOrWhenDisabled() throws Exception {
    Path anchors = file("a", KEY_FILE);
    Path root = file("root.key", DSSET);
    DnssecConfig on = DnssecConfig.fromKeywords(null, root, anchors);
    assertTrue(on.enabled());
    assertEquals(2, on.anchors().size());
    assertTrue(on.describe().startsWith("DNSSEC on: 2 trust anchor(s) from "), on.describe());
    assertFalse(DnssecConfig.fromKeywords("no", root, anchors).enabled());
    // conf accepts any boolean spelling for dnssec-enable=; so does OE
    assertTrue(DnssecConfig.fromKeywords("true", root, anchors).enabled());
    assertFalse(DnssecConfig.fromKeywords("off", root, anchors).enabled());
    assertFalse(DnssecConfig.fromKeywords("yes", null, null).enabled());
  }

  @Test
  void badSettingsAreErrorsNamingTheKeywordAndFile() throws Exception {
    OeConfigException e = assertThrows(OeConfigException.class,
        () -> DnssecConfig.fromKeywords("maybe", null, null));
    assertEquals("dnssec-enable=maybe: not a boolean (accepted: yes, no, true, false, on, off)", e.getMessage());
    Path missing = dir.resolve("nope");
    e = assertThrows(OeConfigException.class, () -> DnssecConfig.fromKeywords(null, missing, null));
    assertTrue(e.getMessage().startsWith("dnssec-rootkey-file=" + missing + ": " + missing + ": cannot read"),
        e.getMessage());
    Path empty = file("empty", "; nothing here\n");
    e = assertThrows(OeConfigException.class, () -> DnssecConfig.fromKeywords(null, null, empty));
    assertEquals("dnssec-anchors=" + empty + ": " + empty + ": no DS or DNSKEY trust anchor in it", e.getMessage());
    Path broken = file("broken.conf", "trust-anchors {\n  oe.test. static-key 257 3;\n};\n");
    e = assertThrows(OeConfigException.class, () -> DnssecConfig.fromKeywords(null, null, broken));
    assertTrue(e.getMessage().contains(broken + ":2: trust anchor for oe.test. needs 4 fields"), e.getMessage());
  }
}
