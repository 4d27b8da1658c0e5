package org.openswanj.conf;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openswanj.conf.cli.AddConnMain;
import org.openswanj.conf.cli.PlutoAdder;
import org.openswanj.conf.cli.ReadWriteConfMain;

class CliTest {
  private final ByteArrayOutputStream out = new ByteArrayOutputStream();
  private final ByteArrayOutputStream err = new ByteArrayOutputStream();

  private int addconn(PlutoAdder adder, String... args) {
    return AddConnMain.run(args, adder, new PrintStream(out, true), new PrintStream(err, true));
  }

  @Test
  void checkconfigIsSilentOnAValidFileAndListsWork(@TempDir Path dir) throws Exception {
    Path f = dir.resolve("ipsec.conf");
    Files.writeString(f, ConfTestSupport.conn("a", "auto=start") + ConfTestSupport.conn("b", "auto=route")
        + ConfTestSupport.conn("c"));
    assertEquals(0, addconn(PlutoAdder.unavailable(), "--config", f.toString(), "--checkconfig"));
    assertEquals("", out.toString() + err);
    assertEquals(0, addconn(PlutoAdder.unavailable(), "--config", f.toString(), "--listall"));
    assertEquals("a\nb\nc\n", out.toString());
    out.reset();
    assertEquals(0, addconn(PlutoAdder.unavailable(), "--config", f.toString(), "--liststart"));
    assertEquals("a\n", out.toString());
    out.reset();
    assertEquals(0, addconn(PlutoAdder.unavailable(), "--config", f.toString(), "--listroute", "--ctlbase",
        "/tmp/x"));
    assertEquals("b\n", out.toString());
  }

  @Test
  void warningsFatalTurnsWarningsIntoErrors(@TempDir Path dir) throws Exception {
    Path f = dir.resolve("ipsec.conf");
    Files.writeString(f, "config setup\n\trp_filter=0\n");
    assertEquals(0, addconn(PlutoAdder.unavailable(), "--config", f.toString(), "--checkconfig"));
    assertEquals(f + ":2: warning: obsolete keyword 'rp_filter' ignored\n", err.toString());
    err.reset();
    assertEquals(1, addconn(PlutoAdder.unavailable(), "--config", f.toString(), "--checkconfig",
        "--warningsfatal"));
    assertEquals(f + ":2: obsolete keyword 'rp_filter' ignored\n", err.toString());
  }

  @Test
  void usageErrorIsExitTwo() {
    assertEquals(2, addconn(PlutoAdder.unavailable(), "--nosuchoption"));
  }

  @Test
  void autoallHandsConnsToTheHook(@TempDir Path dir) throws Exception {
    Path f = dir.resolve("ipsec.conf");
    Files.writeString(f, ConfTestSupport.conn("a", "auto=add") + ConfTestSupport.conn("b"));
    List<String> added = new ArrayList<>();
    int rc = addconn((setup, conns, autoall, ctl, o, e) -> {
      conns.forEach(c -> added.add(c.name()));
      return 0;
    }, "--config", f.toString(), "--autoall");
    assertEquals(0, rc);
    assertEquals(List.of("a"), added);
  }

  @Test
  void readwriteconfWritesARereadableConfig(@TempDir Path dir) throws Exception {
    Path f = dir.resolve("ipsec.conf");
    Files.writeString(f, "conn %default\n\tkeylife=1h\n" + ConfTestSupport.conn("a", "leftid=\"C=CA, O=X\""));
    int rc = ReadWriteConfMain.run(new String[] {"--config", f.toString()}, new PrintStream(out, true),
        new PrintStream(err, true));
    assertEquals(0, rc, err.toString());
    String text = out.toString();
    assertTrue(text.contains("\tleftid=\"C=CA, O=X\"\n") && text.contains("\tsalifetime=1h\n"), text);
    assertEquals(ConfigLoader.load(f).config(), ConfigLoader.parse(text, f).config());
  }
}
