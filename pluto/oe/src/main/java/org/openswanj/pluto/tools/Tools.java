package org.openswanj.pluto.tools;

import java.io.IOException;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import picocli.CommandLine;

/**
 * What the host key tools share: picocli set up so that a usage error is one line on stderr and exit 1, a
 * {@link ToolException} is one line with its own exit status, and nothing prints a stack trace.
 */
final class Tools {
  /** Exit status of a usage error (unknown option, missing or malformed argument). */
  static final int USAGE = 1;

  private Tools() {}

  /** Runs {@code command} (a picocli {@code Callable<Integer>}) as {@code ipsec NAME ARGS...}. */
  static int run(Object command, String[] args, PrintStream out, PrintStream err) {
    CommandLine cl = new CommandLine(command);
    String name = "ipsec " + cl.getCommandName();
    cl.setOut(new PrintWriter(out, true));
    cl.setErr(new PrintWriter(err, true));
    cl.setParameterExceptionHandler((ex, a) -> {
      err.println(name + ": " + ex.getMessage() + " (see '" + name + " --help')");
      return USAGE;
    });
    cl.setExecutionExceptionHandler((ex, c, parsed) -> {
      if (ex instanceof ToolException t) {
        err.println(name + ": " + t.getMessage());
        return t.exitCode();
      }
      err.println(name + ": internal error: " + ex);
      return 70;
    });
    return cl.execute(args);
  }

  /** The host name, as gethostname(2) gives it (the UTS name; never a DNS look-up). */
  static String hostName() {
    try {
      String h = Files.readString(Path.of("/proc/sys/kernel/hostname"), StandardCharsets.US_ASCII).strip();
      return h.isEmpty() ? "localhost" : h;
    } catch (IOException e) {
      return "localhost";
    }
  }
}
