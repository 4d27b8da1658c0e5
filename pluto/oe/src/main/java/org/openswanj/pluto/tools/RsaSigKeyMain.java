package org.openswanj.pluto.tools;

import java.io.PrintStream;
import java.nio.file.Path;
import java.security.interfaces.RSAPrivateCrtKey;
import java.time.Clock;
import java.time.ZonedDateTime;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code ipsec rsasigkey [--verbose] [--random FILE] [--hostname H] NBITS}: prints a new RSA key as the body
 * of an ipsec.secrets {@code : RSA { ... }} entry (Openswan 2.6's rsasigkey(8) format). The narrative of
 * {@code --verbose} goes to stderr. Exit 0, 1 on a bad bit count or unreadable random source or usage error.
 */
@Command(name = "rsasigkey",
    description = "Generate an RSA signature key, printed in ipsec.secrets format.")
public final class RsaSigKeyMain implements Callable<Integer> {
  @Option(names = "--help", usageHelp = true, description = "show this help")
  boolean help;
  @Option(names = "--verbose", description = "narrate the steps on stderr")
  boolean verbose;
  @Option(names = "--random", paramLabel = "FILE", description = "also mix bytes from FILE into the generator")
  Path random;
  @Option(names = "--hostname", paramLabel = "HOST", description = "host name for the comment line")
  String hostname;
  @Parameters(index = "0", paramLabel = "NBITS", description = "modulus size in bits (a multiple of 16)")
  int nbits;

  private final PrintStream out;
  private final PrintStream err;
  private final Clock clock;

  RsaSigKeyMain(PrintStream out, PrintStream err, Clock clock) {
    this.out = out;
    this.err = err;
    this.clock = clock;
  }

  public static void main(String[] args) {
    System.exit(run(args, System.out, System.err, Clock.systemDefaultZone()));
  }

  public static int run(String[] args, PrintStream out, PrintStream err, Clock clock) {
    return Tools.run(new RsaSigKeyMain(out, err, clock), args, out, err);
  }

  @Override
  public Integer call() throws ToolException {
    out.print(generateBlock(nbits, random, hostname, verbose ? err : null, clock));
    out.flush();
    return 0;
  }

  /** The checks, the key and its block; shared with newhostkey, which wraps the block in {@code : RSA { }}. */
  static String generateBlock(int nbits, Path random, String host, PrintStream verbose, Clock clock)
      throws ToolException {
    HostKeys.checkBits(nbits);
    var rnd = HostKeys.random(random, verbose);
    if (verbose != null) {
      verbose.println("generating a " + nbits + "-bit RSA key (e=65537) with the JDK...");
    }
    long t0 = System.nanoTime();
    RSAPrivateCrtKey k = HostKeys.generate(nbits, rnd);
    if (verbose != null) {
      verbose.printf("found it in %d ms.%noutput...%n%n", (System.nanoTime() - t0) / 1_000_000);
    }
    return HostKeys.block(k, host != null ? host : Tools.hostName(), ZonedDateTime.now(clock));
  }
}
