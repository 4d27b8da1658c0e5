package org.openswanj.pluto.daemon;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.openswanj.pluto.engine.IkeSettings;
import org.openswanj.pluto.ikev2.TwoPlutos;
import org.openswanj.whack.proto.WhackRequest;

/**
 * What whack prints, request by request: every reply line with its code (whack's exit status is the last
 * significant one) and whether the reply closed, for one command of each kind and their refusals (unknown name,
 * redefinition, bad keyword, an alias over two conns, a shunt). Libreswan's scenario tests diff console output the
 * same way; here it holds the whack commands' answers fixed while the daemon's inside is reshaped.
 */
class WhackTranscriptTest {
  static final String PSK = "@west @east : PSK \"a-long-shared-secret\"\n";

  private final List<String> transcript = new ArrayList<>();

  private void say(TwoPlutos t, TwoPlutos.Node n, WhackRequest r) {
    TwoPlutos.Recorder rec = t.whack(n, r);
    transcript.add("> " + r.getClass().getSimpleName());
    transcript.addAll(rec.lines);
    transcript.add(rec.closed ? "(closed)" : "(open)");
  }

  /** Only the last line's code, which gives whack its exit status: the lines are the engine's story. */
  private void sayLast(TwoPlutos t, TwoPlutos.Node n, WhackRequest r) {
    TwoPlutos.Recorder rec = t.whack(n, r);
    transcript.add("> " + r.getClass().getSimpleName());
    transcript.add(rec.lines.isEmpty() ? "(no line)"
        : "last line " + rec.lines.get(rec.lines.size() - 1).substring(0, 3));
    transcript.add(rec.closed ? "(closed)" : "(open)");
  }

  /** Whether there were lines, their codes, whether the reply closed: for output with tests of its own. */
  private void sayCount(TwoPlutos t, TwoPlutos.Node n, WhackRequest r) {
    TwoPlutos.Recorder rec = t.whack(n, r);
    transcript.add("> " + r.getClass().getSimpleName() + ": " + (rec.lines.isEmpty() ? "no lines" : "lines")
        + ", codes " + rec.lines.stream().map(l -> l.substring(0, 3)).distinct().toList());
    transcript.add(rec.closed ? "(closed)" : "(open)");
  }

  @Test
  void connCommandsAnswerWithOpenswansCodes() throws Exception {
    TwoPlutos t = new TwoPlutos(PSK, PSK, IkeSettings.defaults());
    Map<String, String> conn = TwoPlutos.conn();
    say(t, t.west, new WhackRequest.AddConn("west-east", conn));
    say(t, t.west, new WhackRequest.AddConn("west-east", conn));
    say(t, t.west, new WhackRequest.AddConn("bad", Map.of("left", "192.1.2.45", "right", "%any",
        "auto", "bogus")));
    say(t, t.west, new WhackRequest.AddConn("lost", Map.of("left", "192.0.9.1", "right", "192.0.9.2")));
    say(t, t.west, new WhackRequest.ReplaceConn("west-east", conn));
    say(t, t.west, new WhackRequest.ConnNames());
    say(t, t.west, new WhackRequest.Route("west-east"));
    say(t, t.west, new WhackRequest.Unroute("nosuch"));
    say(t, t.west, new WhackRequest.Route("nosuch"));
    say(t, t.west, new WhackRequest.Initiate("nosuch", false));
    say(t, t.west, new WhackRequest.Terminate("west-east"));
    say(t, t.east, new WhackRequest.AddConn("west-east", conn));
    sayLast(t, t.west, new WhackRequest.Initiate("west-east", false));
    say(t, t.west, new WhackRequest.Unroute("west-east"));
    say(t, t.west, new WhackRequest.Terminate("west-east"));
    say(t, t.west, new WhackRequest.DeleteState(99));
    say(t, t.west, new WhackRequest.XauthCredentials("nosuch", "user", "pass"));
    say(t, t.west, new WhackRequest.DeleteConn("west-east"));
    say(t, t.west, new WhackRequest.DeleteConn("west-east"));
    assertEquals(String.join("\n", List.of(
        "> AddConn",
        "002 added connection description \"west-east\"",
        "(closed)",
        "> AddConn",
        "020 attempt to redefine connection \"west-east\"",
        "(closed)",
        "> AddConn",
        "001 \"bad\": auto=bogus: invalid value (accepted: ignore, add, route, start, up)",
        "(closed)",
        "> AddConn",
        "022 \"lost\": we cannot identify ourselves with either end of this connection (neither 192.0.9.1 nor"
            + " 192.0.9.2 is a listening address)",
        "(closed)",
        "> ReplaceConn",
        "000 \"west-east\": unchanged",
        "(closed)",
        "> ConnNames",
        "000 west-east",
        "(closed)",
        "> Route",
        "000 \"west-east\": route installed (%trap)",
        "(closed)",
        "> Unroute",
        "021 no connection named \"nosuch\"",
        "(closed)",
        "> Route",
        "021 no connection named \"nosuch\"",
        "(closed)",
        "> Initiate",
        "021 no connection named \"nosuch\"",
        "(closed)",
        "> Terminate",
        "000 \"west-east\": terminating SAs using this connection (none up)",
        "(closed)",
        "> AddConn",
        "002 added connection description \"west-east\"",
        "(closed)",
        "> Initiate",
        "last line 004",
        "(closed)",
        "> Unroute",
        "026 \"west-east\": cannot unroute: route busy with an IPsec SA",
        "(closed)",
        "> Terminate",
        "(closed)",
        "> DeleteState",
        "021 no state #99 to delete",
        "(closed)",
        "> XauthCredentials",
        "021 no connection named \"nosuch\"",
        "(closed)",
        "> DeleteConn",
        "000 \"west-east\": deleting connection",
        "(closed)",
        "> DeleteConn",
        "021 no connection named \"west-east\"",
        "(closed)")), String.join("\n", transcript));
  }

  @Test
  void anAliasActsOnEachConnOnOneReply() throws Exception {
    TwoPlutos t = new TwoPlutos(PSK, PSK, IkeSettings.defaults());
    say(t, t.west, new WhackRequest.AddConn("a", TwoPlutos.conn("connalias", "both")));
    say(t, t.west, new WhackRequest.AddConn("b", TwoPlutos.conn("connalias", "both", "rightsubnet",
        "192.0.3.0/24")));
    say(t, t.west, new WhackRequest.AddConn("pass", TwoPlutos.conn("type", "passthrough", "authby", "never",
        "rightsubnet", "192.0.4.0/24")));
    say(t, t.west, new WhackRequest.Route("both"));
    say(t, t.west, new WhackRequest.Route("pass"));
    say(t, t.west, new WhackRequest.Initiate("pass", false));
    say(t, t.west, new WhackRequest.ShuntStatus());
    say(t, t.west, new WhackRequest.Unroute("both"));
    say(t, t.west, new WhackRequest.Initiate("both", true));
    say(t, t.west, new WhackRequest.ReplaceConn("both", TwoPlutos.conn()));
    say(t, t.west, new WhackRequest.ConnNames());
    assertEquals(String.join("\n", List.of(
        "> AddConn",
        "002 added connection description \"a\"",
        "(closed)",
        "> AddConn",
        "002 added connection description \"b\"",
        "(closed)",
        "> AddConn",
        "002 added connection description \"pass\"",
        "(closed)",
        "> Route",
        "000 \"a\": route installed (%trap)",
        "000 \"b\": route installed (%trap)",
        "(closed)",
        "> Route",
        "000 \"pass\": route installed (%pass)",
        "(closed)",
        "> Initiate",
        "030 \"pass\": cannot initiate an authby=never connection",
        "(closed)",
        "> ShuntStatus",
        "000 192.0.1.0/24:0 -0-> 192.0.4.0/24:0 => %pass 0    pass",
        "(closed)",
        "> Unroute",
        "(closed)",
        "> Initiate",
        "000 \"a\" #1: initiating v2 parent SA",
        "000 \"b\": CREATE_CHILD_SA waits for IKE SA #1 of \"a\" with the same peer",
        "(closed)",
        "> ReplaceConn",
        "002 added connection description \"both\"",
        "(closed)",
        "> ConnNames",
        "000 pass",
        "000 both",
        "(closed)")), String.join("\n", transcript));
  }

  @Test
  void daemonCommandsAnswerAndClose() throws Exception {
    TwoPlutos t = new TwoPlutos(PSK, PSK, IkeSettings.defaults());
    say(t, t.west, new WhackRequest.Unlisten());
    say(t, t.west, new WhackRequest.Listen());
    say(t, t.west, new WhackRequest.RereadSecrets());
    say(t, t.west, new WhackRequest.RereadAll());
    say(t, t.west, new WhackRequest.RereadCaCerts());
    say(t, t.west, new WhackRequest.RereadCrls());
    say(t, t.west, new WhackRequest.ListPubkeys());
    say(t, t.west, new WhackRequest.ListCerts(true));
    say(t, t.west, new WhackRequest.ListCaCerts(true));
    say(t, t.west, new WhackRequest.ListCrls(true));
    say(t, t.west, new WhackRequest.ListAll());
    say(t, t.west, new WhackRequest.Debug("west-east", List.of("all")));
    sayCount(t, t.west, new WhackRequest.Status(false));
    sayCount(t, t.west, new WhackRequest.TrafficStatus(false));
    sayCount(t, t.west, new WhackRequest.ListEvents());
    sayCount(t, t.west, new WhackRequest.Metrics());
    sayCount(t, t.west, new WhackRequest.Look());
    say(t, t.west, new WhackRequest.Shutdown());
    assertEquals(String.join("\n", List.of(
        "> Unlisten",
        "000 no longer listening for IKE messages",
        "(closed)",
        "> Listen",
        "(closed)",
        "> RereadSecrets",
        "(closed)",
        "> RereadAll",
        "000 loaded 0 CA certificate(s) and 0 CRL(s)",
        "(closed)",
        "> RereadCaCerts",
        "000 loaded 0 CA certificate(s) and 0 CRL(s)",
        "(closed)",
        "> RereadCrls",
        "000 loaded 0 CA certificate(s) and 0 CRL(s)",
        "(closed)",
        "> ListPubkeys",
        "000  ",
        "000 List of Public Keys:",
        "000  ",
        "(closed)",
        "> ListCerts",
        "(closed)",
        "> ListCaCerts",
        "(closed)",
        "> ListCrls",
        "(closed)",
        "> ListAll",
        "000  ",
        "000 List of Public Keys:",
        "000  ",
        "(closed)",
        "> Debug",
        "002 debug options are taken at start-up only (ipsec pluto --debug-*, or plutodebug= in config setup);"
            + " nothing changed",
        "(closed)",
        "> Status: lines, codes [000]",
        "(closed)",
        "> TrafficStatus: no lines, codes []",
        "(closed)",
        "> ListEvents: lines, codes [002]",
        "(closed)",
        "> Metrics: lines, codes [000]",
        "(closed)",
        "> Look: no lines, codes []",
        "(closed)",
        "> Shutdown",
        "(closed)")), String.join("\n", transcript));
  }
}
