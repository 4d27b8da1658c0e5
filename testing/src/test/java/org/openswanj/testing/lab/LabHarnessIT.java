package org.openswanj.testing.lab;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** The harness the pluto ITs stand on: namespaces, exec, bin/ipsec, pluto start failures, teardown. */
class LabHarnessIT {

  @Test
  void hostsHaveTheirAddressesAndReachEachOtherOnTheLink() {
    try (Lab lab = Lab.up("ojharn")) {
      String addrs = lab.west().exec("ip", "-o", "-4", "addr", "show").requireOk().stdout();
      assertTrue(addrs.contains("inet 192.1.2.45/24") && addrs.contains("inet 192.0.1.254/32"), addrs);
      String eastAddrs = lab.east().exec("ip", "-o", "-4", "addr", "show").requireOk().stdout();
      assertTrue(eastAddrs.contains("inet 192.1.2.23/24") && eastAddrs.contains("inet 192.0.2.254/32"), eastAddrs);
      assertTrue(lab.west().ping("192.1.2.23", "192.1.2.45", 2).allReplied(), "the veth link carries pings");
      // no tunnel yet: east's subnet is not reachable from west's
      assertEquals(0, lab.west().ping("192.0.2.254", "192.0.1.254", 1).received());
      assertTrue(Files.isDirectory(lab.west().dir()), "host directory exists");
    }
  }

  @Test
  void ipsecRunsInTheNamespaceAndAPlutoThatDiesAtStartIsReportedWithItsLog() {
    try (Lab lab = Lab.up("ojharn")) {
      Result v = lab.west().ipsecRaw("--version");
      assertEquals(0, v.exitCode(), v.stderr());
      assertTrue(v.stdout().contains("openswanj"), v.stdout());
      long t0 = System.nanoTime();
      LabException e = assertThrows(LabException.class,
          () -> lab.west().startPluto("config setup\n", "", "--no-such-option-anywhere"));
      assertTrue(e.getMessage().contains("pluto on west exited"), e.getMessage());
      assertTrue(e.getMessage().contains("pluto.log"), e.getMessage());
      assertTrue(System.nanoTime() - t0 < Duration.ofSeconds(15).toNanos(), "reported without waiting out 20 s");
      assertTrue(Files.exists(lab.west().ipsecConf()) && Files.isDirectory(lab.west().ipsecDir().resolve("cacerts")));
      assertFalse(lab.west().plutoRunning());
    }
  }

  @Test
  void timeoutsAndUnknownHostsAreClearErrors() {
    try (Lab lab = Lab.up("ojharn")) {
      LabException t = assertThrows(LabException.class, () -> lab.east().exec(Duration.ofSeconds(1), "sleep", "30"));
      assertTrue(t.getMessage().contains("did not finish within 1 s"), t.getMessage());
      LabException h = assertThrows(LabException.class, () -> lab.host("north"));
      assertTrue(h.getMessage().contains("no host 'north'"), h.getMessage());
    }
  }

  @Test
  void closeEndsWhatRunsInTheNamespacesAndLeavesNothing() throws Exception {
    Lab lab = Lab.up("ojharn");
    lab.east().exec("sh", "-c", "sleep 300 >/dev/null 2>&1 & echo $! > " + lab.east().dir() + "/stray").requireOk();
    long stray = Long.parseLong(Files.readString(lab.east().dir().resolve("stray")).trim());
    assertTrue(Lab.isRunning(stray), "the background process runs");
    lab.close();
    assertFalse(Lab.isRunning(stray), "lab-down ended it");
    assertFalse(lab.namespaceExists(), "namespaces deleted");
    assertFalse(Files.exists(lab.dir()), "directory deleted");
  }
}
