package org.openswanj.conf;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class GlobTest {
  @Test
  void starQuestionAndLiteralsAsGlob3() {
    assertTrue(Glob.matches("*.conf", "west.conf"));
    assertFalse(Glob.matches("*.conf", "west.conf.bak"));
    assertTrue(Glob.matches("*", "x"));
    assertTrue(Glob.matches("*", ""));
    assertTrue(Glob.matches("w?st.*", "west.secrets"));
    assertFalse(Glob.matches("w?st", "wst"));
    assertTrue(Glob.matches("a*b*c", "aXXbYYc"));
    assertFalse(Glob.matches("a*b*c", "aXXbYY"));
    assertTrue(Glob.matches("**a**", "bab"));
    assertFalse(Glob.matches("abc", "abcd"));
  }

  @Test
  void bracketsRangesNegationAndEscapes() {
    assertTrue(Glob.matches("peer[0-9].conf", "peer7.conf"));
    assertFalse(Glob.matches("peer[0-9].conf", "peerx.conf"));
    assertTrue(Glob.matches("peer[!0-9]", "peerx"));
    assertTrue(Glob.matches("peer[^0-9]", "peerx"));
    assertFalse(Glob.matches("peer[!0-9]", "peer3"));
    assertTrue(Glob.matches("[]a]", "]"));
    assertTrue(Glob.matches("[a-]", "-"));
    assertTrue(Glob.matches("x[", "x["), "an unclosed '[' is a literal");
    assertTrue(Glob.matches("a\\*", "a*"));
    assertFalse(Glob.matches("a\\*", "ab"));
    assertFalse(Glob.matches("{a,b}", "a"), "no braces in glob(3)");
  }

  @Test
  void aLeadingDotIsMatchedOnlyByADot() {
    assertFalse(Glob.matches("*", ".hidden"));
    assertFalse(Glob.matches("?hidden", ".hidden"));
    assertTrue(Glob.matches(".*", ".hidden"));
  }

  @Test
  void manyStarsDoNotBacktrackWithoutEnd() {
    // ConfFuzzTest#ipsecConf: through the JDK's glob-to-regex this pattern took 235 s on the names in /etc
    String pattern = "***************************a*3";
    String name = "a".repeat(60) + "b";
    org.junit.jupiter.api.Assertions.assertTimeoutPreemptively(Duration.ofSeconds(10), () -> {
      assertFalse(Glob.matches(pattern, name));
      assertFalse(Glob.matches("*a*a*a*a*a*a*a*a*a*a*a*a*a*a*a*a*b", "a".repeat(200)));
      assertTrue(Glob.matches(pattern, "xa3"));
    });
  }
}
