package org.openswanj.pluto.daemon;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.apache.logging.log4j.LogManager;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A flood of dropped messages is logged at the default level but rate-limited; other lines are not. */
class LoggingDroppedTest {
  @TempDir Path dir;

  @Test
  void aFloodOfDropsIsCutToABurstWhileOrdinaryLinesPass() throws Exception {
    Path log = dir.resolve("pluto.log");
    Logging.configure(new Logging.Target.File(log), List.of());
    for (int i = 0; i < 500; i++) {
      LogManager.getLogger(Logging.DROPPED).info("dropping malformed packet from 192.0.2.9:500: #{}", i);
    }
    for (int i = 0; i < 50; i++) {
      LogManager.getLogger("pluto").info("ordinary line {}", i);
    }
    List<String> lines = Files.readAllLines(log);
    long drops = lines.stream().filter(l -> l.contains("dropping malformed")).count();
    long ordinary = lines.stream().filter(l -> l.contains("ordinary line")).count();
    assertTrue(drops >= 1 && drops <= 30, drops + " drop lines of 500");
    assertTrue(ordinary == 50, ordinary + " ordinary lines of 50");
  }
}
