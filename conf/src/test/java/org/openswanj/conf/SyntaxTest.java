package org.openswanj.conf;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.openswanj.conf.ConfTestSupport.conn;
import static org.openswanj.conf.ConfTestSupport.messages;
import static org.openswanj.conf.ConfTestSupport.ok;
import static org.openswanj.conf.ConfTestSupport.parse;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SyntaxTest {
  @Test
  void commentsQuotesBracesAndUserKeys() {
    IpsecConf c = ok("""
        # top comment
        version 2.0   # trailing
        config setup
        \t# indented comment
        \tinterfaces="ipsec0=eth0 ipsec1=ppp0"
        conn a
        \tleft="192.0.2.1"    # comment after a quoted value
        \tright=198.51.100.1
        \tleftsubnets={10.1.0.0/24 10.1.1.0/24}
        \tX-Owner=Network Team # kept verbatim
        \tx_ticket=NET-1
        """);
    assertEquals(List.of("ipsec0=eth0", "ipsec1=ppp0"), c.setup().interfaces());
    ConnConfig a = conn(c, "a");
    assertEquals("[10.1.0.0/24, 10.1.1.0/24]", a.left().subnets().toString());
    assertEquals("Network Team # kept verbatim", a.keywords().get("X-Owner"));
    assertEquals("NET-1", a.keywords().get("x_ticket"));
  }

  @Test
  void keywordsAreCaseInsensitiveAndCanonicalised() {
    ConnConfig a = conn(ok("conn a\n\tLEFT=192.0.2.1\n\tRightSubnet=10.2.0.0/24\n\tRight=198.51.100.1\n"
        + "\tPFS=off\n\tKeyLife=1h\n"), "a");
    assertEquals("10.2.0.0/24", a.keywords().get("rightsubnet"));
    assertEquals("1h", a.keywords().get("salifetime"));
    assertEquals(false, a.pfs());
  }

  @Test
  void unindentedKeywordLineIsASyntaxErrorWithItsLine() {
    LoadResult r = parse("conn a\nleft=192.0.2.1\n");
    assertTrue(r.hasErrors());
    assertTrue(messages(r).get(0).startsWith("t.conf:2: syntax error: 'left=192.0.2.1' at column 0"),
        messages(r).toString());
  }

  @Test
  void aFileOfErrorsStopsAfterAHundred() {
    // ConfFuzzTest#ipsecConf: "include /*" took a kernel image for an ipsec.conf, 614,098 diagnostics
    LoadResult r = parse("garbage\n".repeat(1000) + "conn a\n");
    List<String> m = messages(r);
    assertEquals(ConfParser.MAX_ERRORS_PER_FILE + 1, m.size());
    assertEquals("t.conf:101: 100 errors: the rest of the file is skipped (is it an ipsec.conf?)", m.get(100));
    assertTrue(r.config().conns().isEmpty(), "nothing after it is read");
  }

  @Test
  void unquotedValueWithSpacesIsRejected() {
    LoadResult r = parse("conn a\n\tleftid=C=CA, O=X\n\tright=198.51.100.1\n");
    assertEquals(List.of("t.conf:2: leftid: unexpected 'O=X' after the value (quote values that contain spaces)"),
        messages(r));
  }

  @Test
  void versionMustBeFirstAndTwo() {
    assertEquals(List.of("t.conf:1: unsupported version: expected 'version 2' or 'version 2.0'"),
        messages(parse("version 3\n")));
    assertTrue(messages(parse("conn a\n\tleft=1.2.3.4\nversion 2\n")).contains(
        "t.conf:3: 'version' must come before any section"));
  }

  @Test
  void emptyValueMeansUnset() {
    ConnConfig a = conn(ok(conn("a", "ikelifetime=")), "a");
    assertTrue(!a.keywords().containsKey("ikelifetime"));
    assertEquals(java.time.Duration.ofHours(1), a.ikeLifetime());
  }

  @Test
  void includeGlobIsRelativeToTheIncludingFileAndSorted(@TempDir Path dir) throws Exception {
    Path sub = Files.createDirectories(dir.resolve("conf.d"));
    Files.writeString(sub.resolve("b.conf"), conn("bee"));
    Files.writeString(sub.resolve("a.conf"), conn("ay"));
    Files.writeString(dir.resolve("ipsec.conf"), "version 2\ninclude conf.d/*.conf\n" + conn("main"));
    LoadResult r = ConfigLoader.load(dir.resolve("ipsec.conf"));
    assertEquals(List.of(), messages(r));
    assertEquals(List.of("ay", "bee", "main"), r.config().conns().stream().map(ConnConfig::name).toList());
  }

  @Test
  void errorsInAnIncludedFileNameThatFile(@TempDir Path dir) throws Exception {
    Files.writeString(dir.resolve("inc.conf"), "conn x\n\tleft=192.0.2.1\n\tright=nope..bad\n");
    Files.writeString(dir.resolve("ipsec.conf"), "include inc.conf\n");
    LoadResult r = ConfigLoader.load(dir.resolve("ipsec.conf"));
    assertEquals(1, r.diagnostics().size());
    assertEquals(dir.resolve("inc.conf"), r.diagnostics().get(0).file());
    assertEquals(3, r.diagnostics().get(0).line());
  }

  @Test
  void includeLoopStopsWithAnError(@TempDir Path dir) throws Exception {
    Files.writeString(dir.resolve("ipsec.conf"), "include ipsec.conf\n");
    LoadResult r = ConfigLoader.load(dir.resolve("ipsec.conf"));
    assertTrue(messages(r).stream().anyMatch(m -> m.contains("include nested more than 10 deep")),
        messages(r).toString());
  }

  @Test
  void missingFileIsADiagnosticNotAnException(@TempDir Path dir) {
    LoadResult r = ConfigLoader.load(dir.resolve("absent.conf"));
    assertTrue(r.hasErrors());
    assertTrue(messages(r).get(0).contains("cannot read"));
  }

  @Test
  void allProblemsAreReportedNotJustTheFirst() {
    LoadResult r = parse("config setup\n\tbogus=1\n\tuniqueids=perhaps\nconn a\n\tleft=1.2.3\n\tright=%any\n"
        + "\tauto=later\n");
    assertEquals(4, r.diagnostics().size(), messages(r).toString());
  }
}
