package org.openswanj.conf.cli;

import java.io.PrintStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import org.openswanj.conf.AutoAction;
import org.openswanj.conf.ConfigException;
import org.openswanj.conf.ConfigLoader;
import org.openswanj.conf.ConnConfig;
import org.openswanj.conf.Diagnostic;
import org.openswanj.conf.LoadResult;
import org.openswanj.conf.OpenswanPaths;
import org.openswanj.conf.Severity;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code ipsec addconn}, as Openswan 2.6's programs/addconn/addconn.c: check ipsec.conf, list its conns, export
 * {@code config setup} for the init scripts, or add conns to a running pluto through a {@link PlutoAdder} (the
 * whack module's; {@code bin/ipsec addconn} runs it from there). Exit status: 0 ok, 1 config errors, 10 usage
 * (addconn.c's usage() exits 10), for {@code NAME...} whack's status of the last add plus one per name not found.
 */
@Command(name = "addconn", mixinStandardHelpOptions = true, sortOptions = false,
    description = "Read ipsec.conf: check it, list conns, export config setup, or add conns to pluto.")
public final class AddConnMain implements Callable<Integer> {
  /** addconn.c's usage() status. */
  static final int USAGE = 10;

  @Option(names = "--config", paramLabel = "FILE", description = "ipsec.conf to read (default ${DEFAULT-VALUE})")
  Path config = OpenswanPaths.CONFIG;
  @Option(names = "--checkconfig", description = "only check: print FILE:LINE: message per problem, exit 1 on errors")
  boolean checkConfig;
  @Option(names = "--warningsfatal", description = "treat warnings as errors")
  boolean warningsFatal;
  @Option(names = "--listall", description = "print every conn name")
  boolean listAll;
  @Option(names = "--liststart", description = "print the conns with auto=start")
  boolean listStart;
  @Option(names = "--listroute", description = "print the conns with auto=route or auto=start")
  boolean listRoute;
  @Option(names = "--addall", description = "add every conn with auto=add|route|start to pluto")
  boolean addAll;
  @Option(names = "--autoall", description = "as --addall, then route auto=route and initiate auto=start conns")
  boolean autoAll;
  @Option(names = "--configsetup", description = "print config setup as shell assignments (export PREFIXkey='value')")
  boolean configSetup;
  @Option(names = "--varprefix", paramLabel = "PREFIX", description = "prefix of the --configsetup variables")
  String varPrefix = "";
  @Option(names = "--ctlbase", paramLabel = "PATH", description = "pluto control socket base (for adding conns)")
  String ctlbase = OpenswanPaths.CTLBASE;
  @Option(names = {"--verbose", "--debug", "--noexport", "--rootdir", "--defaultroute", "--defaultroutenexthop"},
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

  /** Runs the command line; returns the exit status. */
  public static int run(String[] args, PlutoAdder adder, PrintStream out, PrintStream err) {
    CommandLine cl = new CommandLine(new AddConnMain(adder, out, err));
    cl.setOut(new java.io.PrintWriter(out, true));
    cl.setErr(new java.io.PrintWriter(err, true));
    cl.setParameterExceptionHandler((ex, args1) -> {
      err.println("addconn: " + ex.getMessage());
      ex.getCommandLine().usage(err);
      return USAGE;
    });
    return cl.execute(args);
  }

  @Override
  public Integer call() throws ConfigException {
    boolean listing = listAll || listStart || listRoute;
    if (!checkConfig && !listing && !addAll && !autoAll && !configSetup && names.isEmpty()) {
      err.println("addconn: nothing to do (give --checkconfig, --list*, --addall, --autoall, --configsetup or conn "
          + "names)");
      return USAGE;
    }
    LoadResult r = ConfigLoader.load(config);
    if (!report(r)) {
      return 1;
    }
    if (configSetup) { // setup.in passes the config file as a name too: names are ignored here, as in addconn.c
      ConfigSetupExport.lines(r.config().setup(), varPrefix).forEach(out::println);
      return 0;
    }
    if (listing) {
      list(r);
      return 0;
    }
    if (checkConfig) {
      return 0;
    }
    if (addAll || autoAll) {
      List<ConnConfig> auto = r.config().conns().stream().filter(c -> c.auto() != AutoAction.IGNORE).toList();
      adder.add(auto, autoAll ? PlutoAdder.Then.ROUTE_AND_START : PlutoAdder.Then.NOTHING, ctlbase, out, err);
      return 0; // addconn.c ignores the adds' results for --addall
    }
    return addNamed(r);
  }

  /** Prints the diagnostics; false when they are fatal. */
  private boolean report(LoadResult r) {
    boolean failed = false;
    for (Diagnostic d : r.diagnostics()) {
      boolean fatal = d.severity() == Severity.ERROR || warningsFatal;
      failed |= fatal;
      err.println(fatal && d.severity() == Severity.WARNING
          ? new Diagnostic(d.file(), d.line(), Severity.ERROR, d.message()).format() : d.format());
    }
    return !failed;
  }

  /** --listall one per line; --liststart and --listroute as addconn.c prints them, "a b \n". */
  private void list(LoadResult r) {
    if (listAll) {
      r.config().conns().forEach(c -> out.println(c.name()));
      return;
    }
    StringBuilder line = new StringBuilder();
    for (ConnConfig c : r.config().conns()) {
      if (c.auto() == AutoAction.START || (listRoute && c.auto() == AutoAction.ROUTE)) {
        line.append(c.name()).append(' ');
      }
    }
    out.println(line);
  }

  /** addconn.c's loop: each name (or connalias) regardless of auto=; a name not found adds one to the status. */
  private int addNamed(LoadResult r) {
    int status = 0;
    java.util.Set<String> added = new java.util.HashSet<>();
    for (String n : names) {
      java.util.Optional<ConnConfig> c = find(r, n);
      if (c.isEmpty()) {
        out.println("conn '" + n + "': not found (tried aliases)");
        status = Math.min(status + 1, 255); // an exit status wraps at 256 (addconn.c's would: 255 + 1 exits 0)
      } else if (!added.add(c.get().name())) {
        out.println("\nconn " + c.get().name() + " already added");
      } else {
        status = adder.add(List.of(c.get()), PlutoAdder.Then.NOTHING, ctlbase, out, err);
      }
    }
    return status;
  }

  private static java.util.Optional<ConnConfig> find(LoadResult r, String name) {
    List<ConnConfig> conns = r.config().conns();
    return conns.stream().filter(c -> c.name().equalsIgnoreCase(name)).findFirst()
        .or(() -> conns.stream().filter(c -> aliases(c).stream().anyMatch(name::equalsIgnoreCase)).findFirst());
  }

  private static List<String> aliases(ConnConfig c) {
    String a = c.keywords().get("connalias");
    return a == null ? List.of() : org.openswanj.conf.Values.list(a);
  }
}
