package org.openswanj.pluto.daemon;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class UpdownScriptTest {
  @TempDir Path dir;

  @Test
  void aBackgroundJobDoesNotHoldTheCaller() {
    long t0 = System.nanoTime();
    UpdownScript.Outcome o = UpdownScript.run("c", "echo started; sleep 20 & exit 0",
        Map.of("PLUTO_VERB", "up-client"), Duration.ofSeconds(30));
    long ms = (System.nanoTime() - t0) / 1_000_000;
    assertTrue(ms < 3000, "returned after " + ms + " ms: the background job held it");
    assertEquals(0, o.status());
    assertEquals("started\n", o.output());
  }

  @Test
  void anOverrunningScriptHasItsWholeProcessGroupKilled() throws Exception {
    Path pidFile = dir.resolve("child.pid");
    long t0 = System.nanoTime();
    UpdownScript.Outcome o = UpdownScript.run("c", "sleep 60 & echo $! > " + pidFile + "; wait",
        Map.of("PLUTO_VERB", "route-client"), Duration.ofSeconds(1));
    long ms = (System.nanoTime() - t0) / 1_000_000;
    assertTrue(o.timedOut());
    assertTrue(ms < 4000, "took " + ms + " ms");
    long child = Long.parseLong(Files.readString(pidFile).trim());
    for (int i = 0; i < 50 && ProcessHandle.of(child).map(ProcessHandle::isAlive).orElse(false); i++) {
      Thread.sleep(100);
    }
    assertFalse(ProcessHandle.of(child).map(ProcessHandle::isAlive).orElse(false), "background sleep survived");
  }

  @Test
  void failureStatusAndOutputAreReported() {
    UpdownScript.Outcome o = UpdownScript.run("c", "echo \"$PLUTO_VERB failed\" >&2; exit 3",
        Map.of("PLUTO_VERB", "up-host"), Duration.ofSeconds(5));
    assertEquals(3, o.status());
    assertEquals("up-host failed\n", o.output());
  }
}
