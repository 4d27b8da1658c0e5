package org.openswanj.pluto.daemon;

import java.io.File;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import org.openswanj.conf.AutoAction;
import org.openswanj.conf.ConfigLoader;
import org.openswanj.conf.ConnConfig;
import org.openswanj.conf.Diagnostic;
import org.openswanj.conf.LoadResult;
import org.openswanj.conf.OpenswanPaths;
import org.openswanj.conf.Severity;
import org.openswanj.conf.cli.PlutoAdder;
import org.openswanj.pluto.daemon.control.PlutoArgs;
import org.openswanj.pluto.daemon.control.PlutoProcess;
import org.openswanj.whack.cli.PlutoUnreachableException;
import org.openswanj.whack.cli.WhackAdder;
import org.openswanj.whack.cli.WhackClient;
import org.openswanj.whack.proto.ReplyLine;
import org.openswanj.whack.proto.WhackRequest;

/**
 * {@code ipsec setup start|stop|restart|status}, as Openswan's setup/_realsetup: start pluto detached with
 * the options of {@code config setup}, wait for its control socket, {@code --listen}, add the
 * auto=add|route|start conns, route the route ones, initiate the start ones; stop it with whack
 * --shutdown; report whether it runs (exit 0 running, 3 stopped, 1 half-there, as _realsetup).
 */
public final class SetupMain {
  static final String ME = "ipsec_setup";
  static final String VERSION = "openswanj 0.1.0";
  /**
   * setup.in's verbs. reload applies the difference between the files and the running conns (Openswan restarts;
   * every unchanged tunnel stays up here); force-reload restarts; condrestart and try-restart restart a running pluto.
   */
  static final List<String> VERBS = List.of("start", "stop", "restart", "reload", "force-reload", "condrestart",
      "try-restart", "status", "version");
  static final String USAGE = "Usage: ipsec setup {" + String.join("|", VERBS) + "} [--config FILE]"
      + " [--ctlbase PATH] [--secretsfile FILE] [--ipsecdir DIR]";

  /** Paths given on the command line (Openswan's defaults otherwise). */
  record Paths(Path config, String ctlbase, Path secrets, Path ipsecDir) {
    Path socket() {
      return OpenswanPaths.controlSocket(ctlbase);
    }

    Path pidFile() {
      return OpenswanPaths.pidFile(ctlbase);
    }
  }

  private final List<String> plutoCommand;
  private final PrintStream out;
  private final Duration startTimeout;

  /** {@code plutoCommand}: how to run pluto, e.g. {@code [<top>/bin/ipsec, pluto]}; pluto's options follow. */
  SetupMain(List<String> plutoCommand, PrintStream out, Duration startTimeout) {
    this.plutoCommand = List.copyOf(plutoCommand);
    this.out = out;
    this.startTimeout = startTimeout;
  }

  public static void main(String[] args) {
    System.exit(run(args, System.out, System.err));
  }

  /** Runs {@code ipsec setup}; returns the exit status. Never throws. */
  public static int run(String[] args, PrintStream out, PrintStream err) {
    return run(args, List.of(InstallTop.current().ipsec().toString(), "pluto"), out, err,
        startTimeout(System.getenv("IPSEC_SETUP_TIMEOUT"), err));
  }

  /**
   * How long {@code setup start} waits for pluto's control socket: 20 s, or {@code IPSEC_SETUP_TIMEOUT} seconds on a
   * machine where a JVM starts slowly (an emulated guest); a value that is not a number of seconds is named.
   */
  static Duration startTimeout(String env, PrintStream err) {
    if (env == null || env.isBlank()) {
      return Duration.ofSeconds(20);
    }
    try {
      long s = Long.parseLong(env.strip());
      if (s >= 1 && s <= 3600) {
        return Duration.ofSeconds(s);
      }
    } catch (NumberFormatException e) {
      // named below
    }
    err.println("ipsec setup: IPSEC_SETUP_TIMEOUT='" + env + "' is not 1..3600 seconds; waiting 20 s");
    return Duration.ofSeconds(20);
  }

  static int run(String[] args, List<String> plutoCommand, PrintStream out, PrintStream err, Duration timeout) {
    String action = null;
    Path config = OpenswanPaths.CONFIG;
    String ctlbase = OpenswanPaths.CTLBASE;
    Path secrets = OpenswanPaths.SECRETS;
    Path ipsecDir = OpenswanPaths.IPSEC_DIR;
    for (int i = 0; i < args.length; i++) {
      String a = args[i];
      boolean valued = List.of("--config", "--ctlbase", "--secretsfile", "--ipsecdir").contains(a);
      if (valued && i + 1 >= args.length) {
        err.println("ipsec setup: " + a + " needs a value");
        return 2;
      }
      switch (a) {
        case "--config" -> config = Path.of(args[++i]);
        case "--ctlbase" -> ctlbase = args[++i];
        case "--secretsfile" -> secrets = Path.of(args[++i]);
        case "--ipsecdir" -> ipsecDir = Path.of(args[++i]);
        default -> {
          String word = a.startsWith("--") ? a.substring(2) : a;
          if (action != null || !VERBS.contains(word)) {
            err.println(USAGE);
            return 2; // setup.in: RETVAL=2 for an unknown verb
          }
          action = word;
        }
      }
    }
    if (action == null) {
      err.println(USAGE);
      return 2;
    }
    SetupMain setup = new SetupMain(plutoCommand, out, timeout);
    Paths paths = new Paths(config, ctlbase, secrets, ipsecDir);
    try {
      return switch (action) {
        case "start" -> setup.start(paths);
        case "stop" -> setup.stop(paths);
        case "restart", "force-reload" -> setup.stop(paths) == 0 ? setup.start(paths) : 1;
        case "reload" -> running(paths) ? setup.reload(paths) : setup.start(paths);
        case "condrestart", "try-restart" -> running(paths) ? (setup.stop(paths) == 0 ? setup.start(paths) : 1) : 0;
        case "version" -> {
          out.println("Linux Openswan-compatible " + VERSION);
          yield 0;
        }
        default -> setup.status(paths);
      };
    } catch (IOException | RuntimeException e) {
      err.println(ME + ": " + action + " failed: " + e.getMessage());
      return 1;
    }
  }

  int start(Paths p) throws IOException {
    if (!Files.isRegularFile(p.config())) {
      say("cannot find " + p.config());
      return 6; // setup.in verify_config: test -f ipsec.conf || exit 6
    }
    LoadResult loaded = ConfigLoader.load(p.config());
    if (loaded.hasErrors()) {
      say("failed to start openswan IKE daemon - the following error occured:");
      loaded.diagnostics().stream().filter(d -> d.severity() == Severity.ERROR).map(Diagnostic::format)
          .forEach(this::say);
      return 3; // setup.in exits with addconn --checkconfig's status: 3, "can not load config"
    }
    if (running(p)) {
      say("Openswan IPsec apparently already active, start aborted");
      return 0; // _realsetup: exit 0
    }
    say("Starting Openswan IPsec " + VERSION + "...");
    Files.deleteIfExists(p.pidFile()); // left by a dead pluto: the new one writes its own
    Process pluto = launch(p, PlutoArgs.of(loaded.config().setup(), p.config(), p.ctlbase(), p.secrets(),
        p.ipsecDir()), loaded.config().setup().plutoStderrLog());
    Optional<String> failure = awaitControlSocket(pluto, p.socket());
    if (failure.isPresent()) {
      pluto.descendants().forEach(ProcessHandle::destroy); // a pluto that never answers must not linger
      pluto.destroy();
      say("...unable to start Openswan IPsec: " + failure.get());
      return 1;
    }
    WhackClient whack = new WhackClient(p.socket());
    try {
      whack.send(new WhackRequest.Listen(), this::say);
      loadConns(whack, loaded.config().conns());
    } catch (PlutoUnreachableException e) {
      say("...unable to start Openswan IPsec: " + e.getMessage());
      return 1;
    }
    say("...Openswan IPsec started");
    return 0;
  }

  /**
   * reload: rescan interfaces and reread secrets (whack --listen), delete the conns the files no longer have, send
   * every other conn as a replacement (pluto keeps an unchanged one, SAs and all), and route or initiate only the
   * conns that were added or replaced, as their auto= says.
   */
  int reload(Paths p) throws IOException {
    if (!Files.isRegularFile(p.config())) {
      say("cannot find " + p.config());
      return 6;
    }
    LoadResult loaded = ConfigLoader.load(p.config());
    if (loaded.hasErrors()) {
      say("failed to reload openswan IKE daemon - the following error occured:");
      loaded.diagnostics().stream().filter(d -> d.severity() == Severity.ERROR).map(Diagnostic::format)
          .forEach(this::say);
      return 3;
    }
    say("Reloading Openswan IPsec " + VERSION + "...");
    List<ConnConfig> wanted = new ArrayList<>();
    loaded.config().conns().stream().filter(c -> c.auto() != AutoAction.IGNORE && c.hasBothEnds())
        .forEach(c -> wanted.addAll(WhackAdder.instances(c, this::say))); // leftsubnets=: the instances
    java.util.Set<String> names = new java.util.HashSet<>();
    wanted.forEach(c -> names.add(c.name()));
    WhackClient whack = new WhackClient(p.socket());
    try {
      whack.send(new WhackRequest.Listen(), this::say);
      List<String> running = new ArrayList<>();
      whack.send(new WhackRequest.ConnNames(), line -> ReplyLine.parse(line).ifPresent(r -> running.add(r.text())));
      for (String n : running) {
        if (!names.contains(n)) {
          whack.send(new WhackRequest.DeleteConn(n), this::say);
        }
      }
      List<WhackRequest> after = new ArrayList<>();
      int changed = 0;
      int unchanged = 0;
      for (ConnConfig c : wanted) {
        boolean[] added = {false};
        boolean[] kept = {false};
        whack.send(new WhackRequest.ReplaceConn(c.name(), c.keywords()), line -> {
          added[0] |= line.contains("added connection description");
          kept[0] |= line.endsWith("\": unchanged");
          if (!kept[0]) {
            say(line);
          }
        });
        unchanged += kept[0] ? 1 : 0;
        if (added[0]) {
          changed++;
          if (c.auto() == AutoAction.ROUTE) {
            after.add(new WhackRequest.Route(c.name()));
          } else if (c.auto() == AutoAction.START) {
            after.add(new WhackRequest.Initiate(c.name(), true));
          }
        }
      }
      for (WhackRequest r : after) {
        whack.send(r, this::say);
      }
      int failed = wanted.size() - changed - unchanged;
      say("...Openswan IPsec reloaded: " + changed + " conn(s) added or replaced, " + unchanged + " unchanged"
          + (failed == 0 ? "" : ", " + failed + " failed (see above)"));
    } catch (PlutoUnreachableException e) {
      say("...unable to reload Openswan IPsec: " + e.getMessage());
      return 1;
    }
    return 0;
  }

  /** Adds every auto=add|route|start conn, then routes the route ones and initiates the start ones. */
  private void loadConns(WhackClient whack, List<ConnConfig> conns) throws IOException, PlutoUnreachableException {
    List<ConnConfig> auto = conns.stream().filter(c -> c.auto() != AutoAction.IGNORE && c.hasBothEnds()).toList();
    WhackAdder.add(whack, auto, PlutoAdder.Then.ROUTE_AND_START, this::say);
  }

  /** Starts pluto in its own session, output to plutostderrlog (or nowhere), not waiting for it. */
  private Process launch(Paths p, List<String> plutoArgs, String stderrLog) throws IOException {
    List<String> cmd = new ArrayList<>();
    if (Files.isExecutable(Path.of("/usr/bin/setsid"))) {
      cmd.add("/usr/bin/setsid"); // a terminal's ^C must not reach the daemon
    }
    cmd.addAll(plutoCommand);
    cmd.addAll(plutoArgs);
    Files.createDirectories(p.socket().toAbsolutePath().getParent());
    ProcessBuilder pb = new ProcessBuilder(cmd).redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")));
    ProcessBuilder.Redirect output = stderrLog.isBlank() ? ProcessBuilder.Redirect.DISCARD
        : ProcessBuilder.Redirect.appendTo(new File(stderrLog));
    return pb.redirectOutput(output).redirectError(output).start();
  }

  /** Waits for the socket to answer; empty on success, else why not. */
  private Optional<String> awaitControlSocket(Process pluto, Path socket) {
    long deadline = System.nanoTime() + startTimeout.toNanos();
    while (System.nanoTime() < deadline) {
      if (PlutoProcess.answers(socket)) {
        return Optional.empty();
      }
      if (!pluto.isAlive()) {
        return Optional.of("pluto exited with status " + pluto.exitValue() + " before \"" + socket + "\" answered");
      }
      sleep(100);
    }
    return Optional.of("no answer on \"" + socket + "\" within " + startTimeout.toSeconds() + " s");
  }

  int stop(Paths p) throws IOException {
    say("Stopping Openswan IPsec...");
    Optional<Long> pid = PlutoProcess.readPid(p.pidFile()).filter(PlutoProcess::alive);
    if (!PlutoProcess.answers(p.socket()) && pid.isEmpty()) {
      say("stop ordered, but IPsec appears to be already stopped!");
      say("doing cleanup anyway...");
      cleanup(p);
      say("...Openswan IPsec stopped");
      return 0;
    }
    try {
      new WhackClient(p.socket()).send(new WhackRequest.Shutdown(), line -> {
        if (!line.startsWith("002")) { // as _realsetup: whack --shutdown | grep -v "^002"
          say(line);
        }
      });
    } catch (PlutoUnreachableException e) {
      say(e.getMessage());
    }
    if (!awaitExit(p, pid, Duration.ofSeconds(10)) && pid.isPresent()) {
      say("Attempt to shut Pluto down failed!  Trying kill:");
      ProcessHandle.of(pid.get()).ifPresent(ProcessHandle::destroy);
      awaitExit(p, pid, Duration.ofSeconds(5));
    }
    cleanup(p);
    say("...Openswan IPsec stopped");
    return 0;
  }

  private boolean awaitExit(Paths p, Optional<Long> pid, Duration timeout) {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (System.nanoTime() < deadline) {
      boolean gone = pid.map(x -> !PlutoProcess.alive(x)).orElseGet(() -> !PlutoProcess.answers(p.socket()));
      if (gone) {
        return true;
      }
      sleep(100);
    }
    return false;
  }

  /** A pluto runs on these paths: its socket answers, or its pid file names a live process. */
  private static boolean running(Paths p) {
    return PlutoProcess.answers(p.socket()) || PlutoProcess.readPid(p.pidFile()).filter(PlutoProcess::alive).isPresent();
  }

  /** Removes what a dead pluto left; never a live pluto's files. */
  private static void cleanup(Paths p) throws IOException {
    if (PlutoProcess.readPid(p.pidFile()).filter(PlutoProcess::alive).isEmpty()) {
      Files.deleteIfExists(p.pidFile());
    }
    if (!PlutoProcess.answers(p.socket())) {
      Files.deleteIfExists(p.socket());
    }
  }

  /** _realsetup's status: 0 running, 3 stopped and clean, 1 stopped but something is left. */
  int status(Paths p) throws IOException {
    Optional<Long> pid = PlutoProcess.readPid(p.pidFile());
    boolean alive = pid.filter(PlutoProcess::alive).isPresent();
    boolean answers = PlutoProcess.answers(p.socket());
    if (alive && answers) {
      out.println("IPsec running - pluto pid: " + pid.get());
      out.println("pluto pid " + pid.get());
      long tunnels = countTunnels(p);
      out.println(tunnels == 0 ? "No tunnels up" : tunnels + " tunnels up");
      return 0;
    }
    out.println("IPsec stopped");
    if (pid.isEmpty() && !answers && !Files.exists(p.socket())) {
      return 3;
    }
    out.println("but...");
    if (answers) {
      out.println("An illicit Pluto is active? (\"" + p.socket() + "\" answers, no live pid in " + p.pidFile() + ")");
    } else if (pid.isPresent()) {
      out.println("An dead Pluto is active? (" + p.pidFile() + " names pid " + pid.get() + ", which is gone)");
    } else {
      out.println("has a stale control socket " + p.socket() + "!");
    }
    return 1;
  }

  private static long countTunnels(Paths p) throws IOException {
    long[] count = {0};
    try {
      new WhackClient(p.socket()).send(new WhackRequest.Status(false), line -> {
        String l = line.toLowerCase(Locale.ROOT);
        if (l.contains("ipsec sa established") || l.contains("child sa established")) {
          count[0]++;
        }
      });
    } catch (PlutoUnreachableException e) {
      return 0;
    }
    return count[0];
  }

  private void say(String line) {
    out.println(ME + ": " + line);
    out.flush();
  }

  private static void sleep(long millis) {
    try {
      Thread.sleep(millis);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
