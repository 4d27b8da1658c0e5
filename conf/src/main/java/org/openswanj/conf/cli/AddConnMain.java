package org.openswanj.conf.cli;

import java.io.PrintStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import org.openswanj.conf.AutoAction;
import org.openswanj.conf.ConfigLoader;
import org.openswanj.conf.ConnConfig;
import org.openswanj.conf.Diagnostic;
import org.openswanj.conf.LoadResult;
import org.openswanj.conf.OpenswanPaths;
import org.openswanj.conf.Severity;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine;

/** {@code ipsec addconn}: check ipsec.conf, list its conns, or (through a {@link PlutoAdder}) add them. */
@Command(name = "addconn", mixinStandardHelpOptions = true, sortOptions = false,
    description = "Read ipsec.conf: check it, list conns, or add conns to pluto.")
public final class AddConnMain implements Callable<Integer> {
  @Option(names = "--config", paramLabel = "FILE", description = "ipsec.conf to read (default ${DEFAULT-VALUE})")
  Path config = OpenswanPaths.CONFIG;
  @Option(names = "--checkconfig", description = "only check: print FILE:LINE: message per problem, exit 1 on errors")
  boolean checkConfig;
  @Option(names = "--warningsfatal", description = "treat warnings as errors")
  boolean warningsFatal;
  @Option(names = "--listall", description = "print every conn name")
  boolean listAll;
  @Option(names = "--liststart", description = "print conns with auto=start")
  boolean listStart;
  @Option(names = "--listroute", description = "print conns with auto=route")
  boolean listRoute;
  @Option(names = "--autoall", description = "add every conn with auto=add|route|start to pluto")
  boolean autoAll;
  @Option(names = "--ctlbase", paramLabel = "PATH", description = "pluto control socket base (for adding conns)")
  String ctlbase = OpenswanPaths.CTLBASE;
  @Option(names = {"--verbose", "--noexport", "--rootdir", "--defaultroute", "--defaultroutenexthop"},
      hidden = true, arity = "0..1", description = "accepted for Openswan compatibility; ignored")
  List<String> ignored = new ArrayList<>();
  @Parameters(paramLabel = "CONN", description = "conns to add to pluto")
  List<String> names = new ArrayList<>();

  private final PlutoAdder adder;
  private final PrintStream out;
  private final PrintStream err;

  public AddConnMain(PlutoAdder adder, PrintStream out, PrintStream err) {
    this.adder = adder;
    this.out = out;
    this.err = err;
  }

  public static void main(String[] args) {
    System.exit(run(args, PlutoAdder.unavailable(), System.out, System.err));
  }

  /** Runs the command line; returns the exit status (0 ok, 1 config errors, 2 usage). */
  public static int run(String[] args, PlutoAdder adder, PrintStream out, PrintStream err) {
    CommandLine cl = new CommandLine(new AddConnMain(adder, out, err));
    cl.setOut(new java.io.PrintWriter(out, true));
    cl.setErr(new java.io.PrintWriter(err, true));
    return cl.execute(args);
  }

  @Override
  public Integer call() {
    LoadResult r = ConfigLoader.load(config);
    boolean failed = false;
    for (Diagnostic d : r.diagnostics()) {
      boolean fatal = d.severity() == Severity.ERROR || warningsFatal;
      failed |= fatal;
      err.println(fatal && d.severity() == Severity.WARNING
          ? new Diagnostic(d.file(), d.line(), Severity.ERROR, d.message()).format() : d.format());
    }
    if (failed) {
      return 1;
    }
    if (listAll || listStart || listRoute) {
      for (ConnConfig c : r.config().conns()) {
        if (listAll || (listStart && c.auto() == AutoAction.START) || (listRoute && c.auto() == AutoAction.ROUTE)) {
          out.println(c.name());
        }
      }
      return 0;
    }
    if (checkConfig) {
      return 0;
    }
    return addToPluto(r);
  }

  // ---- the hook: everything below hands conns to pluto through the PlutoAdder (whack provides it).
  private int addToPluto(LoadResult r) {
    List<ConnConfig> chosen = new ArrayList<>();
    for (String n : names) {
      var c = r.config().conn(n);
      if (c.isEmpty()) {
        err.println("addconn: conn '" + n + "' not found in " + config);
        return 1;
      }
      chosen.add(c.get());
    }
    if (autoAll) {
      r.config().conns().stream().filter(c -> c.auto() != AutoAction.IGNORE).forEach(chosen::add);
    }
    if (chosen.isEmpty()) {
      err.println("addconn: nothing to do (give --checkconfig, --listall, --autoall or conn names)");
      return 2;
    }
    return adder.add(r.config().setup(), chosen, autoAll, ctlbase, out, err);
  }
}
