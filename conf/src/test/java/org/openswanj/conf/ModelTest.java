package org.openswanj.conf;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.openswanj.conf.ConfTestSupport.conn;
import static org.openswanj.conf.ConfTestSupport.messages;
import static org.openswanj.conf.ConfTestSupport.ok;
import static org.openswanj.conf.ConfTestSupport.parse;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** Defaults, %default, also=/alsoflip=, fromKeywords, flipped, implicit OE conns. */
class ModelTest {
  @Test
  void openswanDefaultsAreFilledIn() {
    IpsecConf c = ok(conn("a"));
    ConnConfig a = conn(c, "a");
    assertEquals(Set.of(AuthBy.RSASIG), a.authby());
    assertEquals(ConnType.TUNNEL, a.type());
    assertEquals(AutoAction.IGNORE, a.auto());
    assertEquals(Ikev2Policy.PERMIT, a.ikev2());
    assertTrue(a.pfs());
    assertEquals(Duration.ofHours(1), a.ikeLifetime());
    assertEquals(Duration.ofHours(8), a.saLifetime());
    assertEquals(Duration.ofMinutes(9), a.rekeyMargin());
    assertEquals(100, a.rekeyFuzzPercent());
    assertEquals(3, a.keyingTries());
    assertEquals(Duration.ZERO, a.dpdDelay());
    assertEquals(Duration.ofSeconds(120), a.dpdTimeout());
    assertEquals(DpdAction.HOLD, a.dpdAction());
    assertFalse(a.narrowing() || a.compress() || a.forceEncaps() || a.aggressive());
    assertEquals(Phase2.ESP, a.phase2());
    assertTrue(a.ike().isEmpty() && a.esp().isEmpty());
    assertEquals(SendCert.IFASKED, a.left().sendCert());
    assertEquals(new RsaSigKey.None(), a.left().rsaSigKey());
    SetupConfig s = c.setup();
    assertEquals(Protostack.AUTO, s.protostack());
    assertTrue(s.uniqueIds());
    assertEquals(-1, s.nhelpers());
    assertFalse(s.oe());
  }

  @Test
  void percentDefaultAppliesToEveryConnButOwnValuesWin() {
    IpsecConf c = ok("conn %default\n\tkeyingtries=%forever\n\tkeylife=20m\n" + conn("a") + conn("b", "keylife=1h"));
    assertEquals(0, conn(c, "a").keyingTries());
    assertEquals(Duration.ofMinutes(20), conn(c, "a").saLifetime());
    assertEquals(Duration.ofHours(1), conn(c, "b").saLifetime());
  }

  @Test
  void alsoChainsNestAndAlsoflipSwapsSides() {
    IpsecConf c = ok("""
        conn crypto
        \tike=aes128-sha1-modp2048
        conn net-a
        \talso=crypto
        \tleft=192.0.2.1
        \tleftsubnet=10.1.0.0/24
        conn net-b
        \tright=198.51.100.1
        \trightsubnet=10.2.0.0/24
        conn ab
        \talso=net-a
        \talso=net-b
        conn ba
        \talsoflip=net-a
        \talsoflip=net-b
        """);
    ConnConfig ab = conn(c, "ab");
    ConnConfig ba = conn(c, "ba");
    assertEquals("10.1.0.0/24", ab.left().subnets().get(0).toString());
    assertEquals("10.1.0.0/24", ba.right().subnets().get(0).toString());
    assertEquals(ab.left(), ba.right());
    assertEquals(1, ab.ike().size());
    assertEquals(ab.ike(), ba.ike());
    assertEquals(ab.flipped().left(), ba.left());
  }

  @Test
  void alsoCycleIsAWarningWithTheChainAndTheConnKeepsWhatItReached() throws Exception {
    LoadResult r = parse("conn a\n\talso=b\n\tleft=192.0.2.1\nconn b\n\talso=a\n\tright=192.0.2.2\n");
    assertTrue(messages(r).contains("t.conf:5: warning: also= loop in conn a: a -> b -> a (ignored)"),
        messages(r).toString());
    assertFalse(r.hasErrors(), messages(r).toString());
    assertEquals("192.0.2.2", conn(r.config(), "a").keywords().get("right"));
  }

  @Test
  void alsoOfAMissingConnIsAWarningAndSkipped() throws Exception {
    LoadResult r = parse(conn("a", "also=nosuch"));
    assertEquals(List.of("t.conf:4: warning: also=nosuch in conn a: no conn named 'nosuch' (ignored)"), messages(r));
    assertTrue(r.config().conn("a").isPresent(), "the conn is still loaded, as confread.c does");
  }

  @Test
  void conflictingValueFromAlsoIsAnError() {
    LoadResult r = parse("conn base\n\tikelifetime=1h\n" + conn("a", "also=base", "ikelifetime=2h"));
    assertTrue(messages(r).get(0).contains("duplicate keyword 'ikelifetime' in conn a with a different value"),
        messages(r).toString());
  }

  @Test
  void fromKeywordsRebuildsAnEqualConnAndValidates() throws Exception {
    ConnConfig a = conn(ok(conn("a", "authby=secret", "leftsubnets={10.1.0.0/24 10.1.1.0/24}", "auto=start",
        "ike=aes256-sha2_256-modp2048", "leftid=@west", "x-note=hello world")), "a");
    assertEquals(a, ConnConfig.fromKeywords("a", a.keywords()));
    ConfigException e = assertThrows(ConfigException.class,
        () -> ConnConfig.fromKeywords("a", Map.of("left", "1.2.3.4", "right", "%any", "pfs", "sometimes")));
    assertTrue(e.getMessage().startsWith("pfs=sometimes"), e.getMessage());
    e = assertThrows(ConfigException.class, () -> ConnConfig.fromKeywords("a", Map.of("nosuch", "1")));
    assertEquals("unknown keyword 'nosuch'", e.getMessage());
    ConnConfig viaAlias = ConnConfig.fromKeywords("a", Map.of("left", "1.2.3.4", "right", "%any", "keylife", "1h"));
    assertEquals(Duration.ofHours(1), viaAlias.saLifetime());
  }

  // fragmentation= is Libreswan's and strongSwan's keyword (RFC 7383), an extension to Openswan 2.6
  @Test
  void fragmentationDefaultsToYesAndTakesNoAndForce() throws Exception {
    assertEquals(Fragmentation.YES, conn(ok(conn("a")), "a").fragmentation());
    assertEquals(Fragmentation.FORCE, conn(ok(conn("a", "fragmentation=force")), "a").fragmentation());
    assertEquals(Fragmentation.NO, ConnConfig.fromKeywords("a", Map.of("left", "1.2.3.4", "right", "%any",
        "fragmentation", "no")).fragmentation());
    ConfigException e = assertThrows(ConfigException.class, () -> ConnConfig.fromKeywords("a",
        Map.of("left", "1.2.3.4", "right", "%any", "fragmentation", "always")));
    assertTrue(e.getMessage().startsWith("fragmentation=always"), e.getMessage());
  }

  @Test
  void flippedSwapsEndsAndKeywords() {
    ConnConfig a = conn(ok(conn("a", "leftsubnet=10.1.0.0/24")), "a");
    ConnConfig f = a.flipped();
    assertEquals(a.left(), f.right());
    assertEquals("10.1.0.0/24", f.keywords().get("rightsubnet"));
    assertEquals(a, f.flipped());
  }

  @Test
  void autoStartWithoutRightIsAnErrorButTemplatesAreFine() {
    assertEquals(List.of("t.conf:1: conn a: right= is not set (needed for auto=start)"),
        messages(parse("conn a\n\tleft=192.0.2.1\n\tauto=start\n")));
    ConnConfig t = conn(ok("conn tmpl\n\tauthby=secret\n"), "tmpl");
    assertFalse(t.hasBothEnds());
  }

  @Test
  void shuntTypesNeedNoAuthentication() {
    ConnConfig p = conn(ok(conn("p", "type=passthrough")), "p");
    assertEquals(ConnType.PASSTHROUGH, p.type());
    assertEquals(Set.of(AuthBy.NEVER), p.authby());
    assertEquals(Set.of(AuthBy.SECRET, AuthBy.RSASIG), conn(ok(conn("x", "authby=secret|rsasig")), "x").authby());
  }

  @Test
  void oeAddsTheImplicitConnsUnlessDefined() {
    IpsecConf c = ok("config setup\n\toe=yes\n" + conn("mine") + "conn private\n\tauto=ignore\n");
    assertEquals(List.of("mine", "private", "clear", "clear-or-private", "private-or-clear", "block",
        "packetdefault"), c.conns().stream().map(ConnConfig::name).toList());
    ConnConfig clear = conn(c, "clear");
    assertEquals(ConnType.PASSTHROUGH, clear.type());
    assertEquals(new HostAddr.Group(), clear.right().host());
    assertEquals(AutoAction.ROUTE, clear.auto());
    ConnConfig pd = conn(c, "packetdefault");
    assertEquals(new HostAddr.Opportunistic(), pd.right().host());
    assertEquals("0.0.0.0/0", pd.left().subnets().get(0).toString());
    assertFalse(conn(c, "private").hasBothEnds(), "the user's private replaces the implicit one");
    assertEquals(1, ok(conn("only")).conns().size(), "no OE conns without oe=yes");
  }

  @Test
  void implicitConnsIgnorePercentDefault() {
    IpsecConf c = ok("config setup\n\toe=yes\nconn %default\n\tikelifetime=5h\n");
    assertEquals(Duration.ofHours(1), conn(c, "private").ikeLifetime());
  }

  @Test
  void setupIsTyped() {
    SetupConfig s = ok("""
        config setup
        \tprotostack=native
        \tnat_traversal=yes
        \tvirtual_private=%v4:10.0.0.0/8,%v4:!10.1.0.0/16
        \tnhelpers=0
        \toverridemtu=1400
        \tkeep_alive=30
        \tplutodebug="control dpd"
        """).setup();
    assertEquals(Protostack.NETKEY, s.protostack());
    assertTrue(s.natTraversal());
    assertEquals("[10.0.0.0/8]", s.virtualPrivate().toString());
    assertEquals(0, s.nhelpers());
    assertEquals(java.util.Optional.of(1400), s.overrideMtu());
    assertEquals(30, s.keepAliveSeconds());
    assertEquals("control dpd", s.plutoDebug());
    assertEquals("native", s.raw().get("protostack"));
  }
}
