package org.openswanj.testing.conf;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openswanj.testing.lab.Lab;

/**
 * {@code ipsec addconn} as Openswan 2.6's, through bin/ipsec against a real pluto ({@code --use-nostack} on
 * 127.0.0.1, its own ctlbase and ports): NAME adds one conn whatever its auto=, --addall adds the auto=add|route|
 * start ones, --autoall also routes and initiates, --configsetup is what the init scripts eval, and the exit
 * codes are addconn.c's. Peers are on 127.0.0.2, where nothing answers: no traffic leaves the host.
 */
class AddConnIT {
  private static final Path TOP = Path.of("..").toAbsolutePath().normalize();

  @TempDir Path dir;
  private Process pluto;
  private String ctlbase;

  private record Run(int code, String out, String err) {}

  private Run ipsec(String... args) throws IOException, InterruptedException {
    List<String> cmd = new ArrayList<>(List.of(TOP.resolve("bin/ipsec").toString()));
    cmd.addAll(List.of(args));
    return run(cmd);
  }

  private Run run(List<String> cmd) throws IOException, InterruptedException {
    Path out = Files.createTempFile(dir, "out", ".txt");
    Path err = Files.createTempFile(dir, "err", ".txt");
    Process p = new ProcessBuilder(cmd).directory(dir.toFile()).redirectOutput(out.toFile())
        .redirectError(err.toFile()).start();
    assertTrue(p.waitFor(60, TimeUnit.SECONDS), String.join(" ", cmd) + " did not finish");
    return new Run(p.exitValue(), Files.readString(out), Files.readString(err));
  }

  private static int freeUdpPort() throws IOException {
    try (DatagramSocket s = new DatagramSocket(0, InetAddress.getLoopbackAddress())) {
      return s.getLocalPort();
    }
  }

  private static String conn(String name, String auto) {
    return "conn " + name + "\n\tleft=127.0.0.1\n\tleftid=@west\n\tright=127.0.0.2\n\trightid=@east\n"
        + "\tauthby=secret\n\tikev2=insist\n\tauto=" + auto + "\n";
  }

  @BeforeEach
  void startPluto() throws Exception {
    Lab.requirePluto();
    Files.writeString(dir.resolve("ipsec.conf"), "config setup\n\tprotostack=netkey\n\tplutodebug=\"control nat-t\"\n"
        + "\tnat_traversal=yes\n\n" + conn("a", "add") + conn("r", "route") + conn("s", "start")
        + conn("i", "ignore") + conn("t", "add").replace("\tauto=add\n", "\tconnalias=tee\n\tauto=add\n"));
    Path secrets = dir.resolve("ipsec.secrets");
    Files.writeString(secrets, "@west @east : PSK \"addconn-it-shared-secret\"\n");
    Files.setPosixFilePermissions(secrets, PosixFilePermissions.fromString("rw-------"));
    Files.createDirectories(dir.resolve("ipsec.d/policies"));
    ctlbase = dir.resolve("pluto").toString();
    int ike = freeUdpPort();
    int natt = freeUdpPort();
    pluto = new ProcessBuilder(TOP.resolve("bin/ipsec").toString(), "pluto", "--nofork", "--stderrlog",
        "--use-nostack", "--ctlbase", ctlbase, "--secretsfile", secrets.toString(), "--ipsecdir",
        dir.resolve("ipsec.d").toString(), "--listen", "127.0.0.1", "--ikeport", String.valueOf(ike),
        "--natikeport", String.valueOf(natt), "--nhelpers", "0").redirectErrorStream(true)
        .redirectOutput(dir.resolve("pluto.log").toFile()).start();
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
    while (!Files.exists(Path.of(ctlbase + ".ctl"))) {
      assertTrue(pluto.isAlive(), "pluto exited: " + Files.readString(dir.resolve("pluto.log")));
      assertTrue(System.nanoTime() < deadline, "no control socket after 20 s");
      Thread.sleep(100);
    }
  }

  @AfterEach
  void stopPluto() throws Exception {
    if (pluto != null && pluto.isAlive()) {
      ipsec("whack", "--ctlbase", ctlbase, "--shutdown");
      if (!pluto.waitFor(10, TimeUnit.SECONDS)) {
        pluto.descendants().forEach(ProcessHandle::destroyForcibly);
        pluto.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
      }
    }
  }

  private Run addconn(String... args) throws Exception {
    List<String> a = new ArrayList<>(List.of("addconn", "--config", dir.resolve("ipsec.conf").toString(),
        "--ctlbase", ctlbase));
    a.addAll(List.of(args));
    return ipsec(a.toArray(String[]::new));
  }

  private String status() throws Exception {
    return ipsec("auto", "--ctlbase", ctlbase, "--status").out();
  }

  @Test
  void namesAreAddedWhateverTheirAutoAndErrorsCountAsAddconnCSays() throws Exception {
    Run r = addconn("i", "TEE");
    assertEquals(0, r.code(), r.out() + r.err());
    assertEquals("002 added connection description \"i\"\n002 added connection description \"t\"\n", r.out(),
        "auto=ignore is added by name; an alias finds its conn, any case");
    assertTrue(status().contains("\"i\":") && status().contains("\"t\":"), status());

    Run again = addconn("i");
    assertEquals(20, again.code(), "whack's status: pluto's RC_DUPNAME");
    assertEquals("020 attempt to redefine connection \"i\"\n", again.out());

    Run missing = addconn("nosuch", "a");
    assertEquals(0, missing.code(), "addconn.c: the last add's status overwrites the count of names not found");
    assertEquals("conn 'nosuch': not found (tried aliases)\n002 added connection description \"a\"\n", missing.out());
    assertEquals(1, addconn("r", "nosuch").code(), "one name not found after the last add");
  }

  @Test
  void addallAddsAndAutoallAlsoRoutesAndInitiates() throws Exception {
    Run all = addconn("--addall");
    assertEquals(0, all.code(), all.out() + all.err());
    assertEquals(List.of("002 added connection description \"a\"", "002 added connection description \"r\"",
        "002 added connection description \"s\"", "002 added connection description \"t\""), all.out().lines().toList());
    assertFalse(ipsec("look", "--ctlbase", ctlbase).out().contains("trap"), "--addall only adds");
    for (String c : List.of("a", "r", "s", "t")) {
      assertEquals(0, ipsec("auto", "--ctlbase", ctlbase, "--delete", c).code());
    }

    Run auto = addconn("--autoall");
    assertEquals(0, auto.code(), auto.out() + auto.err());
    assertTrue(auto.out().contains("\"r\": route installed (%trap)"), auto.out());
    String look = ipsec("look", "--ctlbase", ctlbase).out();
    assertTrue(look.contains("trap") && look.contains("\"r\""), "auto=route is routed:\n" + look);
    String st = status();
    assertTrue(st.matches("(?s).*#\\d+: \"s\".*"), "auto=start is initiated:\n" + st);
    assertFalse(st.contains("\"i\":"), "auto=ignore is not added:\n" + st);
  }

  @Test
  void configsetupIsWhatTheInitScriptsEval() throws Exception {
    String eval = "eval \"$(" + TOP.resolve("bin/ipsec") + " addconn --config " + dir.resolve("ipsec.conf")
        + " --varprefix IPSEC --configsetup)\" && echo \"$IPSECconfreadstatus|$IPSECprotostack|$IPSECplutodebug"
        + "|$IPSECnat_traversal|$IPSECuniqueids\"";
    Run r = run(List.of("sh", "-c", eval));
    assertEquals(0, r.code(), r.err());
    assertEquals("|netkey|control nat-t|yes|yes\n", r.out());
  }

  @Test
  void exitCodesAreAddconnCs() throws Exception {
    Run usage = ipsec("addconn", "--bogus");
    assertEquals(10, usage.code(), "addconn.c's usage() exits 10");
    assertTrue(usage.err().startsWith("addconn: Unknown option: '--bogus'"), usage.err());
    assertEquals(10, ipsec("addconn", "--config", dir.resolve("ipsec.conf").toString()).code(), "nothing to do");
    Run down = ipsec("addconn", "--config", dir.resolve("ipsec.conf").toString(), "--ctlbase",
        dir.resolve("nopluto").toString(), "a");
    assertEquals(255, down.code(), "starter_whack_add_conn's -1");
    assertEquals("whack: Pluto is not running (no \"" + dir.resolve("nopluto.ctl") + "\")\n", down.err());
  }
}
