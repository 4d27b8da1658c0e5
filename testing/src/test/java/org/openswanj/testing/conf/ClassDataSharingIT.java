package org.openswanj.testing.conf;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The class-data-sharing archives bin/ipsec-cds made before the lab tests (pre-integration-test) are the ones
 * bin/ipsec maps: pluto's (dynamic, from a pluto run) and one static archive for every tool, made from the class
 * lists of many tool runs. Each command here runs with {@code -Xshare:on}, so a JVM that cannot map the archive
 * fails instead of quietly loading every class from the jars, and its main class must come from the archive. A
 * tool missing from the training runs, or a class path built in another order than at dump time, fails here.
 */
class ClassDataSharingIT {
  private static final Path TOP = Path.of("..").toAbsolutePath().normalize();

  @TempDir Path tmp;

  private record Run(int code, String out, String classes) {}

  private Run ipsec(String optsVar, String main, String... args) throws IOException, InterruptedException {
    Path log = Files.createTempFile(tmp, "classes", ".txt");
    List<String> cmd = new ArrayList<>(List.of(TOP.resolve("bin/ipsec").toString()));
    cmd.addAll(List.of(args));
    ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true);
    pb.environment().put(optsVar, "-Xshare:on -Xlog:class+load=info:file=" + log);
    Process p = pb.start();
    String out = new String(p.getInputStream().readAllBytes());
    assertTrue(p.waitFor(60, TimeUnit.SECONDS), "bin/ipsec " + String.join(" ", args) + " did not finish");
    String classes = Files.readString(log);
    assertTrue(classes.contains(main + " source: shared objects file"),
        "bin/ipsec " + String.join(" ", args) + ": " + main + " not from the archive; the JVM said:\n" + out
            + classes.lines().filter(l -> l.contains(main)).findFirst().orElse("(" + main + " not loaded)"));
    return new Run(p.exitValue(), out, classes);
  }

  @Test
  void everyToolAndPlutoMapTheirArchives() throws Exception {
    assertTrue(Files.isRegularFile(TOP.resolve("pluto/target/cds/tools.jsa")),
        "no pluto/target/cds/tools.jsa: bin/ipsec-cds failed in pre-integration-test (see the build log)");
    Path conf = tmp.resolve("ipsec.conf");
    Files.writeString(conf, "config setup\n\tprotostack=netkey\n\nconn a\n\tleft=192.0.2.1\n\tright=192.0.2.2\n"
        + "\tauthby=secret\n\tauto=add\n");
    String ctl = tmp.resolve("nopluto").toString();

    Run whack = ipsec("IPSEC_JAVA_OPTS", "org.openswanj.whack.cli.WhackMain", "whack", "--ctlbase", ctl, "--status");
    assertEquals(1, whack.code(), whack.out());
    assertTrue(whack.out().contains("Pluto is not running"), whack.out());
    Run auto = ipsec("IPSEC_JAVA_OPTS", "org.openswanj.whack.cli.AutoMain", "auto", "--config", conf.toString(),
        "--ctlbase", ctl, "--add", "a");
    assertTrue(auto.code() != 0 && auto.out().contains("Pluto is not running"), auto.out());
    Run check = ipsec("IPSEC_JAVA_OPTS", "org.openswanj.whack.cli.AddConnCommand", "addconn", "--config",
        conf.toString(), "--checkconfig");
    assertEquals(0, check.code(), check.out());
    Run rw = ipsec("IPSEC_JAVA_OPTS", "org.openswanj.conf.cli.ReadWriteConfMain", "readwriteconf", "--config",
        conf.toString());
    assertEquals(0, rw.code(), rw.out());
    assertTrue(rw.out().contains("conn a"), rw.out());
    // most of a tool's classes come from the archive, not only its main class
    long shared = whack.classes().lines().filter(l -> l.contains("source: shared objects file")).count();
    long all = whack.classes().lines().filter(l -> l.contains("[class,load]")).count();
    assertTrue(shared * 10 >= all * 9, "whack: only " + shared + " of " + all + " classes from the archive");

    Run pluto = ipsec("PLUTO_JAVA_OPTS", "org.openswanj.pluto.daemon.PlutoMain", "pluto", "--help");
    assertEquals(0, pluto.code(), pluto.out());
  }
}
