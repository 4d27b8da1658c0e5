package org.openswanj.testing.ops;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The Debian package as an admin meets it: {@code mvn package} makes the .deb (jdeb, packaging/pom.xml) and
 * packaging/build-deb hands it over; its control fields and file list are what dpkg installs (/usr/sbin/ipsec,
 * /etc/ipsec.conf, a 0600 ipsec.secrets and the policy groups as conffiles, a 0700 ipsec.d/private, the systemd
 * unit), and the tree it unpacks runs: ipsec --version, the shipped ipsec.conf and ipsec.secrets check clean,
 * systemd-analyze finds nothing to say about the unit, and pluto from the package starts, answers whack and shuts
 * down (in a private network namespace).
 */
class PackagingIT {
  private static final Path TOP = Path.of("..").toAbsolutePath().normalize();

  @TempDir
  Path tmp;

  private record Run(int exit, String out) {}

  private static Run run(String... cmd) throws IOException, InterruptedException {
    Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
    p.getOutputStream().close();
    if (!p.waitFor(180, TimeUnit.SECONDS)) {
      p.destroyForcibly();
      throw new AssertionError("timed out: " + String.join(" ", cmd));
    }
    return new Run(p.exitValue(), new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8));
  }

  @Test
  void theDebInstallsWhatAnOpenswanAdminExpectsAndItRuns() throws Exception {
    Run built = run(TOP.resolve("packaging/build-deb").toString(), "--output", tmp.toString());
    assertEquals(0, built.exit(), built.out());
    String deb = built.out().strip();
    assertTrue(deb.endsWith("openswanj_0.1.0_all.deb") && Files.isRegularFile(Path.of(deb)), built.out());

    Run control = run("dpkg-deb", "-f", deb, "Package", "Architecture", "Depends", "Conflicts");
    assertTrue(control.out().contains("Package: openswanj") && control.out().contains("Architecture: all")
        && control.out().contains("openjdk-17-jre-headless") && control.out().contains("openswan"), control.out());
    Run conffiles = run("sh", "-c", "dpkg-deb --ctrl-tarfile " + deb + " | tar -xOf - ./conffiles");
    assertTrue(conffiles.out().contains("/etc/ipsec.conf\n/etc/ipsec.secrets\n")
        && conffiles.out().contains("/etc/ipsec.d/policies/private-or-clear\n"), conffiles.out());

    String files = run("dpkg-deb", "-c", deb).out();
    for (String want : List.of("-rw------- root/root .* ./etc/ipsec.secrets", "drwx------ root/root .* ./etc/ipsec.d/private/",
        "./etc/ipsec.d/policies/private-or-clear", "-rwxr-xr-x root/root .* ./usr/lib/openswanj/bin/_updown",
        "./usr/lib/openswanj/lib/pluto.jar", "./lib/systemd/system/ipsec.service",
        "./usr/sbin/ipsec -> ../lib/openswanj/bin/ipsec")) {
      assertTrue(files.lines().anyMatch(l -> l.matches(".*" + want + ".*")), want + " in\n" + files);
    }

    Path root = tmp.resolve("root");
    assertEquals(0, run("dpkg-deb", "-x", deb, root.toString()).exit());
    String ipsec = root.resolve("usr/sbin/ipsec").toString();
    Run version = run(ipsec, "--version");
    assertEquals(0, version.exit(), version.out());
    assertTrue(version.out().startsWith("Linux Openswan-compatible openswanj U0.1.0/K"), version.out());
    Run conf = run(ipsec, "addconn", "--checkconfig", "--config", root.resolve("etc/ipsec.conf").toString());
    assertEquals(0, conf.exit(), "the shipped ipsec.conf parses: " + conf.out());
    Run secrets = run(ipsec, "secrets", "--check", "--secretsfile", root.resolve("etc/ipsec.secrets").toString(),
        "--ipsecdir", root.resolve("etc/ipsec.d").toString());
    assertEquals(0, secrets.exit(), secrets.out());

    // the unit, with its commands pointed at the unpacked tree (nothing is installed on this host)
    Path unit = tmp.resolve("ipsec.service");
    Files.writeString(unit, Files.readString(root.resolve("lib/systemd/system/ipsec.service"))
        .replace("/usr/sbin/ipsec", ipsec));
    Run verify = run("systemd-analyze", "verify", unit.toString());
    assertEquals(0, verify.exit(), verify.out());
    assertEquals("", verify.out().strip(), "systemd-analyze has nothing to say about the unit");

    // pluto from the package: jars found through the /usr/sbin/ipsec symlink, whack answered
    Path ctl = tmp.resolve("pluto");
    String script = "ip link set lo up && " + ipsec + " pluto --ctlbase " + ctl + " --secretsfile "
        + root.resolve("etc/ipsec.secrets") + " --ipsecdir " + root.resolve("etc/ipsec.d")
        + " --use-nostack --listen 127.0.0.1 --logfile " + tmp.resolve("pluto.log") + " && " + ipsec
        + " whack --ctlbase " + ctl + " --status && " + ipsec + " whack --ctlbase " + ctl + " --shutdown";
    Run pluto = run("unshare", "-n", "sh", "-c", script);
    assertEquals(0, pluto.exit(), pluto.out());
    assertTrue(pluto.out().contains("000 interface lo/lo 127.0.0.1"), pluto.out());
  }
}
