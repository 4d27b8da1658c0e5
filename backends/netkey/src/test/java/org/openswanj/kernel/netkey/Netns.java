package org.openswanj.kernel.netkey;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A fresh network namespace for one test: created with {@code ip netns add}, entered by the calling
 * thread with setns(2) (sockets it opens then live there), left and deleted on {@link #close()}.
 */
final class Netns implements AutoCloseable {
  final String name;
  private final int home;

  private Netns(String name, int home) {
    this.name = name;
    this.home = home;
  }

  static Netns enter(String prefix) throws Exception {
    String name = prefix + "-" + ProcessHandle.current().pid() + "-" + System.nanoTime() % 100000;
    run("ip", "netns", "add", name);
    int home = LibC.INSTANCE.open("/proc/thread-self/ns/net", LibC.O_RDONLY | LibC.O_CLOEXEC);
    int fd = LibC.INSTANCE.open("/var/run/netns/" + name, LibC.O_RDONLY | LibC.O_CLOEXEC);
    try {
      LibC.INSTANCE.setns(fd, LibC.CLONE_NEWNET);
    } finally {
      LibC.INSTANCE.close(fd);
    }
    Netns ns = new Netns(name, home);
    ns.ip("link", "set", "lo", "up");
    return ns;
  }

  /** Runs {@code ip ARGS…} inside the namespace; returns its output, fails on a non-zero exit. */
  String ip(String... args) throws Exception {
    List<String> cmd = new ArrayList<>(List.of("ip", "netns", "exec", name, "ip"));
    cmd.addAll(List.of(args));
    return run(cmd.toArray(String[]::new));
  }

  static String run(String... cmd) throws IOException, InterruptedException {
    Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    if (!p.waitFor(30, TimeUnit.SECONDS) || p.exitValue() != 0) {
      throw new IOException(String.join(" ", cmd) + " failed: " + out);
    }
    return out;
  }

  @Override
  public void close() throws Exception {
    try {
      LibC.INSTANCE.setns(home, LibC.CLONE_NEWNET);
      LibC.INSTANCE.close(home);
    } finally {
      run("ip", "netns", "del", name);
    }
  }
}
