package org.openswanj.whack.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openswanj.whack.proto.WhackRequest;

class WhackMainTest {
  @TempDir
  Path dir;

  record Run(int status, String out, String err) {
  }

  Run whack(String... args) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    int status = WhackMain.run(args, new PrintStream(out, true, StandardCharsets.UTF_8),
        new PrintStream(err, true, StandardCharsets.UTF_8));
    return new Run(status, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
  }

  String ctlbase() {
    return dir.resolve("pluto").toString();
  }

  FakePluto pluto(Function<WhackRequest, List<String>> script) throws Exception {
    return new FakePluto(dir.resolve("pluto"), script);
  }

  @Test
  void initiateSuccessExitsZeroAndCopiesLines() throws Exception {
    try (FakePluto p = pluto(r -> List.of("002 \"west-east\" #1: initiating Main Mode",
        "104 \"west-east\" #1: STATE_MAIN_I1: initiate",
        "004 \"west-east\" #2: STATE_QUICK_I2: sent QI2, IPsec SA established tunnel mode"))) {
      Run r = whack("--ctlbase", ctlbase(), "--name", "west-east", "--initiate");
      assertEquals(0, r.status());
      assertEquals(List.of(new WhackRequest.Initiate("west-east", false)), p.received);
      assertTrue(r.out().startsWith("002 \"west-east\" #1: initiating Main Mode\n104 "), r.out());
      assertTrue(r.out().endsWith("IPsec SA established tunnel mode\n"), r.out());
    }
  }

  @Test
  void metricsPrintsTheExpositionWithoutReplyCodes() throws Exception {
    try (FakePluto p = pluto(r -> List.of("000 # TYPE pluto_ike_sas gauge", "000 pluto_ike_sas{state=\"x\"} 1",
        "000 # EOF"))) {
      Run r = whack("--ctlbase", ctlbase(), "--metrics");
      assertEquals(0, r.status(), r.err());
      assertEquals(List.of(new WhackRequest.Metrics()), p.received);
      assertEquals("# TYPE pluto_ike_sas gauge\npluto_ike_sas{state=\"x\"} 1\n# EOF\n", r.out());
    }
  }

  @Test
  void exitStatusIsTheLastSignificantCode() throws Exception {
    try (FakePluto p = pluto(r -> List.of("003 \"x\": serious", "021 no connection named \"x\"", "000 done",
        "002 log"))) {
      assertEquals(21, whack("--ctlbase", ctlbase(), "--name", "x", "--route").status());
    }
  }

  @Test
  void newStateCodesBecomeTheStatusUntilSuccess() throws Exception {
    try (FakePluto p = pluto(r -> List.of("004 ok", "117 \"c\" #1: STATE_QUICK_I1: initiate"))) {
      assertEquals(117, whack("--ctlbase", ctlbase(), "--name", "c", "--initiate").status());
    }
  }

  @Test
  void asynchronousIgnoresFailureCodes() throws Exception {
    try (FakePluto p = pluto(r -> List.of("104 \"c\" #1: STATE_MAIN_I1: initiate", "031 timeout"))) {
      Run r = whack("--ctlbase", ctlbase(), "--name", "c", "--initiate", "--asynchronous");
      assertEquals(0, r.status());
      assertEquals(List.of(new WhackRequest.Initiate("c", true)), p.received);
    }
  }

  @Test
  void noSocketSaysPlutoIsNotRunning() {
    Run r = whack("--ctlbase", ctlbase(), "--status");
    assertEquals(1, r.status());
    assertEquals("whack: Pluto is not running (no \"" + ctlbase() + ".ctl\")\n", r.err());
  }

  @Test
  void staleSocketFileSaysConnectFailed() throws Exception {
    Files.createFile(dir.resolve("pluto.ctl"));
    Run r = whack("--ctlbase", ctlbase(), "--status");
    assertEquals(1, r.status());
    assertTrue(r.err().startsWith("whack: "), r.err());
    assertTrue(r.err().contains(ctlbase() + ".ctl"), r.err());
    assertEquals(1, r.err().lines().count(), "one line, no stack trace: " + r.err());
  }

  @Test
  void unknownOptionIsUsageErrorTwo() {
    Run r = whack("--ctlbase", ctlbase(), "--frobnicate");
    assertEquals(2, r.status());
    assertTrue(r.err().contains("--frobnicate"), r.err());
    assertEquals(1, r.err().lines().count(), r.err());
  }

  @Test
  void missingArgumentAndBadNumberAreUsageErrors() {
    assertEquals(2, whack("--name").status());
    Run r = whack("--name", "c", "--host", "1.2.3.4", "--to", "--host", "5.6.7.8", "--psk", "--ikelifetime", "1h");
    assertEquals(2, r.status());
    assertEquals("whack error: --ikelifetime takes a number of seconds, not \"1h\"\n", r.err());
  }

  @Test
  void nonsenseCombinationsAreWhackErrors() {
    Run none = whack("--ctlbase", ctlbase());
    assertEquals(1, none.status());
    assertEquals("whack error: no action specified; try --help for hints\n", none.err());
    Run noName = whack("--initiate");
    assertEquals("whack error: missing --name <connection_name>\n", noName.err());
    assertEquals(1, noName.status());
    Run noTo = whack("--name", "c", "--host", "192.0.2.1", "--psk");
    assertEquals("whack error: \"c\" connection description option, but no --to\n", noTo.err());
  }

  @Test
  void connectionDefiningFormBecomesAddConnKeywords() throws Exception {
    try (FakePluto p = pluto(r -> List.of("000 added"))) {
      Run r = whack("--ctlbase", ctlbase(), "--name", "west-east", "--host", "192.0.2.1", "--client", "10.1.0.0/24",
          "--id", "@west", "--to", "--host", "192.0.2.2", "--client", "10.2.0.0/24", "--id", "@east",
          "--psk", "--encrypt", "--tunnel", "--pfs", "--ike", "aes128-sha1", "--ikelifetime", "3600", "--initiate");
      assertEquals(0, r.status(), r.err());
      WhackRequest.AddConn add = (WhackRequest.AddConn) p.received.get(0);
      assertEquals("west-east", add.name());
      assertEquals(Map.ofEntries(Map.entry("left", "192.0.2.1"), Map.entry("leftsubnet", "10.1.0.0/24"),
          Map.entry("leftid", "@west"), Map.entry("right", "192.0.2.2"), Map.entry("rightsubnet", "10.2.0.0/24"),
          Map.entry("rightid", "@east"), Map.entry("authby", "secret"), Map.entry("type", "tunnel"),
          Map.entry("phase2", "esp"), Map.entry("pfs", "yes"), Map.entry("ike", "aes128-sha1"),
          Map.entry("ikelifetime", "3600s")), add.keywords());
      assertEquals(new WhackRequest.Initiate("west-east", false), p.received.get(1));
    }
  }

  @Test
  void debugOptionsAreGlobalWithoutNameAndCanonical() throws Exception {
    try (FakePluto p = pluto(r -> List.of())) {
      assertEquals(0, whack("--ctlbase", ctlbase(), "--debug-all", "--debug-nat-t").status());
      assertEquals(0, whack("--ctlbase", ctlbase(), "--name", "c", "--debug-none").status());
      assertEquals(List.of(new WhackRequest.Debug(null, List.of("all", "nattraversal")),
          new WhackRequest.Debug("c", List.of("none"))), p.received);
    }
  }

  /** whack takes every word plutodebug= takes (conf's DebugWord) and sends it as Openswan's bit name. */
  @Test
  void everyPlutodebugWordIsAWhackDebugOption() throws Exception {
    try (FakePluto p = pluto(r -> List.of())) {
      List<String> words = org.openswanj.conf.DebugWord.words();
      for (String w : words) {
        assertEquals(0, whack("--ctlbase", ctlbase(), "--debug-" + w).status(), "--debug-" + w);
      }
      assertEquals(words.stream().map(w -> new WhackRequest.Debug(null,
          List.of(org.openswanj.conf.DebugWord.canonical(w).orElseThrow()))).toList(), p.received);
    }
  }

  @Test
  void eachSimpleOptionSendsItsRequest() throws Exception {
    try (FakePluto p = pluto(r -> List.of("000 ok"))) {
      String[][] runs = {{"--status"}, {"--status", "--json"}, {"--trafficstatus"}, {"--shuntstatus"}, {"--listen"},
          {"--unlisten"},
          {"--rereadsecrets"}, {"--rereadcacerts"}, {"--rereadcrls"}, {"--rereadall"}, {"--listpubkeys"}, {"--listall"}, {"--listcerts"},
          {"--utc", "--listcacerts"}, {"--listcrls"}, {"--name", "c", "--terminate"},
          {"--name", "c", "--delete"}, {"--name", "c", "--unroute"}, {"--shutdown"}};
      for (String[] args : runs) {
        String[] full = new String[args.length + 2];
        full[0] = "--ctlbase";
        full[1] = ctlbase();
        System.arraycopy(args, 0, full, 2, args.length);
        assertEquals(0, whack(full).status(), String.join(" ", args));
      }
      assertEquals(List.of(new WhackRequest.Status(false), new WhackRequest.Status(true),
          new WhackRequest.TrafficStatus(false), new WhackRequest.ShuntStatus(), new WhackRequest.Listen(), new WhackRequest.Unlisten(),
          new WhackRequest.RereadSecrets(), new WhackRequest.RereadCaCerts(), new WhackRequest.RereadCrls(),
          new WhackRequest.RereadAll(), new WhackRequest.ListPubkeys(),
          new WhackRequest.ListAll(), new WhackRequest.ListCerts(false), new WhackRequest.ListCaCerts(true),
          new WhackRequest.ListCrls(false), new WhackRequest.Terminate("c"), new WhackRequest.DeleteConn("c"),
          new WhackRequest.Unroute("c"), new WhackRequest.Shutdown()), p.received);
    }
  }

  @Test
  void xauthNameAndPassTravelBeforeTheInitiate() throws Exception {
    try (FakePluto p = pluto(r -> List.of("000 ok"))) {
      assertEquals(0, whack("--ctlbase", ctlbase(), "--name", "c", "--initiate", "--xauthname", "alice",
          "--xauthpass", "pw 1").status());
      assertEquals(List.of(new WhackRequest.XauthCredentials("c", "alice", "pw 1"), new WhackRequest.Initiate("c",
          false)), p.received);
    }
    Run half = whack("--ctlbase", ctlbase(), "--name", "c", "--initiate", "--xauthname", "alice");
    assertEquals(1, half.status());
    assertEquals("whack error: \"c\" --xauthname and --xauthpass go together\n", half.err());
    Run alone = whack("--ctlbase", ctlbase(), "--name", "c", "--terminate", "--xauthname", "a", "--xauthpass", "b");
    assertTrue(alone.err().contains("--xauthname and --xauthpass go with --initiate"), alone.err());
    assertEquals(1, alone.status());
    assertFalse(new WhackRequest.XauthCredentials("c", "alice", "secret-pw").toString().contains("secret-pw"));
  }

  @Test
  void oppoHereAndThereStartOeByHandAndExitWithTheOutcome() throws Exception {
    try (FakePluto p = pluto(r -> List.of("000 initiate on demand", "033 \"private#192.1.2.0/24\": OE failed"))) {
      Run r = whack("--ctlbase", ctlbase(), "--oppohere", "192.1.2.45", "--oppothere", "192.1.2.23");
      assertEquals(33, r.status(), "OPPOFAILURE is the exit status, as Openswan's whack gives it");
      assertEquals(List.of(new WhackRequest.OppoInitiate("192.1.2.45", "192.1.2.23")), p.received);
    }
    Run half = whack("--ctlbase", ctlbase(), "--oppohere", "192.1.2.45");
    assertEquals(1, half.status());
    assertTrue(half.err().contains("--oppohere and --oppothere go together"), half.err());
    Run name = whack("--ctlbase", ctlbase(), "--oppohere", "192.1.2.45", "--oppothere", "east.example.com");
    assertEquals(1, name.status());
    assertTrue(name.err().contains("--oppothere takes an IP address, not \"east.example.com\""), name.err());
  }

  @Test
  void helpExitsZero() {
    Run r = whack("--help");
    assertEquals(0, r.status());
    assertTrue(r.out().contains("--initiate"));
  }
}
