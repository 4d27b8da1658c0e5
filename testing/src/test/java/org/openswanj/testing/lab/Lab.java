package org.openswanj.testing.lab;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The two-host network-namespace lab of {@code testing/lab/lab-up}: {@code PREFIX-west} (192.1.2.45, subnet
 * 192.0.1.0/24 as 192.0.1.254/32 on lo) and {@code PREFIX-east} (192.1.2.23, 192.0.2.0/24) joined by veth.
 * Use it in try-with-resources or close it in {@code @AfterAll}: {@link #close()} stops every process the
 * lab started and deletes the namespaces, also after a failed test; a JVM shutdown hook does the same if the
 * test run dies first.
 */
public final class Lab implements AutoCloseable {
  static final Duration SCRIPT_TIMEOUT = Duration.ofSeconds(30);
  private static final String CHARON = "/usr/lib/ipsec/charon";

  private final String prefix;
  private final Path top;
  private final Path dir;
  private final Map<String, Host> hosts = new LinkedHashMap<>();
  private final TearDown tearDown;
  private int natZone;

  private Lab(String prefix, Path top) {
    this.prefix = prefix;
    this.top = top;
    this.dir = Paths.get("/run/oj-lab", prefix);
    this.tearDown = new TearDown("lab-down " + prefix, this::down);
  }

  /**
   * Brings up lab {@code prefix} (1-10 lower-case letters/digits). A stale lab of the same prefix, left by a
   * killed run, is taken down first. Fails, never skips, when a prerequisite is missing.
   */
  public static Lab up(String prefix) {
    return up(prefix, false);
  }

  /**
   * Brings up the NAT lab {@code prefix} ({@code lab-up --nat}): west (192.1.3.45, subnet 192.0.1.0/24) behind
   * the router {@link #nat()}, which source-NATs it to 192.1.2.254 with random UDP/TCP ports and drops raw ESP,
   * and east (192.1.2.23, 192.0.2.0/24) outside. East reaches west only through the NAT's mappings.
   */
  public static Lab upNat(String prefix) {
    requireCommand("iptables", "iptables");
    return up(prefix, true);
  }

  private static Lab up(String prefix, boolean nat) {
    prefix = tagged(prefix);
    requireRoot();
    requireCommand("ip", "iproute2");
    requireCommand("nsenter", "util-linux");
    requireCommand("unshare", "util-linux");
    requireCommand("ping", "iputils-ping");
    Lab lab = new Lab(prefix, findTop());
    if (Files.exists(lab.dir) || lab.namespaceExists()) {
      System.err.println("lab: removing stale lab '" + prefix + "' left by an earlier run");
      lab.script("lab-down").requireOk();
    }
    lab.tearDown.arm();
    try {
      if (nat) {
        lab.script("lab-up", "--nat").requireOk();
      } else {
        lab.script("lab-up").requireOk();
      }
    } catch (RuntimeException e) {
      lab.close();
      throw e;
    }
    lab.hosts.put("west", new Host(lab, "west", nat ? "192.1.3.45" : "192.1.2.45", "192.0.1.254", "192.0.1.0/24"));
    lab.hosts.put("east", new Host(lab, "east", "192.1.2.23", "192.0.2.254", "192.0.2.0/24"));
    if (nat) {
      // the router: its address is the outside one, the only one east sees of west
      lab.hosts.put("nat", new Host(lab, "nat", "192.1.2.254", "192.1.3.254", "192.1.3.0/24"));
    }
    return lab;
  }

  /**
   * {@code base} plus the system property {@code oj.lab.tag} (up to 3 letters/digits), so runs in two checkouts
   * on one machine never take each other's labs down as stale. Every lab test's prefix goes through here.
   */
  public static String tagged(String base) {
    String tag = System.getProperty("oj.lab.tag", "");
    if (!tag.matches("[a-z0-9]{0,3}")) {
      throw new IllegalArgumentException("oj.lab.tag must be 0-3 lower-case letters/digits, not '" + tag + "'");
    }
    return base + tag;
  }

  /** The host {@code west} or {@code east} (or, in the NAT lab, {@code nat}). */
  public Host host(String name) {
    Host h = hosts.get(name);
    if (h == null) {
      throw new LabException("lab '" + prefix + "' has no host '" + name + "' (hosts: " + hosts.keySet() + ")");
    }
    return h;
  }

  public Host west() {
    return host("west");
  }

  public Host east() {
    return host("east");
  }

  /**
   * The NAT lab's router ({@link #upNat}): {@link Host#address()} is its outside address 192.1.2.254, the one
   * east sees west's packets come from; {@link Host#subnetAddress()} its inside one, west's gateway.
   */
  public Host nat() {
    return host("nat");
  }

  /**
   * The NAT lab's router forgets every mapping, as a rebooted NAT or one that timed an idle mapping out does: the
   * next packets from west get new random ports. (It moves its connection tracking to a fresh conntrack zone, so
   * no conntrack tool is needed; replies to an old mapping find nothing and stop at the router.)
   */
  public void natForgetMappings() {
    natZone++;
    nat().exec("iptables", "-t", "raw", "-F", "PREROUTING").requireOk();
    nat().exec("iptables", "-t", "raw", "-A", "PREROUTING", "-j", "CT", "--zone", Integer.toString(natZone)).requireOk();
  }

  /**
   * Packets that crossed the NAT lab's router so far, by the comment of the FORWARD rule that counts them:
   * {@code esp-in-udp-out} / {@code esp-in-udp-in} (UDP 4500 with a non-zero SPI, from west's side / to it),
   * {@code raw-esp} (IP protocol 50, dropped), {@code ike-500-out}, {@code udp-4500-out} (everything to port
   * 4500: IKE after the float, ESP-in-UDP, keepalives).
   */
  public long natPackets(String rule) {
    String table = nat().exec("iptables", "-L", "FORWARD", "-v", "-n", "-x").requireOk().stdout();
    return table.lines().filter(l -> l.contains("/* " + rule + " */")).findFirst()
        .map(l -> Long.parseLong(l.trim().split("\\s+")[0]))
        .orElseThrow(() -> new LabException("the NAT router has no FORWARD rule '" + rule + "':\n" + table));
  }

  public String prefix() {
    return prefix;
  }

  /** The checkout's top directory (where {@code bin/ipsec} is). */
  public Path top() {
    return top;
  }

  /** {@code /run/oj-lab/PREFIX}; each host's directory is below it. */
  public Path dir() {
    return dir;
  }

  /** {@code ipsec setup stop} on west and east (whatever they run), then {@link #close()}. */
  public void stopPlutosAndClose() {
    // both at once: each is a JVM start and a pluto's shutdown
    List.of(west(), east()).stream()
        .map(h -> java.util.concurrent.CompletableFuture.runAsync(() -> h.setup("stop")))
        .toList().forEach(java.util.concurrent.CompletableFuture::join);
    close();
  }

  /** Stops every host's pluto and charon and deletes the namespaces and the lab directory. Idempotent. */
  @Override
  public void close() {
    tearDown.close();
  }

  private void down() {
    hosts.values().stream().map(h -> java.util.concurrent.CompletableFuture.runAsync(h::stopPluto))
        .toList().forEach(java.util.concurrent.CompletableFuture::join);
    Result r = script("lab-down");
    if (!r.ok()) {
      System.err.println("lab: lab-down " + prefix + " failed: " + r.stderr());
    }
  }

  boolean namespaceExists() {
    String list = Commands.run(SCRIPT_TIMEOUT, List.of("ip", "netns", "list")).stdout();
    return list.lines().map(l -> l.split(" ")[0])
        .anyMatch(n -> n.equals(prefix + "-west") || n.equals(prefix + "-east") || n.equals(prefix + "-nat"));
  }

  /** Runs {@code testing/lab/NAME --name PREFIX ARGS...}. */
  Result script(String name, String... args) {
    return scriptWithTimeout(SCRIPT_TIMEOUT, name, args);
  }

  Result scriptWithTimeout(Duration timeout, String name, String... args) {
    List<String> cmd = new ArrayList<>();
    cmd.add(top.resolve("testing/lab").resolve(name).toString());
    cmd.add("--name");
    cmd.add(prefix);
    cmd.addAll(List.of(args));
    return Commands.run(timeout, cmd);
  }

  /**
   * Whether process {@code pid} still runs. A zombie does not count: here PID 1 reaps orphans lazily, so a
   * process lab-down ended may linger as one for a while.
   */
  public static boolean isRunning(long pid) {
    try {
      String stat = Files.readString(Paths.get("/proc", Long.toString(pid), "stat"));
      int close = stat.lastIndexOf(')');
      return close > 0 && close + 2 < stat.length() && stat.charAt(close + 2) != 'Z';
    } catch (java.io.IOException gone) {
      return false;
    }
  }

  // ---- prerequisites: a missing one FAILS the run (CI installs them; a skip would hide a broken run)

  /** Fails unless this JVM runs as root (network namespaces need it). */
  public static void requireRoot() {
    String uid = Commands.run(Duration.ofSeconds(5), List.of("id", "-u")).stdout().trim();
    if (!uid.equals("0")) {
      throw new LabException("lab prerequisite missing: the lab tests must run as root (uid is " + uid + ")");
    }
  }

  /** Fails unless {@code command} is on the PATH; the message names the Debian package that brings it. */
  public static void requireCommand(String command, String debianPackage) {
    Result r = Commands.run(Duration.ofSeconds(5), List.of("sh", "-c", "command -v \"$0\"", command));
    if (!r.ok()) {
      throw new LabException("lab prerequisite missing: '" + command + "' is not installed (apt-get install "
          + debianPackage + ")");
    }
  }

  /** Fails unless strongSwan's charon, swanctl and the kernel-libipsec plugin are installed. */
  public static void requireCharon() {
    requireFile(Paths.get(CHARON), "strongswan");
    requireCommand("swanctl", "strongswan-swanctl");
    requireFile(Paths.get("/usr/lib/ipsec/plugins/libstrongswan-kernel-libipsec.so"), "libcharon-extra-plugins");
  }

  /** Fails unless {@code bin/ipsec} can start pluto (the project was built). */
  public static void requirePluto() {
    Path top = findTop();
    requireFile(top.resolve("pluto/target/pluto.jar"), "(build it: mvn -q -DskipTests package in " + top + ")");
  }

  private static void requireFile(Path file, String from) {
    if (!Files.exists(file)) {
      throw new LabException("lab prerequisite missing: " + file + " (" + from + ")");
    }
  }

  /** The checkout's top: the system property {@code ipsec.top}, else the nearest parent with bin/ipsec. */
  public static Path findTop() {
    String prop = System.getProperty("ipsec.top");
    if (prop != null) {
      return Paths.get(prop).toAbsolutePath();
    }
    for (Path p = Paths.get("").toAbsolutePath(); p != null; p = p.getParent()) {
      if (Files.isRegularFile(p.resolve("bin/ipsec")) && Files.isDirectory(p.resolve("testing/lab"))) {
        return p;
      }
    }
    throw new LabException("cannot find the checkout (bin/ipsec and testing/lab) above " + Paths.get("").toAbsolutePath()
        + "; set -Dipsec.top=DIR");
  }
}
