package org.openswanj.pluto.admin;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Stream;
import org.openswanj.conf.ConfigLoader;
import org.openswanj.conf.ConnConfig;
import org.openswanj.conf.Diagnostic;
import org.openswanj.conf.LoadResult;
import org.openswanj.conf.OpenswanPaths;
import org.openswanj.conf.Severity;
import org.openswanj.pluto.daemon.control.PlutoProcess;

/**
 * {@code ipsec verify}: the checks of Openswan's programs/verify, in its layout (a label padded to 60 columns,
 * then {@code [OK]} or {@code [FAILED]} and, under a failure, what is wrong and the command that fixes it).
 * Reads /proc under {@code proc} (a directory in tests). Exit status 1 when anything failed.
 */
final class Verify {
  /** Where to look: the config, the control socket's base, the secrets file, and /proc. */
  record Paths(Path config, String ctlbase, Path secrets, Path proc) {}

  private final Paths p;
  private final PrintStream out;
  private boolean failed;

  Verify(Paths p, PrintStream out) {
    this.p = p;
    this.out = out;
  }

  int run(String version) {
    out.println("Checking your system to see if IPsec got installed and started correctly:");
    result("Version check and ipsec on-path", List.of());
    out.println(version);
    kernel();
    LoadResult conf = config();
    secrets();
    pluto();
    forwarding(conf);
    rpFilter();
    command("ip", "iproute2");
    return failed ? 1 : 0;
  }

  private void kernel() {
    boolean xfrm = Files.exists(p.proc().resolve("sys/net/core/xfrm_larval_drop"))
        || Files.exists(p.proc().resolve("net/xfrm_stat"));
    boolean tun = Files.exists(Path.of("/dev/net/tun"));
    result("Checking for IPsec support in kernel", xfrm || tun ? List.of() : List.of(
        "neither XFRM (netkey) nor /dev/net/tun (klips in user space): load xfrm_user or tun (modprobe tun)"));
    if (xfrm) {
      List<String> on = procFlags("sys/net/ipv4/conf", "send_redirects", "1");
      result(" NETKEY:  Testing XFRM related proc values", on.isEmpty() ? List.of() : List.of(
          "send_redirects is on for " + String.join(", ", on) + ": NETKEY would send bogus ICMP redirects;",
          "fix: for f in /proc/sys/net/ipv4/conf/*/send_redirects; do echo 0 > $f; done"));
    }
  }

  private LoadResult config() {
    LoadResult r = ConfigLoader.load(p.config());
    List<String> errors = new ArrayList<>();
    for (Diagnostic d : r.diagnostics()) {
      if (d.severity() == Severity.ERROR) {
        errors.add(d.format());
      }
    }
    if (!errors.isEmpty()) {
      errors.add("fix: correct the lines above (ipsec addconn --checkconfig --config " + p.config() + ")");
    }
    result("Checking " + p.config() + " syntax", errors);
    return r;
  }

  private void secrets() {
    List<String> why = new ArrayList<>();
    try {
      Set<PosixFilePermission> perms = Files.getPosixFilePermissions(p.secrets());
      if (perms.stream().anyMatch(x -> x.name().startsWith("GROUP") || x.name().startsWith("OTHERS"))) {
        why.add(p.secrets() + " is readable or writable by others (mode "
            + java.nio.file.attribute.PosixFilePermissions.toString(perms) + ")");
        why.add("fix: chmod 600 " + p.secrets());
      }
    } catch (IOException e) {
      why.add("cannot read " + p.secrets() + ": " + e.getMessage());
      why.add("fix: create it (ipsec newhostkey --output " + p.secrets() + ") with mode 600");
    }
    result("Checking " + p.secrets() + " permissions", why);
  }

  private void pluto() {
    Path socket = OpenswanPaths.controlSocket(p.ctlbase());
    boolean running = PlutoProcess.answers(socket);
    result("Checking that pluto is running", running ? List.of() : List.of(
        "nothing answers on " + socket, "fix: ipsec setup start"));
    if (running) {
      for (int port : new int[] {500, 4500}) {
        result(port == 500 ? " Pluto listening for IKE on udp 500" : " Pluto listening for NAT-T on udp 4500",
            udpListening(port) ? List.of() : List.of("no UDP socket on port " + port,
                "fix: check listen= and interfaces= in config setup, then ipsec auto --ready"));
      }
    }
  }

  /** Openswan checks forwarding when there are two or more interfaces; a conn with a subnet needs it too. */
  private void forwarding(LoadResult conf) {
    boolean gateway = conf.config().conns().stream().map(ConnConfig::keywords)
        .anyMatch(k -> k.containsKey("leftsubnet") || k.containsKey("rightsubnet"));
    if (!gateway && interfaces() < 2) {
      return;
    }
    String v = read("sys/net/ipv4/ip_forward").orElse("0");
    result("Checking IP forwarding", v.equals("1") ? List.of() : List.of(
        "net.ipv4.ip_forward is " + v + ": traffic for the subnets behind this gateway is not forwarded",
        "fix: echo 1 > /proc/sys/net/ipv4/ip_forward (and net.ipv4.ip_forward=1 in /etc/sysctl.conf)"));
  }

  /** Strict reverse-path filtering drops decapsulated packets whose source routes out another way. */
  private void rpFilter() {
    List<String> strict = procFlags("sys/net/ipv4/conf", "rp_filter", "1");
    result("Checking rp_filter", strict.isEmpty() ? List.of() : List.of(
        "rp_filter is strict (1) on " + String.join(", ", strict) + ": decrypted packets may be dropped",
        "fix: for f in /proc/sys/net/ipv4/conf/*/rp_filter; do echo 0 > $f; done"));
  }

  private void command(String name, String pkg) {
    boolean found = Stream.of(System.getenv().getOrDefault("PATH", "/usr/sbin:/usr/bin:/sbin:/bin").split(":"))
        .anyMatch(d -> Files.isExecutable(Path.of(d, name)));
    result("Checking for '" + name + "' command", found ? List.of() : List.of("fix: apt-get install " + pkg));
  }

  private List<String> procFlags(String dir, String leaf, String bad) {
    List<String> out = new ArrayList<>();
    try (Stream<Path> s = Files.list(p.proc().resolve(dir))) {
      for (Path d : s.sorted().toList()) {
        Optional<String> v = read(p.proc().relativize(d.resolve(leaf)).toString());
        if (v.isPresent() && v.get().equals(bad) && !d.getFileName().toString().equals("lo")) {
          out.add(d.getFileName().toString());
        }
      }
    } catch (IOException e) {
      return out;
    }
    return out;
  }

  private int interfaces() {
    try (Stream<Path> s = Files.list(p.proc().resolve("sys/net/ipv4/conf"))) {
      return (int) s.map(d -> d.getFileName().toString())
          .filter(n -> !n.equals("lo") && !n.equals("all") && !n.equals("default")).count();
    } catch (IOException e) {
      return 0;
    }
  }

  private boolean udpListening(int port) {
    String hex = String.format(Locale.ROOT, ":%04X ", port);
    for (String f : List.of("net/udp", "net/udp6")) {
      try {
        if (Files.readAllLines(p.proc().resolve(f)).stream().skip(1)
            .anyMatch(l -> l.trim().split("\\s+").length > 2 && (l.trim().split("\\s+")[1] + " ").endsWith(hex))) {
          return true;
        }
      } catch (IOException e) {
        // no such table: not listening there
      }
    }
    return false;
  }

  private Optional<String> read(String rel) {
    try {
      return Optional.of(Files.readString(p.proc().resolve(rel)).trim());
    } catch (IOException e) {
      return Optional.empty();
    }
  }

  private void result(String label, List<String> problems) {
    out.printf("%-60s\t[%s]%n", label, problems.isEmpty() ? "OK" : "FAILED");
    for (String line : problems) {
      out.println("  " + line);
    }
    failed |= !problems.isEmpty();
  }
}
