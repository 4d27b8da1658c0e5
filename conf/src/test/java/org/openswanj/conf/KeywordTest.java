package org.openswanj.conf;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.openswanj.conf.ConfTestSupport.conn;
import static org.openswanj.conf.ConfTestSupport.messages;
import static org.openswanj.conf.ConfTestSupport.parse;

import java.util.List;
import org.junit.jupiter.api.Test;

class KeywordTest {
  @Test
  void leftRightFormsAndAliasesResolve() {
    assertEquals("leftsubnet", Keyword.lookup("LeftSubnet").orElseThrow().canonicalName());
    assertEquals("right", Keyword.lookup("right").orElseThrow().canonicalName());
    assertEquals("salifetime", Keyword.lookup("keylife").orElseThrow().canonicalName());
    assertEquals("phase2alg", Keyword.lookup("esp").orElseThrow().canonicalName());
    assertEquals("rightxauthusername", Keyword.lookup("rightxauthname").orElseThrow().canonicalName());
    // Openswan's libipsecconf: a left/right keyword written bare is the right end's
    assertEquals("rightsubnet", Keyword.lookup("subnet").orElseThrow().canonicalName());
    assertEquals("rightmodecfgdns1", Keyword.lookup("modecfgdns1").orElseThrow().canonicalName());
    assertEquals("rightxauthusername", Keyword.lookup("xauthname").orElseThrow().canonicalName());
    assertTrue(Keyword.lookup("leftauto").isEmpty());
    assertTrue(Keyword.lookup("x-foo").isEmpty());
    assertTrue(Keyword.isUserKey("X_foo"));
  }

  @Test
  void tableCoversOpenswanKeywordsOnce() {
    List<String> names = java.util.Arrays.stream(Keyword.values()).map(Keyword::keywordName).toList();
    assertEquals(names.size(), new java.util.HashSet<>(names).size());
    for (String k : List.of("interfaces", "plutodebug", "virtual_private", "nat_traversal", "protostack", "oe",
        "ike", "phase2alg", "dpddelay", "rekeyfuzz", "ikev2", "modecfgpull", "sha2_truncbug")) {
      assertTrue(names.contains(k), k);
    }
  }

  @Test
  void unknownKeywordIsAnError() {
    assertEquals(List.of("t.conf:4: unknown keyword 'leftsubnett' in conn a"),
        messages(parse(conn("a", "leftsubnett=10.0.0.0/8"))));
  }

  @Test
  void obsoleteKeywordIsAWarningAndIgnored() {
    LoadResult r = parse("config setup\n\tforwardcontrol=yes\n" + conn("a", "leftfirewall=yes"));
    assertFalse(r.hasErrors());
    assertEquals(List.of("t.conf:2: warning: obsolete keyword 'forwardcontrol' ignored",
        "t.conf:6: warning: obsolete keyword 'leftfirewall' ignored"), messages(r));
    assertFalse(r.config().conn("a").orElseThrow().keywords().containsKey("leftfirewall"));
  }

  @Test
  void wrongSectionIsAnError() {
    assertEquals(List.of("t.conf:2: keyword 'auto' is not valid in config setup (it is a conn keyword)"),
        messages(parse("config setup\n\tauto=add\n")));
  }

  @Test
  void badEnumNamesTheAcceptedValues() {
    assertEquals(List.of("t.conf:4: dpdaction=explode: invalid value (accepted: hold, clear, restart, "
        + "restart_by_peer)"), messages(parse(conn("a", "dpdaction=explode"))));
  }

  @Test
  void duplicateInOneSectionWithDifferentValueIsAnError() {
    LoadResult r = parse(conn("a", "ikelifetime=1h", "ikelifetime=2h"));
    assertEquals(1, r.diagnostics().size(), messages(r).toString());
    assertTrue(messages(r).get(0).startsWith("t.conf:5: duplicate keyword 'ikelifetime' in conn a"));
    assertFalse(parse(conn("a", "auto=add", "auto=start")).hasErrors(), "auto= may be repeated");
  }
}
