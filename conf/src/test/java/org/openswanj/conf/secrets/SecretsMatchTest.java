package org.openswanj.conf.secrets;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.openswanj.conf.id.Identity;

/** Openswan's best-match rules (osw_find_secret_by_id), one rule per test. */
class SecretsMatchTest {
  private static Secrets secrets(String text) {
    SecretsResult r = SecretsLoader.parse(text, Path.of("/etc/ipsec.secrets"), Path.of("/etc/ipsec.d"),
        HostResolver.none());
    assertEquals(List.of(), r.diagnostics());
    return r.secrets();
  }

  private static Identity id(String s) throws Exception {
    return Identity.parse(s);
  }

  private static String psk(Secrets s, String local, String remote) throws Exception {
    Optional<Psk> p = s.findPsk(id(local), remote == null ? null : id(remote));
    return p.map(k -> new String(k.bytes(), StandardCharsets.UTF_8)).orElse("<none>");
  }

  @Test
  void bothNamedBeatsOneNamedWithAny() throws Exception {
    Secrets s = secrets("@west %any : PSK \"any\"\n@west @east : PSK \"exact\"\n");
    assertEquals("exact", psk(s, "@west", "@east"));
    assertEquals("any", psk(s, "@west", "@north"));
  }

  @Test
  void selectorOrderDoesNotMatter() throws Exception {
    Secrets s = secrets("@east @west : PSK \"pair\"\n");
    assertEquals("pair", psk(s, "@west", "@east"));
    assertEquals("pair", psk(s, "@east", "@west"));
  }

  @Test
  void oneNamedWithAnyBeatsNoSelectors() throws Exception {
    Secrets s = secrets(": PSK \"default\"\n%any @east : PSK \"peer and any\"\n");
    assertEquals("peer and any", psk(s, "@west", "@east"));
    assertEquals("default", psk(s, "@west", "@north"));
  }

  @Test
  void bareEntryAndAllAnyAreEqualSoTheFirstWins() throws Exception {
    assertEquals("bare", psk(secrets(": PSK \"bare\"\n%any %any : PSK \"anys\"\n"), "@a", "@b"));
    assertEquals("anys", psk(secrets("%any %any : PSK \"anys\"\n: PSK \"bare\"\n"), "@a", "@b"));
  }

  @Test
  void tieBetweenDistinctSecretsTakesTheFirstInTheFile() throws Exception {
    Secrets s = secrets("@west @east : PSK \"first\"\n@east @west : PSK \"second\"\n");
    assertEquals("first", psk(s, "@west", "@east"));
    assertEquals(1, s.bestMatch(SecretKind.PSK, id("@west"), id("@east"), null).orElseThrow().line());
  }

  @Test
  void singleIndexMatchingUsCoversAnyPeer() throws Exception {
    Secrets s = secrets("@west : PSK \"mine\"\n%any @east : PSK \"east any\"\n");
    // ME|DEFAULT (9) beats HIM|ANY (6)
    assertEquals("mine", psk(s, "@west", "@east"));
    // a single index naming only the peer is no match (HIM alone)
    assertEquals("east any", psk(secrets("@east : PSK \"peer only\"\n%any @east : PSK \"east any\"\n"),
        "@west", "@east"));
    assertEquals("<none>", psk(secrets("@east : PSK \"peer only\"\n"), "@west", "@east"));
  }

  @Test
  void meAndAnyBeatsMeAlone() throws Exception {
    Secrets s = secrets("@west : PSK \"alone\"\n@west %any : PSK \"with any\"\n");
    assertEquals("with any", psk(s, "@west", "@east")); // ME|ANY (10) > ME|DEFAULT (9)
  }

  @Test
  void pskNeedsBothEndsWhenTwoAreNamed() throws Exception {
    Secrets s = secrets("@west @east : PSK \"pair\"\n");
    assertEquals("<none>", psk(s, "@west", "@north")); // ME alone, symmetric: unusable
    assertEquals("<none>", psk(s, "@north", "@south"));
  }

  @Test
  void meHimAndAnyTogetherIsUnusableAsInOpenswan() throws Exception {
    // Openswan's switch has no case for ME|HIM|ANY (14): such an entry never matches both ends.
    Secrets s = secrets("%any @west @east : PSK \"three\"\n: PSK \"fallback\"\n");
    assertEquals("fallback", psk(s, "@west", "@east"));
    assertEquals("three", psk(s, "@west", "@north")); // ME|ANY
  }

  @Test
  void ipAddressesAndAnyForRoadWarriors() throws Exception {
    Secrets s = secrets("192.0.2.1 %any : PSK \"road\"\n192.0.2.1 198.51.100.7 : PSK \"own\"\n"
        + "2001:db8::1 %any6 : PSK \"v6\"\n");
    assertEquals("own", psk(s, "192.0.2.1", "198.51.100.7"));
    assertEquals("road", psk(s, "192.0.2.1", "203.0.113.9"));
    assertEquals("v6", psk(s, "2001:db8::1", "2001:db8::99"));
    // As in Openswan, an index list with %any scores ANY even when its other index names neither end:
    // "192.0.2.1 %any" is then as good as a bare ": PSK".
    assertEquals("road", psk(s, "192.0.2.2", "203.0.113.9"));
    // 0.0.0.0 is the obsolete spelling of %any
    assertEquals("old", psk(secrets("192.0.2.1 0.0.0.0 : PSK \"old\"\n"), "192.0.2.1", "203.0.113.9"));
  }

  @Test
  void fqdnMatchingIgnoresCase() throws Exception {
    assertEquals("x", psk(secrets("@West.Example.COM @east : PSK \"x\"\n"), "@west.example.com", "@east"));
  }

  @Test
  void kindsAreSeparate() throws Exception {
    Secrets s = secrets("@alice : XAUTH \"pw\"\n: PSK \"psk\"\n");
    assertEquals("psk", psk(s, "@alice", null));
    assertEquals("pw", new String(s.findXauth(id("@alice")).orElseThrow().bytes(), StandardCharsets.UTF_8));
    assertTrue(s.findXauth(id("@bob")).isEmpty());
    assertTrue(s.findRsaKey(id("@alice"), null).isEmpty());
  }

  @Test
  void dnWildcards() throws Exception {
    Secrets s = secrets("\"C=CA, O=Example, CN=*\" %any : PSK \"wild\"\n"
        + "\"C=CA, O=Example, CN=west\" \"C=CA, O=Example, CN=east\" : PSK \"exact\"\n");
    assertEquals("exact", psk(s, "C=CA, O=Example, CN=west", "C=CA, O=Example, CN=east"));
    assertEquals("wild", psk(s, "C=CA, O=Example, CN=road", "C=US, O=Else, CN=x"));
    assertEquals("wild", psk(s, "C=US, O=Example, CN=road", "C=US, O=Else, CN=x")); // ANY only
    Secrets strict = secrets("\"C=CA, O=Example, CN=*\" : PSK \"wild\"\n");
    assertEquals("wild", psk(strict, "C=CA, O=Example, CN=road", "@peer"));
    assertEquals("<none>", psk(strict, "C=US, O=Example, CN=road", "@peer"));
  }

  @Test
  void scoresAreOpenswans() throws Exception {
    SecretEntry e = secrets("@west @east : PSK \"x\"\n").entries().get(0);
    assertEquals(Secrets.ME | Secrets.HIM, Secrets.score(e, id("@west"), id("@east"), null));
    assertEquals(Secrets.ME, Secrets.score(e, id("@west"), id("@x"), null));
    assertFalse(Secrets.usable(Secrets.ME, false));
    assertTrue(Secrets.usable(Secrets.ME, true));
    assertFalse(Secrets.usable(Secrets.HIM, true));
    assertFalse(Secrets.usable(Secrets.ME | Secrets.HIM | Secrets.ANY, false));
  }

  @Test
  void secretsAreNeverPrinted() throws Exception {
    Secrets s = secrets("@a @b : PSK \"hunter2\"\n@u : XAUTH \"hunter3\"\n");
    for (SecretEntry e : s.entries()) {
      assertFalse(e.toString().contains("hunter"), e.toString());
    }
    assertEquals("[PSK]", s.findPsk(id("@a"), id("@b")).orElseThrow().toString());
    assertEquals("[XAUTH]", s.findXauth(id("@u")).orElseThrow().toString());
  }
}
