package org.openswanj.testing.klips;

import java.io.File;
import java.io.IOException;
import java.lang.ProcessBuilder.Redirect;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.openswanj.testing.lab.Host;
import org.openswanj.testing.lab.LabException;

/**
 * A command running in the background in a lab host's namespace ({@code ip netns exec} execs, so the pid is
 * the command's), stdout and stderr to files. {@link #close()} ends it (TERM, then KILL after 5 s); lab-down
 * also ends whatever is left in the namespace.
 */
final class Background implements AutoCloseable {
  private final String what;
  private final Process process;
  private final Path out;
  private final Path err;

  private Background(String what, Process process, Path out, Path err) {
    this.what = what;
    this.process = process;
    this.out = out;
    this.err = err;
  }

  /** Starts {@code command} on {@code host}; its output goes to {@code <hostdir>/<tag>.out} and {@code .err}. */
  static Background start(Host host, String tag, String... command) {
    List<String> cmd = new ArrayList<>(List.of("ip", "netns", "exec", host.namespace()));
    cmd.addAll(List.of(command));
    Path out = host.dir().resolve(tag + ".out");
    Path err = host.dir().resolve(tag + ".err");
    try {
      Process p = new ProcessBuilder(cmd).redirectInput(Redirect.from(new File("/dev/null")))
          .redirectOutput(out.toFile()).redirectError(err.toFile()).start();
      return new Background(tag + " on " + host.name(), p, out, err);
    } catch (IOException e) {
      throw new LabException("cannot start " + String.join(" ", cmd) + ": " + e.getMessage(), e);
    }
  }

  /** Waits until the command's stderr contains {@code text}; fails if it exits or {@code limit} passes first. */
  void awaitStderr(String text, Duration limit) {
    long deadline = System.nanoTime() + limit.toNanos();
    while (!stderr().contains(text)) {
      if (!process.isAlive()) {
        throw new LabException(what + " exited " + process.exitValue() + " before printing '" + text + "': "
            + stderr());
      }
      if (System.nanoTime() > deadline) {
        throw new LabException(what + " did not print '" + text + "' within " + limit.toSeconds() + " s: " + stderr());
      }
      sleep(20);
    }
  }

  /** Waits for the command to exit by itself and returns its stdout; fails (and ends it) after {@code limit}. */
  String awaitExit(Duration limit) {
    try {
      if (!process.waitFor(limit.toMillis(), TimeUnit.MILLISECONDS)) {
        close();
        throw new LabException(what + " did not finish within " + limit.toSeconds() + " s; stderr: " + stderr());
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new LabException("interrupted waiting for " + what, e);
    }
    if (process.exitValue() != 0) {
      throw new LabException(what + " exited " + process.exitValue() + "; stderr: " + stderr() + " stdout: " + stdout());
    }
    return stdout();
  }

  String stdout() {
    return read(out);
  }

  String stderr() {
    return read(err);
  }

  @Override
  public void close() {
    if (!process.isAlive()) {
      return;
    }
    process.destroy();
    try {
      if (!process.waitFor(5, TimeUnit.SECONDS)) {
        process.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      process.destroyForcibly();
    }
  }

  private static String read(Path file) {
    try {
      return Files.exists(file) ? Files.readString(file, StandardCharsets.UTF_8) : "";
    } catch (IOException e) {
      return "(cannot read " + file + ": " + e.getMessage() + ")";
    }
  }

  static void sleep(long ms) {
    try {
      Thread.sleep(ms);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new LabException("interrupted", e);
    }
  }
}
