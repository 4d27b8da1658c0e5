package org.openswanj.pluto.daemon.control;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.openswanj.conf.ConfigLoader;
import org.openswanj.conf.SetupConfig;
import org.openswanj.pluto.daemon.PlutoOptions;

class PlutoArgsTest {
  private static List<String> args(String setup) {
    SetupConfig s = ConfigLoader.parse("config setup\n" + setup, Path.of("ipsec.conf")).config().setup();
    return PlutoArgs.of(s, Path.of("/etc/ipsec.conf"), "/var/run/pluto/pluto", Path.of("/etc/ipsec.secrets"),
        Path.of("/etc/ipsec.d"));
  }

  @Test
  void metricsIsPassedAndParsedByPluto() throws Exception {
    List<String> a = args("\tmetrics=192.1.2.45:9090\n\tprotostack=none\n");
    int i = a.indexOf("--metrics");
    assertEquals("192.1.2.45:9090", a.get(i + 1));
    assertEquals("192.1.2.45:9090", PlutoOptions.parse(a.toArray(String[]::new)).metrics().orElseThrow().toString());
  }

  /** plutodebug= (conf's words), setup's --debug-WORD flags and pluto's parser agree on every word and alias. */
  @Test
  void everyPlutodebugWordReachesPlutoAsItsCanonicalWord() throws Exception {
    List<String> words = org.openswanj.conf.DebugWord.words();
    List<String> a = args("\tplutodebug=\"" + String.join(" ", words) + "\"\n\tprotostack=none\n");
    assertEquals(words.stream().map(w -> org.openswanj.conf.DebugWord.canonical(w).orElseThrow()).toList(),
        PlutoOptions.parse(a.toArray(String[]::new)).debug());
  }

  @Test
  void noPlutodebugIsNone() throws Exception {
    List<String> a = args("\tprotostack=none\n");
    assertEquals(List.of("none"), PlutoOptions.parse(a.toArray(String[]::new)).debug());
  }

  @Test
  void noMetricsKeywordNoOption() {
    assertFalse(args("\tprotostack=none\n").contains("--metrics"));
  }

  /** plutostderrlogtime=yes reaches pluto as --plutostderrlogtime, which it acts on; no (the default) adds nothing. */
  @Test
  void plutostderrlogtimeReachesPluto() throws Exception {
    List<String> a = args("\tplutostderrlogtime=yes\n\tprotostack=none\n");
    assertEquals(true, PlutoOptions.parse(a.toArray(String[]::new)).stderrLogTime());
    assertFalse(args("\tprotostack=none\n").contains("--plutostderrlogtime"));
    assertFalse(args("\tplutostderrlogtime=no\n\tprotostack=none\n").contains("--plutostderrlogtime"));
  }
}
