package org.openswanj.conf;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
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

  /** For the modes that never reach pluto: fails the test if called. */
  private static final PlutoAdder NO_PLUTO = (conns, then, ctlbase, o, e) -> {
    throw new AssertionError("addconn must not talk to pluto here");
  };

  private int addconn(PlutoAdder adder, String... args) {
    return AddConnMain.run(args, adder, new PrintStream(out, true), new PrintStream(err, true));
  }

  @Test
  void checkconfigIsSilentOnAValidFileAndListsWork(@TempDir Path dir) throws Exception {
    Path f = dir.resolve("ipsec.conf");
    Files.writeString(f, ConfTestSupport.conn("a", "auto=start") + ConfTestSupport.conn("b", "auto=route")
        + ConfTestSupport.conn("c"));
    assertEquals(0, addconn(NO_PLUTO, "--config", f.toString(), "--checkconfig"));
    assertEquals("", out.toString() + err);
    assertEquals(0, addconn(NO_PLUTO, "--config", f.toString(), "--listall"));
    assertEquals("a\nb\nc\n", out.toString());
    out.reset();
    assertEquals(0, addconn(NO_PLUTO, "--config", f.toString(), "--liststart"));
    assertEquals("a \n", out.toString(), "addconn.c's form: each name and a space, then a newline");
    out.reset();
    assertEquals(0, addconn(NO_PLUTO, "--config", f.toString(), "--listroute", "--ctlbase",
        "/tmp/x"));
    assertEquals("a b \n", out.toString(), "addconn.c routes auto=start conns too");
  }

  @Test
  void warningsFatalTurnsWarningsIntoErrors(@TempDir Path dir) throws Exception {
    Path f = dir.resolve("ipsec.conf");
    Files.writeString(f, "config setup\n\trp_filter=0\n");
    assertEquals(0, addconn(NO_PLUTO, "--config", f.toString(), "--checkconfig"));
    assertEquals(f + ":2: warning: obsolete keyword 'rp_filter' ignored\n", err.toString());
    err.reset();
    assertEquals(1, addconn(NO_PLUTO, "--config", f.toString(), "--checkconfig",
        "--warningsfatal"));
    assertEquals(f + ":2: obsolete keyword 'rp_filter' ignored\n", err.toString());
  }

  @Test
  void usageErrorsExitTenAsAddconnC() {
    assertEquals(10, addconn(NO_PLUTO, "--nosuchoption"));
    assertTrue(err.toString().startsWith("addconn: Unknown option: '--nosuchoption'\n"), err.toString());
    assertEquals(10, addconn(NO_PLUTO), "nothing to do is usage() in addconn.c");
  }

  @Test
  void autoallHandsConnsToTheHook(@TempDir Path dir) throws Exception {
    Path f = dir.resolve("ipsec.conf");
    Files.writeString(f, ConfTestSupport.conn("a", "auto=add") + ConfTestSupport.conn("b"));
    List<String> added = new ArrayList<>();
    int rc = addconn((conns, then, ctl, o, e) -> {
      conns.forEach(c -> added.add(c.name() + " " + then));
      return 0;
    }, "--config", f.toString(), "--autoall");
    assertEquals(0, rc);
    assertEquals(List.of("a ROUTE_AND_START"), added);
  }

  @Test
  void namedConnsAreAddedInOrderAndAMissingOneCounts(@TempDir Path dir) throws Exception {
    Path f = dir.resolve("ipsec.conf");
    Files.writeString(f, ConfTestSupport.conn("a") + ConfTestSupport.conn("b", "connalias=bee"));
    List<String> added = new ArrayList<>();
    int rc = addconn((conns, then, ctl, o, e) -> {
      conns.forEach(c -> added.add(c.name() + " " + then));
      return 3;
    }, "--config", f.toString(), "A", "nosuch", "bee");
    assertEquals(List.of("a NOTHING", "b NOTHING"), added, "by name regardless of auto=, any case, and by alias");
    assertEquals("conn 'nosuch': not found (tried aliases)\n", out.toString());
    assertEquals(3, rc, "addconn.c: the last add's status; a name not found adds one before it");
  }

  @Test
  void configsetupPrintsShellAssignmentsAsOpenswansInitScriptsEvalThem(@TempDir Path dir) throws Exception {
    Path f = dir.resolve("ipsec.conf");
    Files.writeString(f, "config setup\n\tprotostack=netkey\n\tplutodebug=\"control crypt\"\n\tnat_traversal=yes\n"
        + "\tcrlcheckinterval=10m\n\tmyid=@it's\n");
    // setup.in: ipsec addconn $IPSEC_CONFS/ipsec.conf --varprefix IPSEC --configsetup (the file also as a name)
    assertEquals(0, addconn(NO_PLUTO, "--config", f.toString(), f.toString(), "--varprefix", "IPSEC",
        "--configsetup"));
    List<String> lines = List.of(out.toString().split("\n"));
    assertEquals("export IPSECconfreadstatus=''", lines.get(0));
    for (String l : List.of("export IPSECprotostack='netkey'", "export IPSECplutodebug='control crypt'",
        "export IPSECnat_traversal='yes'", "export IPSECuniqueids='yes'", "export IPSECplutowait='no'",
        "export IPSECcrlcheckinterval='600'", "export IPSECmyid='@it'\\''s'",
        "# obsolete option 'IPSECrp_filter' ignored")) {
      assertTrue(lines.contains(l), l + " missing from\n" + out);
    }
    assertFalse(out.toString().contains("IPSECinterfaces"), "an unset string is not exported");
    assertTrue(lines.stream().allMatch(l -> l.matches("export IPSEC[a-z_]+='[^']*('\\\\''[^']*)*'|# obsolete .*")),
        out.toString());
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
