package org.openswanj.pluto.daemon;

import java.io.File;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * pluto forks by default (Openswan); a JVM cannot fork, so it starts itself again with {@code --nofork} in a
 * new session and returns once the child answers on its control socket (or has died).
 */
final class Daemonize {
  private static final long WAIT_MS = 30_000;

  private Daemonize() {}

  static int forkAndWait(String[] args, PlutoOptions opts) {
    List<String> cmd = new ArrayList<>();
    cmd.add("setsid");
    cmd.add(ProcessHandle.current().info().command().orElse("java"));
    // the JVM's own options and class path, not ProcessHandle's arguments: those come from /proc/self/cmdline
    // cut at 4 kB, shorter than bin/ipsec's class path of explicit jar names (the child found no main class)
    cmd.addAll(ManagementFactory.getRuntimeMXBean().getInputArguments().stream()
        .filter(a -> !a.startsWith("-Djava.class.path=")).toList());
    cmd.add("-cp");
    cmd.add(System.getProperty("java.class.path"));
    cmd.add(PlutoMain.class.getName());
    cmd.addAll(List.of(args));
    cmd.add("--nofork");
    ProcessBuilder pb = new ProcessBuilder(cmd).redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")));
    File sink = opts.logFile().map(p -> p.toFile()).orElse(new File("/dev/null"));
    pb.redirectOutput(ProcessBuilder.Redirect.appendTo(sink)).redirectError(ProcessBuilder.Redirect.appendTo(sink));
    Process p;
    try {
      p = pb.start();
    } catch (IOException e) {
      System.err.println("pluto: cannot start the daemon: " + e.getMessage());
      return 3;
    }
    long deadline = System.currentTimeMillis() + WAIT_MS;
    while (System.currentTimeMillis() < deadline) {
      if (Files.exists(opts.ctlSocket()) && PidFile.readPid(opts.pidFile()) > 0) {
        return 0;
      }
      try {
        if (p.waitFor(100, TimeUnit.MILLISECONDS)) {
          return p.exitValue() == 0 ? 3 : p.exitValue();
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return 3;
      }
    }
    System.err.println("pluto: the daemon did not open " + opts.ctlSocket() + " within " + WAIT_MS / 1000 + "s");
    return 3;
  }
}
