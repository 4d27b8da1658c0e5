package org.openswanj.pluto.daemon;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.openswanj.conf.ConfigLoader;
import org.openswanj.conf.LoadResult;
import org.openswanj.pluto.pki.RevocationPolicy;

/** strictcrlpolicy= and crlcheckinterval= of config setup as pluto takes them: conf's booleans and times. */
class RevocationSetupTest {
  private static RevocationPolicy of(String setup) {
    LoadResult r = ConfigLoader.parse("config setup\n" + setup, Path.of("ipsec.conf"));
    assertEquals(List.of(), r.diagnostics());
    List<String> report = new ArrayList<>();
    RevocationPolicy p = DaemonHost.revocationOf(r.config().setup().raw(), report);
    assertEquals(List.of(), report);
    return p;
  }

  @Test
  void withoutTheKeywordsCrlsAreNeitherRequiredNorFetched() {
    RevocationPolicy p = of("\tprotostack=none\n");
    assertEquals(RevocationPolicy.Strict.NO, p.strict());
    assertEquals(Duration.ZERO, p.crlCheckInterval());
  }

  /** Every spelling conf accepts for a boolean counts: strictcrlpolicy=true was taken as no before. */
  @Test
  void strictcrlpolicyTakesConfsBooleans() {
    for (String yes : List.of("yes", "true", "on", "YES")) {
      assertEquals(RevocationPolicy.Strict.YES, of("\tstrictcrlpolicy=" + yes + "\n").strict(), yes);
    }
    assertEquals(RevocationPolicy.Strict.NO, of("\tstrictcrlpolicy=off\n").strict());
  }

  @Test
  void crlcheckintervalIsATime() {
    assertEquals(Duration.ofMinutes(10), of("\tcrlcheckinterval=10m\n").crlCheckInterval());
    assertEquals(Duration.ofSeconds(600), of("\tcrlcheckinterval=600\n").crlCheckInterval());
  }
}
