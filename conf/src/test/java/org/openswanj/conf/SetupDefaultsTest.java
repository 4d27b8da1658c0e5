package org.openswanj.conf;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * An empty {@code config setup} gets Openswan 2.6's defaults (confread.c), the ones ipsec.conf(5) and
 * {@code ipsec addconn --configsetup} show: each declared once, in {@link Keyword}.
 */
class SetupDefaultsTest {
  @Test
  void anEmptyConfigSetupHasOpenswansDefaults() {
    LoadResult r = ConfigLoader.parse("config setup\n", Path.of("ipsec.conf"));
    assertEquals(List.of(), r.diagnostics());
    SetupConfig s = r.config().setup();
    assertEquals(Protostack.AUTO, s.protostack());
    assertEquals(List.of("%defaultroute"), s.interfaces());
    assertEquals("none", s.plutoDebug());
    assertEquals(-1, s.nhelpers());
    assertEquals(20, s.keepAliveSeconds());
    assertEquals(Optional.empty(), s.overrideMtu());
    assertEquals("", s.myId());
    assertEquals("", s.plutoStderrLog());
    for (Keyword k : List.of(Keyword.PROTOSTACK, Keyword.INTERFACES, Keyword.PLUTODEBUG, Keyword.KEEP_ALIVE,
        Keyword.MYID, Keyword.PLUTOSTDERRLOG, Keyword.UNIQUEIDS, Keyword.NAT_TRAVERSAL, Keyword.OE)) {
      LoadResult explicit = ConfigLoader.parse("config setup\n\t" + k.keywordName() + "=\"" + k.defaultValue()
          + "\"\n", Path.of("ipsec.conf"));
      assertEquals(s.protostack(), explicit.config().setup().protostack(), k.keywordName());
      assertEquals(s.interfaces(), explicit.config().setup().interfaces(), k.keywordName());
      assertEquals(s.plutoDebug(), explicit.config().setup().plutoDebug(), k.keywordName());
      assertEquals(s.keepAliveSeconds(), explicit.config().setup().keepAliveSeconds(), k.keywordName());
      assertEquals(s.uniqueIds(), explicit.config().setup().uniqueIds(), k.keywordName());
      assertEquals(s.natTraversal(), explicit.config().setup().natTraversal(), k.keywordName());
      assertEquals(s.oe(), explicit.config().setup().oe(), k.keywordName());
    }
  }
}
