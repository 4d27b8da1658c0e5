package org.openswanj.conf.cli;

import java.io.PrintStream;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import org.openswanj.conf.ConfigLoader;
import org.openswanj.conf.ConfigWriter;
import org.openswanj.conf.Diagnostic;
import org.openswanj.conf.LoadResult;
import org.openswanj.conf.OpenswanPaths;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine;

/** {@code ipsec readwriteconf}: the parsed ipsec.conf written back, %default and also= applied. */
@Command(name = "readwriteconf", mixinStandardHelpOptions = true,
    description = "Print the parsed ipsec.conf (setup and every conn, defaults applied, also= resolved).")
public final class ReadWriteConfMain implements Callable<Integer> {
  @Option(names = "--config", paramLabel = "FILE", description = "ipsec.conf to read (default ${DEFAULT-VALUE})")
  Path config = OpenswanPaths.CONFIG;
  @Option(names = "--ctlbase", paramLabel = "PATH", description = "accepted for compatibility; ignored")
  String ctlbase;
  @Option(names = {"--verbose", "--rootdir"}, hidden = true, arity = "0..1", description = "ignored")
  java.util.List<String> ignored = new java.util.ArrayList<>();

  private final PrintStream out;
  private final PrintStream err;

  public ReadWriteConfMain(PrintStream out, PrintStream err) {
    this.out = out;
    this.err = err;
  }

  public static void main(String[] args) {
    System.exit(run(args, System.out, System.err));
  }

  public static int run(String[] args, PrintStream out, PrintStream err) {
    CommandLine cl = new CommandLine(new ReadWriteConfMain(out, err));
    cl.setOut(new java.io.PrintWriter(out, true));
    cl.setErr(new java.io.PrintWriter(err, true));
    return cl.execute(args);
  }

  @Override
  public Integer call() {
    LoadResult r = ConfigLoader.load(config);
    for (Diagnostic d : r.diagnostics()) {
      err.println(d.format());
    }
    if (r.hasErrors()) {
      return 1;
    }
    out.print(ConfigWriter.write(r.config()));
    return 0;
  }
}
