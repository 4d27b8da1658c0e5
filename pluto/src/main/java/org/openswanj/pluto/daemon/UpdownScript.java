package org.openswanj.pluto.daemon;

import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.Logger;

/**
 * Runs one updown command as Openswan's invoke_command does ({@code sh -c SCRIPT}, stderr with stdout, the
 * output logged when it fails), with two differences that keep a script from stalling pluto: the output goes to
 * a file, not a pipe, so a background job the script leaves running holds no pipe pluto waits on; and the
 * script runs in a session of its own, so when it overruns its time the whole process group is killed.
 * Runs on the updown thread, never on the event loop.
 */
final class UpdownScript {
  private static final Logger LOG = LogManager.getLogger("pluto");
  private static final int OUTPUT_MAX = 4096;
  private static final String SETSID = "/usr/bin/setsid";

  private UpdownScript() {}

  /** What happened; {@code output} is what the script printed (at most 4 KiB). */
  record Outcome(int status, boolean timedOut, String output) {}

  static Outcome run(String conn, String script, Map<String, String> env, Duration timeout) {
    String verb = env.getOrDefault("PLUTO_VERB", "?");
    Path out = null;
    try {
      out = Files.createTempFile("pluto-updown", ".out");
      List<String> cmd = new ArrayList<>();
      if (Files.isExecutable(Path.of(SETSID))) {
        cmd.add(SETSID); // not a group leader: setsid(2) and exec in place, so pid = process group id
      }
      cmd.addAll(List.of("/bin/sh", "-c", script));
      ProcessBuilder pb = new ProcessBuilder(cmd).redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")))
          .redirectOutput(out.toFile()).redirectErrorStream(true);
      pb.environment().putAll(env);
      Process p = pb.start();
      if (!p.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
        killGroup(p);
        LOG.warn("\"{}\": {} command \"{}\" did not finish within {}s; its process group was killed", conn, verb,
            script, timeout.toSeconds());
        return new Outcome(-1, true, read(out));
      }
      Outcome o = new Outcome(p.exitValue(), false, read(out));
      if (o.status() != 0) {
        LOG.warn("\"{}\": {} command exited with status {}: {}", conn, verb, o.status(), o.output().trim());
      }
      return o;
    } catch (IOException e) {
      LOG.warn("\"{}\": cannot run {} command \"{}\": {}", conn, verb, script, e.getMessage());
      return new Outcome(-1, false, "");
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return new Outcome(-1, false, "");
    } finally {
      if (out != null) {
        out.toFile().delete();
      }
    }
  }

  private static void killGroup(Process p) throws InterruptedException {
    try {
      new ProcessBuilder("kill", "-KILL", "--", "-" + p.pid()).redirectErrorStream(true)
          .redirectOutput(ProcessBuilder.Redirect.DISCARD).start().waitFor(5, TimeUnit.SECONDS);
    } catch (IOException e) {
      p.descendants().forEach(ProcessHandle::destroyForcibly); // no kill(1): the next best thing
    }
    p.destroyForcibly();
  }

  private static String read(Path out) {
    try (InputStream in = Files.newInputStream(out)) {
      return new String(in.readNBytes(OUTPUT_MAX), StandardCharsets.UTF_8);
    } catch (IOException e) {
      return "";
    }
  }
}
