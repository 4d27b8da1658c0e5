package org.openswanj.testing.lab;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * The OE lab of {@code testing/oe/}: one LAN (a bridge) with {@code nic} running BIND 9 for the OE zones and
 * the hosts asked for (west, east, north, south), each a namespace {@code PREFIX-HOST} that resolves through
 * nic. Close it (try-with-resources or {@code @AfterAll}): {@link #close()} stops named and everything else
 * the lab started and deletes the namespaces, also after a failed test; a shutdown hook does the same if the
 * run dies first. Later OE tests add pluto to the hosts through {@link #exec} and {@link #ipsec}.
 */
public final class OeLab implements AutoCloseable {
  /** Key generation and a dozen short JVMs on a shared machine. */
  static final Duration ZONES_TIMEOUT = Duration.ofMinutes(4);

  /** Which version of the zones nic serves. */
  public enum ZoneMode { SIGNED, UNSIGNED, TAMPERED }

  /** The trust anchor files nic-zones writes, one per format pluto reads. */
  public enum AnchorForm {
    DNSKEY("anchors.dnskey"), DS("anchors.ds"), BIND("anchors.conf");

    private final String file;

    AnchorForm(String file) {
      this.file = file;
    }
  }

  private final String prefix;
  private final Path top;
  private final TearDown tearDown;

  private OeLab(String prefix, Path top) {
    this.prefix = prefix;
    this.top = top;
    this.tearDown = new TearDown("oe-down " + prefix, this::down);
  }

  /** Brings up lab {@code prefix} (plus the oj.lab.tag suffix) with {@code hosts}; a stale one is removed first. */
  public static OeLab up(String prefix, String... hosts) {
    return upWith(prefix, hosts);
  }

  /**
   * As {@link #up}, with {@code natted} (one of {@code hosts}) on a private LAN behind a source NAT that makes it
   * 192.1.2.99 on the lab's LAN (oe-up --behind-nat); its own address is 192.1.3.SUFFIX.
   */
  public static OeLab upBehindNat(String prefix, String natted, String... hosts) {
    String[] args = new String[hosts.length + 2];
    args[0] = "--behind-nat";
    args[1] = natted;
    System.arraycopy(hosts, 0, args, 2, hosts.length);
    return upWith(prefix, args);
  }

  private static OeLab upWith(String prefix, String... oeUpArgs) {
    prefix = Lab.tagged(prefix);
    Lab.requireRoot();
    Lab.requireCommand("ip", "iproute2");
    Lab.requireCommand("named", "bind9");
    Lab.requireCommand("dnssec-signzone", "bind9-utils");
    Lab.requireCommand("dig", "bind9-dnsutils");
    Lab.requirePluto();
    OeLab lab = new OeLab(prefix, Lab.findTop());
    if (Files.exists(lab.dir())) {
      System.err.println("oe lab: removing stale lab '" + prefix + "' left by an earlier run");
    }
    lab.script("oe-down").requireOk();
    lab.tearDown.arm();
    try {
      lab.script("oe-up", oeUpArgs).requireOk();
    } catch (RuntimeException e) {
      lab.close();
      throw e;
    }
    return lab;
  }

  /** Host keys for west and east ({@code bits}), their records, signed and tampered copies, trust anchors. */
  public Result zones(int bits) {
    return scriptWithTimeout(ZONES_TIMEOUT, "nic-zones", "--bits", Integer.toString(bits)).requireOk();
  }

  /** (Re)starts nic's named serving the zones of {@code mode}; returns once it answers. */
  public Result startNic(ZoneMode mode) {
    return script("nic-start", "--mode", mode.name().toLowerCase(java.util.Locale.ROOT)).requireOk();
  }

  public Result stopNic() {
    return script("nic-stop").requireOk();
  }

  /** SIGSTOP to named: queries get no answer at all (not even an ICMP error), as with a dead server. */
  public void freezeNic() {
    signalNic("-STOP");
  }

  public void thawNic() {
    signalNic("-CONT");
  }

  private void signalNic(String signal) {
    String pid = Commands.readString(dir().resolve("nic/named.pid")).strip();
    Commands.run(Host.EXEC_TIMEOUT, List.of("kill", signal, pid)).requireOk();
  }

  public Path anchors(AnchorForm form) {
    return dir().resolve("nic").resolve(form.file);
  }

  /** {@code /run/oj-lab/PREFIX}. */
  public Path dir() {
    return Paths.get("/run/oj-lab", prefix);
  }

  /** A host's directory; west's and east's hold {@code ipsec.secrets} once {@link #zones} ran. */
  public Path hostDir(String host) {
    return dir().resolve(host);
  }

  public String namespace(String host) {
    return prefix + "-" + host;
  }

  public Path top() {
    return top;
  }

  /** {@code command} inside {@code host}'s namespace (and its /etc/netns resolv.conf). */
  public Result exec(String host, Duration timeout, String... command) {
    List<String> cmd = new ArrayList<>(List.of("ip", "netns", "exec", namespace(host)));
    cmd.addAll(List.of(command));
    return Commands.run(timeout, cmd);
  }

  /** {@code bin/ipsec ARGS} in {@code host}'s namespace. */
  public Result ipsec(String host, String... args) {
    List<String> cmd = new ArrayList<>(List.of(top.resolve("bin/ipsec").toString()));
    cmd.addAll(List.of(args));
    return exec(host, Host.EXEC_TIMEOUT, cmd.toArray(String[]::new));
  }

  /**
   * Starts {@code bin/ipsec pluto --nofork --stderrlog} in {@code host}'s namespace with the files of its directory
   * ({@code ipsec.conf}, {@code ipsec.secrets}, {@code ipsec.d/}, ctlbase {@code pluto}), logging to
   * {@code pluto.log}; returns once the control socket exists. oe-down stops it with the namespace.
   */
  public Process startPluto(String host, String... extraArgs) {
    Path d = hostDir(host);
    List<String> cmd = new ArrayList<>(List.of("ip", "netns", "exec", namespace(host), top.resolve("bin/ipsec").toString(),
        "pluto", "--nofork", "--stderrlog", "--ctlbase", d.resolve("pluto").toString(), "--config",
        d.resolve("ipsec.conf").toString(), "--secretsfile", d.resolve("ipsec.secrets").toString(), "--ipsecdir",
        d.resolve("ipsec.d").toString()));
    cmd.addAll(List.of(extraArgs));
    Process p;
    try {
      p = new ProcessBuilder(cmd).redirectErrorStream(true)
          .redirectOutput(ProcessBuilder.Redirect.appendTo(d.resolve("pluto.log").toFile()))
          .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null"))).start();
    } catch (java.io.IOException e) {
      throw new LabException("cannot start pluto on " + host + ": " + e.getMessage(), e);
    }
    long deadline = System.nanoTime() + Host.PLUTO_START_TIMEOUT.toNanos();
    while (!Files.exists(d.resolve("pluto.ctl"))) {
      if (!p.isAlive() || System.nanoTime() > deadline) {
        p.destroyForcibly();
        throw new LabException("pluto on " + host + " did not come up; end of its log:\n"
            + Commands.tail(d.resolve("pluto.log"), 30));
      }
      try {
        Thread.sleep(50);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new LabException("interrupted", e);
      }
    }
    return p;
  }

  /** {@code bin/ipsec whack|auto ARGS} against {@code host}'s pluto (its ctlbase added). */
  public Result ctl(String host, String command, String... args) {
    List<String> a = new ArrayList<>(List.of(command, "--ctlbase", hostDir(host).resolve("pluto").toString()));
    a.addAll(List.of(args));
    return ipsec(host, a.toArray(String[]::new));
  }

  /** {@code host}'s {@code ipsec.d} with Openswan's subdirectories; returns its {@code policies} directory. */
  public Path ipsecD(String host) {
    Path d = hostDir(host).resolve("ipsec.d");
    try {
      for (String sub : List.of("policies", "certs", "cacerts", "private", "crls")) {
        Files.createDirectories(d.resolve(sub));
      }
    } catch (java.io.IOException e) {
      throw new LabException("cannot make " + d + ": " + e.getMessage(), e);
    }
    return d.resolve("policies");
  }

  /**
   * {@code host}'s ipsec.conf for OE on klips ({@code oe=yes}, then {@code extra}: e.g. a group conn) and its policy
   * groups as most OE tests want them: the LAN (and {@code more} lines, e.g. an IPv6 prefix) private-or-clear, nic
   * clear.
   */
  public void configureOe(String host, String extra, String... more) {
    try {
      Files.createDirectories(hostDir(host));
      Files.writeString(hostDir(host).resolve("ipsec.conf"), "config setup\n\tprotostack=klips\n"
          + "\tinterfaces=\"ipsec0=eth0\"\n\toe=yes\n" + extra);
      StringBuilder poc = new StringBuilder("192.1.2.0/24\n");
      StringBuilder clear = new StringBuilder("192.1.2.254/32\n");
      for (String m : more) {
        (m.startsWith("clear ") ? clear : poc).append(m.replaceFirst("^clear ", "")).append('\n');
      }
      Path policies = ipsecD(host);
      Files.writeString(policies.resolve("private-or-clear"), poc.toString());
      Files.writeString(policies.resolve("clear"), clear.toString());
    } catch (java.io.IOException e) {
      throw new LabException("cannot configure " + host + ": " + e.getMessage(), e);
    }
  }

  /** {@code ipsec whack --status} on {@code host}, which must answer. */
  public String status(String host) {
    return ctl(host, "whack", "--status").requireOk().stdout();
  }

  /** {@code count} pings from {@code host} to {@code to}, 0.2 s apart, each waiting up to 5 s for its answer. */
  public Result ping(String host, String to, int count) {
    return exec(host, Duration.ofSeconds(30), "ping", "-n", "-c", Integer.toString(count), "-i", "0.2", "-W", "5", to);
  }

  /** What {@link #startPluto} logged on {@code host} so far. */
  public String log(String host) {
    try {
      return Files.readString(hostDir(host).resolve("pluto.log"));
    } catch (java.io.IOException e) {
      throw new LabException("cannot read " + host + "'s pluto.log: " + e.getMessage(), e);
    }
  }

  /** The first match of {@code p} in {@code host}'s pluto log, waiting up to 10 s (a line may follow the traffic). */
  public java.util.regex.Matcher awaitLog(String host, java.util.regex.Pattern p) {
    for (int i = 0; i < 100; i++) {
      java.util.regex.Matcher m = p.matcher(log(host));
      if (m.find()) {
        return m;
      }
      sleep(100);
    }
    throw new AssertionError("no " + p + " in " + host + "'s log:\n" + log(host));
  }

  /** tcpdump on the LAN bridge's port of a host (in the lab's lan namespace), writing to {@code out}. */
  public Process capture(String port, Path out, String filter) {
    Process p;
    try {
      p = new ProcessBuilder("ip", "netns", "exec", namespace("lan"), "tcpdump", "-n", "-l", "-i", port, filter)
          .redirectOutput(out.toFile()).redirectError(ProcessBuilder.Redirect.DISCARD).start();
    } catch (java.io.IOException e) {
      throw new LabException("cannot start tcpdump on " + port + ": " + e.getMessage(), e);
    }
    sleep(800); // tcpdump needs a moment before it sees packets
    return p;
  }

  /** Stops a {@link #capture} and returns what it printed. */
  public String stopCapture(Process p, Path out) {
    sleep(300);
    p.destroy();
    try {
      p.waitFor(5, java.util.concurrent.TimeUnit.SECONDS);
      return Files.readString(out);
    } catch (java.io.IOException e) {
      throw new LabException("cannot read " + out + ": " + e.getMessage(), e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new LabException("interrupted", e);
    }
  }

  private static void sleep(long millis) {
    try {
      Thread.sleep(millis);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new LabException("interrupted", e);
    }
  }

  @Override
  public void close() {
    tearDown.close();
  }

  private void down() {
    Result r = script("oe-down");
    if (!r.ok()) {
      System.err.println("oe lab: oe-down " + prefix + " failed: " + r.stderr());
    }
  }

  private Result script(String name, String... args) {
    return scriptWithTimeout(Lab.SCRIPT_TIMEOUT, name, args);
  }

  private Result scriptWithTimeout(Duration timeout, String name, String... args) {
    List<String> cmd = new ArrayList<>(List.of(top.resolve("testing/oe").resolve(name).toString(), "--name", prefix));
    cmd.addAll(List.of(args));
    return Commands.run(timeout, cmd);
  }
}
