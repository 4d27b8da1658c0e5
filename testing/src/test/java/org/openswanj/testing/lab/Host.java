package org.openswanj.testing.lab;

import java.io.IOException;
import java.lang.ProcessBuilder.Redirect;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;

/**
 * One host of the lab: a network namespace, its addresses and its directory {@code /run/oj-lab/PREFIX/HOST},
 * which holds the host's pluto files ({@code ipsec.conf}, {@code ipsec.secrets}, {@code ipsec.d/}, the ctlbase
 * {@code pluto} so the socket is {@code pluto.ctl}, {@code pluto.log}) and charon's.
 */
public final class Host {
  static final Duration EXEC_TIMEOUT = Duration.ofSeconds(30);
  static final Duration PLUTO_START_TIMEOUT = Duration.ofSeconds(20);
  /** Subcommands of bin/ipsec that talk to a running pluto and so get this host's --ctlbase. */
  private static final Set<String> CTL_COMMANDS = Set.of("whack", "auto", "look");

  private final Lab lab;
  private final String name;
  private final String address;
  private final String subnetAddress;
  private final String subnet;
  private final StrongSwan strongSwan;
  private Process pluto;

  Host(Lab lab, String name, String address, String subnetAddress, String subnet) {
    this.lab = lab;
    this.name = name;
    this.address = address;
    this.subnetAddress = subnetAddress;
    this.subnet = subnet;
    this.strongSwan = new StrongSwan(this);
  }

  public String name() {
    return name;
  }

  /** The network namespace, {@code PREFIX-HOST}. */
  public String namespace() {
    return lab.prefix() + "-" + name;
  }

  /** The address on the link between the hosts (192.1.2.45 west, 192.1.2.23 east). */
  public String address() {
    return address;
  }

  /** The host's one address inside its subnet (192.0.1.254 west, 192.0.2.254 east). */
  public String subnetAddress() {
    return subnetAddress;
  }

  /** The subnet behind the host (192.0.1.0/24 west, 192.0.2.0/24 east). */
  public String subnet() {
    return subnet;
  }

  /** The ID both pluto and charon configs use for this host: {@code @west}, {@code @east}. */
  public String id() {
    return "@" + name;
  }

  public Path dir() {
    return lab.dir().resolve(name);
  }

  public Lab lab() {
    return lab;
  }

  /** strongSwan's charon on this host (not started until {@link StrongSwan#start()}). */
  public StrongSwan strongSwan() {
    return strongSwan;
  }

  /** Runs a command in this host's namespace (30 s limit). */
  public Result exec(String... command) {
    return exec(EXEC_TIMEOUT, command);
  }

  public Result exec(Duration timeout, String... command) {
    List<String> cmd = new ArrayList<>(List.of("ip", "netns", "exec", namespace()));
    cmd.addAll(List.of(command));
    return Commands.run(timeout, cmd);
  }

  /**
   * Runs {@code bin/ipsec ARGS} in this host's namespace. For {@code whack}, {@code auto} and {@code look}
   * it adds {@code --ctlbase <dir>/pluto} (and for {@code auto}, {@code --config <dir>/ipsec.conf}) unless
   * the caller gave one; {@link #ipsecRaw} adds nothing.
   */
  public Result ipsec(String... args) {
    List<String> a = new ArrayList<>(List.of(args));
    if (!a.isEmpty() && CTL_COMMANDS.contains(a.get(0))) {
      if (!a.contains("--ctlbase")) {
        a.addAll(1, List.of("--ctlbase", ctlbase().toString()));
      }
      if (a.get(0).equals("auto") && !a.contains("--config")) {
        a.addAll(1, List.of("--config", ipsecConf().toString()));
      }
    }
    return ipsecRaw(a.toArray(String[]::new));
  }

  /** {@code ipsec setup VERB} with this host's config, ctlbase, secrets and ipsec.d. */
  public Result setup(String verb) {
    return ipsecRaw("setup", verb, "--config", ipsecConf().toString(), "--ctlbase", ctlbase().toString(),
        "--secretsfile", secretsFile().toString(), "--ipsecdir", ipsecDir().toString());
  }

  public Result ipsecRaw(String... args) {
    List<String> cmd = new ArrayList<>(List.of(ipsecScript()));
    cmd.addAll(List.of(args));
    return exec(cmd.toArray(String[]::new));
  }

  public Path ctlbase() {
    return dir().resolve("pluto");
  }

  public Path ctlSocket() {
    return dir().resolve("pluto.ctl");
  }

  public Path ipsecConf() {
    return dir().resolve("ipsec.conf");
  }

  public Path secretsFile() {
    return dir().resolve("ipsec.secrets");
  }

  public Path ipsecDir() {
    return dir().resolve("ipsec.d");
  }

  public Path plutoLogFile() {
    return dir().resolve("pluto.log");
  }

  /**
   * Writes {@code ipsec.conf} and {@code ipsec.secrets} into the host directory and starts
   * {@code bin/ipsec pluto --nofork --stderrlog --ctlbase … --config … --secretsfile … --ipsecdir … EXTRA}
   * in the namespace, logging to {@code pluto.log}; returns once the control socket exists.
   */
  public synchronized void startPluto(String ipsecConf, String secrets, String... extraArgs) {
    if (pluto != null && pluto.isAlive()) {
      throw new LabException("pluto already runs on " + name + " (pid " + pluto.pid() + ")");
    }
    Commands.write(ipsecConf(), ipsecConf);
    Commands.write(secretsFile(), secrets);
    try {
      Files.setPosixFilePermissions(secretsFile(), java.nio.file.attribute.PosixFilePermissions.fromString("rw-------"));
    } catch (IOException e) {
      throw new LabException("cannot chmod 600 " + secretsFile() + ": " + e.getMessage(), e);
    }
    createIpsecDir();
    List<String> cmd = new ArrayList<>(List.of("ip", "netns", "exec", namespace(), ipsecScript(), "pluto",
        "--nofork", "--stderrlog", "--ctlbase", ctlbase().toString(), "--config", ipsecConf().toString(),
        "--secretsfile", secretsFile().toString(), "--ipsecdir", ipsecDir().toString()));
    cmd.addAll(List.of(extraArgs));
    try {
      pluto = new ProcessBuilder(cmd).redirectErrorStream(true)
          .redirectOutput(Redirect.appendTo(plutoLogFile().toFile()))
          .redirectInput(Redirect.from(new java.io.File("/dev/null"))).start();
    } catch (IOException e) {
      throw new LabException("cannot start pluto on " + name + ": " + e.getMessage(), e);
    }
    // ip netns exec and bin/ipsec both exec, so this pid is pluto's JVM; lab-down stops it by this file
    Commands.write(dir().resolve("pluto-lab.pid"), pluto.pid() + "\n");
    awaitCtlSocket();
  }

  private void awaitCtlSocket() {
    long deadline = System.nanoTime() + PLUTO_START_TIMEOUT.toNanos();
    while (!Files.exists(ctlSocket())) {
      if (!pluto.isAlive()) {
        throw new LabException("pluto on " + name + " exited with " + pluto.exitValue()
            + " before creating " + ctlSocket() + "; end of " + plutoLogFile() + ":\n" + Commands.tail(plutoLogFile(), 30));
      }
      if (System.nanoTime() > deadline) {
        stopPluto();
        throw new LabException("pluto on " + name + " has no " + ctlSocket() + " after "
            + PLUTO_START_TIMEOUT.toSeconds() + " s; end of " + plutoLogFile() + ":\n" + Commands.tail(plutoLogFile(), 30));
      }
      sleep(50);
    }
  }

  private void createIpsecDir() {
    for (String d : List.of("policies", "certs", "cacerts", "private", "crls")) {
      try {
        Files.createDirectories(ipsecDir().resolve(d));
      } catch (IOException e) {
        throw new LabException("cannot create " + ipsecDir().resolve(d) + ": " + e.getMessage(), e);
      }
    }
  }

  /** Stops this host's pluto (TERM, then KILL after 5 s) if it runs. */
  public synchronized void stopPluto() {
    if (pluto == null) {
      return;
    }
    pluto.destroy();
    try {
      if (!pluto.waitFor(5, TimeUnit.SECONDS)) {
        pluto.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      pluto.destroyForcibly();
    }
    pluto = null;
  }

  public synchronized boolean plutoRunning() {
    return pluto != null && pluto.isAlive();
  }

  /** Everything pluto has logged so far ({@code pluto.log}). */
  public String plutoLog() {
    return Commands.readString(plutoLogFile());
  }

  /** Pings {@code dst} from source address {@code src}, {@code count} times 0.2 s apart, 2 s per reply. */
  public PingResult ping(String dst, String src, int count) {
    return ping(dst, src, count, Duration.ofSeconds(2));
  }

  /** As {@link #ping(String, String, int)}, waiting up to {@code wait} for the last reply (ping -W). */
  public PingResult ping(String dst, String src, int count, Duration wait) {
    Duration limit = Duration.ofSeconds(3L + count).plus(wait);
    Result r = exec(limit, "ping", "-n", "-c", Integer.toString(count), "-i", "0.2", "-W",
        Long.toString(Math.max(1, wait.toSeconds())), "-I", src, dst);
    return PingResult.parse(r);
  }

  private String ipsecScript() {
    return lab.top().resolve("bin/ipsec").toString();
  }

  private static void sleep(long ms) {
    try {
      Thread.sleep(ms);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new LabException("interrupted", e);
    }
  }

  @Override
  public String toString() {
    return name + " (" + namespace() + ", " + address + ")";
  }
}
