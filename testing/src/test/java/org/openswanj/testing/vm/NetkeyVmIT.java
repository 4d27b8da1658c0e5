package org.openswanj.testing.vm;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * The netkey VM lab in CI: runs {@code testing/vm/netkey-lab} (one QEMU boot of Debian's kernel, two plutos
 * keying the kernel's ESP, opportunistic encryption with BIND 9, then strongSwan charon with PSK and certificates)
 * and requires every scenario's PASS line. Missing qemu, root
 * or strongSwan make the script exit non-zero, so this test fails with its message rather than skipping.
 */
class NetkeyVmIT {
  private static final long LAB_TIMEOUT_MIN = 39;
  private static final List<String> SCENARIOS = List.of("a", "b", "c", "d", "e", "i", "l", "g", "j", "k", "f", "h");

  private record Run(int exit, String output) {}

  @Test
  void everyScenarioPassesOnTheGuestKernel() throws Exception {
    Path out = top().resolve("testing/target/vm/netkey-lab.out");
    Run r = background().orElse(null);
    if (r == null) {
      r = run(LAB_TIMEOUT_MIN, out, "--timeout", "2100");
    } else {
      Files.writeString(out, r.output());
    }
    String summary = tail(r.output(), 40);
    List<String> missing = new ArrayList<>();
    for (String s : SCENARIOS) {
      if (!Pattern.compile("(?m)^PASS " + s + ": ").matcher(r.output()).find()) {
        missing.add(s);
      }
    }
    assertTrue(missing.isEmpty(), "scenarios without PASS: " + missing + " (full output in " + out + ")\n"
        + sections(r.output(), missing) + summary);
    assertEquals(0, r.exit(), "netkey-lab exit status (output in " + out + ")\n" + summary);
    // the evidence behind the PASS lines, as a user would check it
    assertTrue(r.output().contains("kernel algorithm: aead rfc4106(gcm(aes))"), summary);
    assertTrue(r.output().contains("kernel integrity: auth-trunc hmac(sha256) 128"), summary);
    assertTrue(r.output().contains("encap type espinudp sport 4500 dport 4500"), summary);
    Matcher tcp = Pattern.compile("tcp: sent (\\w+) 2097152 / received (\\w+) 2097152").matcher(r.output());
    assertTrue(tcp.find() && tcp.group(1).equals(tcp.group(2)), "2 MB crossed the GCM tunnel intact\n" + summary);
    assertTrue(r.output().contains("300 packets transmitted, 300 received"), "no ping lost across rekeys\n" + summary);
    assertTrue(r.output().contains("west and east each hold 40 ESP SAs and 60 policies, none from before the kill"),
        "kill -9 with 20 tunnels: all back, nothing stale\n" + summary);
  }

  @Test
  void unknownScenarioIsOneClearLineAndNoVm() throws Exception {
    Run r = run(1, null, "x");
    assertEquals(2, r.exit(), r.output());
    assertTrue(r.output().contains("netkey-lab: unknown scenario 'x' (a b c d e i l g j k f h; m, n and t by name)"), r.output());
    Run h = run(1, null, "--help");
    assertEquals(0, h.exit(), h.output());
    assertTrue(h.output().contains("auto=route") && h.output().contains("kernel-netlink"), h.output());
  }

  /**
   * The lab that testing/vm/netkey-lab-bg started in the background of this suite (pre-integration-test), waited
   * for; empty when there is none from this run (a run of chosen tests, or a marker left by an earlier build).
   */
  private static java.util.Optional<Run> background() throws IOException, InterruptedException {
    Path bg = top().resolve("testing/target/vm/bg");
    Path started = bg.resolve("started");
    String build = System.getProperty("oj.build.started", "");
    if (!Files.exists(started) || build.isEmpty()) {
      return java.util.Optional.empty();
    }
    java.time.Instant at = java.time.Instant.ofEpochSecond(Long.parseLong(Files.readString(started).strip()));
    // a marker from before this Maven build started is an earlier build's
    if (at.isBefore(java.time.Instant.parse(build))) {
      return java.util.Optional.empty();
    }
    java.time.Instant deadline = at.plus(java.time.Duration.ofMinutes(LAB_TIMEOUT_MIN));
    Path rc = bg.resolve("rc");
    while (!Files.exists(rc) || Files.readString(rc).isBlank()) {
      if (java.time.Instant.now().isAfter(deadline)) {
        long pid = Long.parseLong(Files.readString(bg.resolve("pid")).strip());
        ProcessHandle.of(pid).ifPresent(h -> {
          h.descendants().forEach(ProcessHandle::destroyForcibly);
          h.destroyForcibly();
        });
        fail("the background netkey-lab did not finish within " + LAB_TIMEOUT_MIN + " min; output so far:\n"
            + tail(Files.readString(bg.resolve("out"), StandardCharsets.UTF_8), 40));
      }
      Thread.sleep(2_000);
    }
    String text = Files.readString(bg.resolve("out"), StandardCharsets.UTF_8);
    System.out.println("(the VM lab ran in the background since " + at + ")\n" + text);
    return java.util.Optional.of(new Run(Integer.parseInt(Files.readString(rc).strip()), text));
  }

  private static Run run(long timeoutMin, Path log, String... args) throws IOException, InterruptedException {
    List<String> cmd = new ArrayList<>();
    cmd.add(top().resolve("testing/vm/netkey-lab").toString());
    cmd.addAll(List.of(args));
    Path file = log != null ? log : Files.createTempFile("netkey-lab", ".out");
    Files.createDirectories(file.getParent());
    Process p = new ProcessBuilder(cmd).directory(top().toFile()).redirectErrorStream(true)
        .redirectOutput(file.toFile()).redirectInput(ProcessBuilder.Redirect.from(Path.of("/dev/null").toFile()))
        .start();
    if (!p.waitFor(timeoutMin, TimeUnit.MINUTES)) {
      p.descendants().forEach(ProcessHandle::destroyForcibly);
      p.destroyForcibly();
      fail("netkey-lab did not finish within " + timeoutMin + " min; output so far:\n"
          + tail(Files.readString(file, StandardCharsets.UTF_8), 40));
    }
    String text = Files.readString(file, StandardCharsets.UTF_8);
    System.out.println(text);
    if (log == null) {
      Files.deleteIfExists(file);
    }
    return new Run(p.exitValue(), text);
  }

  /** The checkout's top directory (failsafe runs in testing/). */
  private static Path top() {
    Path d = Path.of(System.getProperty("user.dir")).toAbsolutePath();
    for (Path p = d; p != null; p = p.getParent()) {
      if (Files.isExecutable(p.resolve("testing/vm/netkey-lab"))) {
        return p;
      }
    }
    throw new IllegalStateException("testing/vm/netkey-lab not found above " + d);
  }

  /** Each failed scenario's own output ("== x: ..." up to its FAIL line), so CI's excerpt says why. */
  private static String sections(String output, List<String> scenarios) {
    StringBuilder b = new StringBuilder();
    for (String s : scenarios) {
      Matcher m = Pattern.compile("(?ms)^== " + s + ": .*?^(?:FAIL|PASS) " + s + ": [^\n]*").matcher(output);
      while (m.find()) {
        b.append(m.group()).append('\n');
      }
    }
    return b.toString();
  }

  private static String tail(String s, int lines) {
    String[] all = s.split("\n");
    return String.join("\n", List.of(all).subList(Math.max(0, all.length - lines), all.length));
  }
}
