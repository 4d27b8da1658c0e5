package org.openswanj.whack.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.function.Function;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openswanj.whack.proto.WhackRequest;

class AutoMainTest {
  static final String CONF = """
      config setup
      \tprotostack=none

      conn west-east
      \tleft=192.0.2.1
      \tleftsubnet=10.1.0.0/24
      \tleftid=@west
      \tright=192.0.2.2
      \trightsubnet=10.2.0.0/24
      \trightid=@east
      \tauthby=secret
      \tauto=add
      """;

  @TempDir
  Path dir;

  record Run(int status, String out, String err) {
  }

  Run auto(String... args) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    int status = AutoMain.run(args, new PrintStream(out, true, StandardCharsets.UTF_8),
        new PrintStream(err, true, StandardCharsets.UTF_8));
    return new Run(status, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
  }

  String ctlbase() {
    return dir.resolve("pluto").toString();
  }

  FakePluto pluto(Function<WhackRequest, List<String>> script) throws Exception {
    return new FakePluto(dir.resolve("pluto"), script);
  }

  Path conf(String text) throws Exception {
    Path p = dir.resolve("ipsec.conf");
    Files.writeString(p, text);
    return p;
  }

  @Test
  void addSendsTheConnKeywordsFromTheConfig() throws Exception {
    Path conf = conf(CONF);
    try (FakePluto p = pluto(r -> List.of("002 added connection description \"west-east\""))) {
      Run r = auto("--config", conf.toString(), "--ctlbase", ctlbase(), "--add", "west-east");
      assertEquals(0, r.status(), r.err());
      assertEquals("002 added connection description \"west-east\"\n", r.out());
      WhackRequest.AddConn add = (WhackRequest.AddConn) p.received.get(0);
      assertEquals("west-east", add.name());
      assertEquals("192.0.2.1", add.keywords().get("left"));
      assertEquals("10.2.0.0/24", add.keywords().get("rightsubnet"));
      assertEquals("@east", add.keywords().get("rightid"));
      assertEquals("secret", add.keywords().get("authby"));
    }
  }

  @Test
  void addOfAnUnknownConnSaysNotFound() throws Exception {
    Path conf = conf(CONF);
    try (FakePluto p = pluto(r -> List.of())) {
      Run r = auto("--config", conf.toString(), "--ctlbase", ctlbase(), "--add", "nosuch");
      assertEquals(1, r.status());
      assertEquals("conn 'nosuch': not found (tried aliases)\n", r.out());
      assertTrue(p.received.isEmpty());
    }
  }

  @Test
  void configErrorsArePrintedFileLineAndExitOne() throws Exception {
    Path conf = conf(CONF + "\tfrobnicate=yes\n");
    try (FakePluto p = pluto(r -> List.of())) {
      Run r = auto("--config", conf.toString(), "--ctlbase", ctlbase(), "--add", "west-east");
      assertEquals(1, r.status());
      assertTrue(r.err().startsWith(conf + ":13: "), r.err());
      assertTrue(r.err().contains("frobnicate"), r.err());
      assertTrue(p.received.isEmpty());
    }
  }

  static final String SUBNETS = CONF.replace("\tleftsubnet=10.1.0.0/24\n", "\tleftsubnets={10.1.0.0/24 10.1.1.0/24}\n")
      .replace("\trightsubnet=10.2.0.0/24\n", "\trightsubnets=10.2.0.0/24,10.2.1.0/24\n");

  private static List<String> requests(FakePluto p) {
    return p.received.stream().map(q -> q instanceof WhackRequest.AddConn a
        ? "add " + a.name() + " " + a.keywords().get("leftsubnet") + " " + a.keywords().get("rightsubnet") + " "
        + a.keywords().get("connalias") + " " + a.keywords().containsKey("leftsubnets")
        : q.getClass().getSimpleName() + " " + q).toList();
  }

  @Test
  void addOfSubnetsSendsOneConnPerPairAsOpenswansStarter() throws Exception {
    Path conf = conf(SUBNETS);
    try (FakePluto p = pluto(r -> List.of("002 added connection description"))) {
      Run r = auto("--config", conf.toString(), "--ctlbase", ctlbase(), "--add", "west-east");
      assertEquals(0, r.status(), r.err());
      assertEquals(List.of("add west-east/1x1 10.1.0.0/24 10.2.0.0/24 west-east false",
          "add west-east/1x2 10.1.0.0/24 10.2.1.0/24 west-east false",
          "add west-east/2x1 10.1.1.0/24 10.2.0.0/24 west-east false",
          "add west-east/2x2 10.1.1.0/24 10.2.1.0/24 west-east false"), requests(p));
    }
  }

  @Test
  void addOfSubnetsStopsAtTheFirstFailure() throws Exception {
    Path conf = conf(SUBNETS);
    try (FakePluto p = pluto(r -> List.of("020 attempt to redefine connection"))) {
      Run r = auto("--config", conf.toString(), "--ctlbase", ctlbase(), "--add", "west-east");
      assertEquals(20, r.status());
      assertEquals(1, p.received.size(), requests(p).toString());
    }
  }

  @Test
  void replaceOfSubnetsDeletesByAliasThenAddsEachPair() throws Exception {
    Path conf = conf(SUBNETS);
    try (FakePluto p = pluto(r -> r instanceof WhackRequest.DeleteConn ? List.of("021 no connection named")
        : List.of("002 added"))) {
      Run r = auto("--config", conf.toString(), "--ctlbase", ctlbase(), "--replace", "west-east");
      assertEquals(0, r.status(), "the delete's status is not the replace's");
      assertEquals(5, p.received.size());
      assertTrue(p.received.get(0) instanceof WhackRequest.DeleteConn d && d.name().equals("west-east"));
      assertEquals("add west-east/2x2 10.1.1.0/24 10.2.1.0/24 west-east false", requests(p).get(4));
    }
  }

  @Test
  void replaceSendsTheConnForPlutoToCompare() throws Exception {
    Path conf = conf(CONF);
    try (FakePluto p = pluto(r -> List.of("002 added"))) {
      Run r = auto("--config", conf.toString(), "--ctlbase", ctlbase(), "--replace", "west-east");
      assertEquals(0, r.status());
      assertEquals("002 added\n", r.out());
      assertEquals(1, p.received.size());
      assertTrue(p.received.get(0) instanceof WhackRequest.ReplaceConn rc && rc.name().equals("west-east"),
          p.received.toString());
    }
  }

  @Test
  void eachVerbMapsToItsWhackRequest() throws Exception {
    try (FakePluto p = pluto(r -> List.of("000 ok"))) {
      String c = ctlbase();
      String[][] runs = {{"--up", "x"}, {"--asynchronous", "--up", "x"}, {"--down", "x"}, {"--delete", "x"},
          {"--route", "x"}, {"--unroute", "x"}, {"--status"}, {"--ready"}, {"--rereadsecrets"}, {"--rereadcacerts"},
          {"--rereadcrls"}, {"--rereadall"},
          {"--listall"}, {"--listcerts"}, {"--utc", "--listcacerts"}, {"--listcrls"}};
      for (String[] args : runs) {
        String[] full = new String[args.length + 2];
        full[0] = "--ctlbase";
        full[1] = c;
        System.arraycopy(args, 0, full, 2, args.length);
        assertEquals(0, auto(full).status(), String.join(" ", args));
      }
      assertEquals(List.of(new WhackRequest.Initiate("x", false), new WhackRequest.Initiate("x", true),
          new WhackRequest.Terminate("x"), new WhackRequest.DeleteConn("x"), new WhackRequest.Route("x"),
          new WhackRequest.Unroute("x"), new WhackRequest.Status(false), new WhackRequest.Listen(),
          new WhackRequest.RereadSecrets(), new WhackRequest.RereadCaCerts(), new WhackRequest.RereadCrls(),
          new WhackRequest.RereadAll(), new WhackRequest.ListAll(),
          new WhackRequest.ListCerts(false), new WhackRequest.ListCaCerts(true), new WhackRequest.ListCrls(false)),
          p.received);
    }
  }

  @Test
  void upFailureExitsWithTheReplyCode() throws Exception {
    try (FakePluto p = pluto(r -> List.of("021 no connection named \"x\""))) {
      Run r = auto("--ctlbase", ctlbase(), "--up", "x");
      assertEquals(21, r.status());
      assertEquals("021 no connection named \"x\"\n", r.out());
    }
  }

  @Test
  void usageErrorsExitTwo() {
    Run unknown = auto("--frob", "x");
    assertEquals(2, unknown.status());
    assertEquals("ipsec auto: unknown option `--frob'\n", unknown.err());
    Run twoOps = auto("--up", "--down", "x");
    assertEquals(2, twoOps.status());
    assertTrue(twoOps.err().startsWith("Usage:"));
    assertEquals(2, auto("--up").status());
    assertEquals(2, auto("--status", "extra").status());
    assertEquals(2, auto().status());
  }

  @Test
  void obsoleteSyntaxWorksWithAWarning() throws Exception {
    try (FakePluto p = pluto(r -> List.of())) {
      Run r = auto("--ctlbase", ctlbase(), "x", "up");
      assertEquals(0, r.status());
      assertEquals("ipsec auto: warning: obsolete command syntax used\n", r.err());
      assertEquals(List.of(new WhackRequest.Initiate("x", false)), p.received);
    }
  }

  @Test
  void noPlutoExitsOneWithWhacksWords() {
    Run r = auto("--ctlbase", ctlbase(), "--status");
    assertEquals(1, r.status());
    assertEquals("whack: Pluto is not running (no \"" + ctlbase() + ".ctl\")\n", r.err());
  }

  @Test
  void lookPrintsTheTextWithoutCodes() throws Exception {
    try (FakePluto p = pluto(r -> List.of("000 10.1.0.0/24 -> 10.2.0.0/24 => tun0x1001@192.0.2.2"))) {
      ByteArrayOutputStream out = new ByteArrayOutputStream();
      int status = LookMain.run(new String[] {"--ctlbase", ctlbase()}, new PrintStream(out, true),
          new PrintStream(new ByteArrayOutputStream()));
      assertEquals(0, status);
      assertEquals("10.1.0.0/24 -> 10.2.0.0/24 => tun0x1001@192.0.2.2\n", out.toString());
      assertEquals(List.of(new WhackRequest.Look()), p.received);
    }
  }
}
