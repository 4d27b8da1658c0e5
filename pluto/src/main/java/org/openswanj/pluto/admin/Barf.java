package org.openswanj.pluto.admin;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.openswanj.conf.ConfigLoader;
import org.openswanj.conf.LoadResult;
import org.openswanj.conf.OpenswanPaths;
import org.openswanj.whack.cli.PlutoUnreachableException;
import org.openswanj.whack.cli.WhackClient;
import org.openswanj.whack.proto.WhackRequest;

/**
 * {@code ipsec barf}: the support bundle of Openswan's programs/barf, one section per source, each headed
 * {@code + _________________________ NAME}: versions, ipsec.conf, ipsec.secrets censored, pluto's status and
 * kernel view, the kernel's XFRM policies and states without key bytes, /proc settings, the end of pluto's log.
 * Never prints a secret; a source that is missing says so and the dump goes on.
 */
final class Barf {
  private static final int LOG_LINES = 200;

  private final ToolArgs args;
  private final PrintStream out;

  Barf(ToolArgs args, PrintStream out) {
    this.args = args;
    this.out = out;
  }

  int run() {
    section("version");
    out.println(ToolArgs.versionLine());
    out.println(System.getProperty("os.name") + " " + System.getProperty("os.version") + " "
        + System.getProperty("os.arch") + "; java " + System.getProperty("java.version"));
    LoadResult conf = ConfigLoader.load(args.config());
    section(args.config().toString());
    out.println(readOr(args.config()));
    conf.diagnostics().forEach(d -> out.println(d.format()));
    section(args.secrets() + " (censored)");
    String secrets = readOr(args.secrets());
    out.println(secrets.startsWith("(") ? secrets : SecretCensor.secrets(secrets));
    whack("ipsec whack --status", new WhackRequest.Status(false));
    whack("ipsec look", new WhackRequest.Look());
    command("ip xfrm policy", List.of("ip", "xfrm", "policy"));
    command("ip xfrm state (keys censored)", List.of("ip", "xfrm", "state"));
    command("ip route", List.of("ip", "route", "show", "table", "all"));
    for (String f : List.of("sys/net/ipv4/ip_forward", "sys/net/ipv4/conf/all/rp_filter",
        "sys/net/ipv4/conf/all/send_redirects", "sys/net/core/xfrm_larval_drop", "net/xfrm_stat")) {
      section("/proc/" + f);
      out.println(readOr(Path.of("/proc", f)));
    }
    log(conf.config().setup().plutoStderrLog());
    return 0;
  }

  private void section(String name) {
    out.println("+ _________________________ " + name);
  }

  private void whack(String name, WhackRequest r) {
    section(name);
    try {
      new WhackClient(OpenswanPaths.controlSocket(args.ctlbase())).send(r, out::println);
    } catch (PlutoUnreachableException | IOException e) {
      out.println("(pluto does not answer: " + e.getMessage() + ")");
    }
  }

  private void command(String name, List<String> cmd) {
    section(name);
    try {
      Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
      byte[] b = p.getInputStream().readAllBytes();
      if (!p.waitFor(10, TimeUnit.SECONDS)) {
        p.destroyForcibly();
      }
      out.println(SecretCensor.kernelState(new String(b, StandardCharsets.UTF_8)).stripTrailing());
    } catch (IOException e) {
      out.println("(cannot run " + String.join(" ", cmd) + ": " + e.getMessage() + ")");
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  /** plutostderrlog= if set, else the syslog files pluto's authpriv lines land in, filtered to pluto. */
  private void log(String stderrLog) {
    List<Path> candidates = stderrLog.isBlank()
        ? List.of(Path.of("/var/log/auth.log"), Path.of("/var/log/secure"), Path.of("/var/log/messages"))
        : List.of(Path.of(stderrLog));
    for (Path f : candidates) {
      if (Files.isReadable(f)) {
        section("last " + LOG_LINES + " pluto lines of " + f);
        tail(f, !stderrLog.isBlank()).forEach(out::println);
        return;
      }
    }
    section("pluto log");
    out.println("(no log file found: " + candidates + ")");
  }

  private static List<String> tail(Path f, boolean all) {
    List<String> keep = new ArrayList<>();
    try {
      for (String l : Files.readAllLines(f, StandardCharsets.ISO_8859_1)) {
        if (all || l.contains("pluto")) {
          keep.add(l);
        }
      }
    } catch (IOException e) {
      return List.of("(cannot read " + f + ": " + e.getMessage() + ")");
    }
    return keep.subList(Math.max(0, keep.size() - LOG_LINES), keep.size());
  }

  private static String readOr(Path f) {
    try {
      return Files.readString(f, StandardCharsets.ISO_8859_1).stripTrailing();
    } catch (IOException e) {
      return "(cannot read " + f + ": " + e.getMessage() + ")";
    }
  }
}
