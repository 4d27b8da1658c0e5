package org.openswanj.pluto.daemon;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.apache.logging.log4j.core.net.Facility;
import org.junit.jupiter.api.Test;

/** Where pluto logs, as Openswan's pluto and _plutorun decide it. */
class LoggingTargetTest {
  private static Logging.Target target(Optional<String> syslog, List<String> warnings, String... args)
      throws Exception {
    return Logging.target(PlutoOptions.parse(args), syslog, warnings);
  }

  @Test
  void noLogOptionMeansSyslogAsAuthprivEvenWithNofork() throws Exception {
    List<String> w = new ArrayList<>();
    assertEquals(new Logging.Target.Syslog(Logging.DEV_LOG, Facility.AUTHPRIV), target(Optional.empty(), w));
    assertEquals(new Logging.Target.Syslog(Logging.DEV_LOG, Facility.AUTHPRIV),
        target(Optional.empty(), w, "--nofork"));
    assertTrue(w.isEmpty());
  }

  @Test
  void syslogSettingPicksTheFacility() throws Exception {
    List<String> w = new ArrayList<>();
    assertEquals(new Logging.Target.Syslog(Logging.DEV_LOG, Facility.DAEMON),
        target(Optional.of("daemon.error"), w));
    assertEquals(new Logging.Target.Syslog(Logging.DEV_LOG, Facility.LOCAL3), target(Optional.of("local3"), w));
    assertTrue(w.isEmpty());
  }

  @Test
  void unknownFacilityIsOneWarningAndAuthpriv() throws Exception {
    List<String> w = new ArrayList<>();
    assertEquals(new Logging.Target.Syslog(Logging.DEV_LOG, Facility.AUTHPRIV), target(Optional.of("dameon.err"), w));
    assertEquals(List.of("syslog=dameon.err: unknown facility \"dameon\", logging as authpriv"), w);
  }

  @Test
  void stderrlogAndLogfileWin() throws Exception {
    List<String> w = new ArrayList<>();
    assertEquals(new Logging.Target.Stderr(false), target(Optional.of("daemon"), w, "--nofork", "--stderrlog"));
    assertEquals(new Logging.Target.File(Path.of("/var/log/pluto.log")),
        target(Optional.empty(), w, "--logfile", "/var/log/pluto.log"));
  }
}
