package org.openswanj.testing.lab;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.lang.ProcessBuilder.Redirect;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/** Runs host commands with a deadline; nothing here outlives its call. */
final class Commands {
  private Commands() {}

  static Result run(Duration timeout, List<String> command) {
    Process p;
    try {
      p = new ProcessBuilder(command).redirectInput(Redirect.from(new java.io.File("/dev/null"))).start();
    } catch (IOException e) {
      throw new LabException("cannot run " + String.join(" ", command) + ": " + e.getMessage(), e);
    }
    CompletableFuture<String> out = CompletableFuture.supplyAsync(() -> read(p.getInputStream()));
    CompletableFuture<String> err = CompletableFuture.supplyAsync(() -> read(p.getErrorStream()));
    try {
      if (!p.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
        p.descendants().forEach(ProcessHandle::destroyForcibly);
        p.destroyForcibly();
        throw new LabException(String.join(" ", command) + " did not finish within " + timeout.toSeconds()
            + " s\n--- stdout ---\n" + tail(out.getNow(""), 20) + "\n--- stderr ---\n" + tail(err.getNow(""), 20));
      }
      return new Result(command, p.exitValue(), out.get(5, TimeUnit.SECONDS), err.get(5, TimeUnit.SECONDS));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      p.destroyForcibly();
      throw new LabException("interrupted while running " + String.join(" ", command), e);
    } catch (ExecutionException | TimeoutException e) {
      // a background child kept the pipes open after the command exited
      throw new LabException(String.join(" ", command) + ": output not closed after exit (a child holds it)", e);
    }
  }

  private static String read(InputStream in) {
    try (in) {
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** The last {@code lines} lines of a text. */
  static String tail(String text, int lines) {
    String[] all = text.split("\n", -1);
    int from = Math.max(0, all.length - lines);
    return String.join("\n", java.util.Arrays.asList(all).subList(from, all.length));
  }

  /** The last {@code lines} lines of a file, or a note that it does not exist. */
  static String tail(Path file, int lines) {
    try {
      return Files.exists(file) ? tail(Files.readString(file, StandardCharsets.UTF_8), lines) : "(no " + file + ")";
    } catch (IOException e) {
      return "(cannot read " + file + ": " + e.getMessage() + ")";
    }
  }

  static void write(Path file, String text) {
    try {
      Files.createDirectories(file.getParent());
      Files.writeString(file, text, StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new LabException("cannot write " + file + ": " + e.getMessage(), e);
    }
  }

  static String readString(Path file) {
    try {
      return Files.exists(file) ? Files.readString(file, StandardCharsets.UTF_8) : "";
    } catch (IOException e) {
      throw new LabException("cannot read " + file + ": " + e.getMessage(), e);
    }
  }
}
