package org.openswanj.conf;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** plutodebug= takes Openswan 2.6's words with the aliases of all three of its parsers, and nothing else. */
class DebugWordTest {
  private static LoadResult setup(String plutodebug) {
    return ConfigLoader.parse("config setup\n\tplutodebug=\"" + plutodebug + "\"\n", Path.of("ipsec.conf"));
  }

  @Test
  void everyWordAndAliasIsAcceptedByPlutodebug() {
    LoadResult r = setup(String.join(" ", DebugWord.words()));
    assertTrue(r.diagnostics().isEmpty(), r.diagnostics().toString());
  }

  @Test
  void aliasesMapToOpenswansBitNames() {
    assertEquals(Optional.of("crypt"), DebugWord.canonical("crypto"));
    assertEquals(Optional.of("klips"), DebugWord.canonical("xfrm"));
    assertEquals(Optional.of("klips"), DebugWord.canonical("netkey"));
    assertEquals(Optional.of("nattraversal"), DebugWord.canonical("nat-t"));
    assertEquals(Optional.of("nattraversal"), DebugWord.canonical("NATT"));
    assertEquals(Optional.of("all"), DebugWord.canonical("all"));
    assertEquals(Optional.empty(), DebugWord.canonical("impair-bust-mi2"));
    assertEquals(List.of("raw", "crypt", "parsing", "emitting", "control", "lifecycle", "klips", "dns", "oppo",
        "controlmore", "pfkey", "nattraversal", "x509", "dpd", "oppoinfo"),
        java.util.Arrays.stream(DebugWord.values()).filter(DebugWord::inAll).map(DebugWord::canonical).toList(),
        "Openswan's DBG_ALL: RAW..OPPOINFO, not whackwatch or private");
  }

  @Test
  void aWordNoneOfOpenswansParsersKnewIsAConfigError() {
    LoadResult r = setup("control impair-bust-mi2");
    assertFalse(r.diagnostics().isEmpty());
    assertTrue(r.diagnostics().get(0).format().contains("impair-bust-mi2"), r.diagnostics().get(0).format());
  }
}
