package org.openswanj.pluto.tools;

import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HexFormat;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code ipsec ranbits [--quick] [--continuous] [--bytes] NBITS}: random bits in hex, as Openswan 2.6's
 * ranbits(8): {@code 0x} then groups of 8 digits joined by {@code _} ({@code --continuous}: no {@code _}),
 * NBITS rounded up to whole bytes, read from /dev/random ({@code --quick}: /dev/urandom).
 */
@Command(name = "ranbits", description = "Print random bits in hex.")
public final class RanBitsMain implements Callable<Integer> {
  private static final int MAX_BITS = 20000;

  @Option(names = "--help", usageHelp = true, description = "show this help")
  boolean help;
  @Option(names = "--quick", description = "read /dev/urandom instead of /dev/random")
  boolean quick;
  @Option(names = "--continuous", description = "no '_' between groups of digits")
  boolean continuous;
  @Option(names = "--bytes", description = "NBITS counts bytes, not bits")
  boolean bytes;
  @Parameters(index = "0", paramLabel = "NBITS", description = "how many random bits")
  int nbits;

  private final PrintStream out;
  private final Path random;
  private final Path quickRandom;

  RanBitsMain(PrintStream out, Path random, Path quickRandom) {
    this.out = out;
    this.random = random;
    this.quickRandom = quickRandom;
  }

  public static void main(String[] args) {
    System.exit(run(args, System.out, System.err, Path.of("/dev/random"), Path.of("/dev/urandom")));
  }

  public static int run(String[] args, PrintStream out, PrintStream err, Path random, Path quickRandom) {
    return Tools.run(new RanBitsMain(out, random, quickRandom), args, out, err);
  }

  @Override
  public Integer call() throws ToolException {
    long bits = bytes ? (long) nbits * 8 : nbits;
    if (bits <= 0) {
      throw new ToolException(1, "invalid bit count (" + bits + ")");
    }
    if (bits > MAX_BITS) {
      throw new ToolException(1, "overlarge bit count (max " + MAX_BITS + ")");
    }
    byte[] buf = read(quick ? quickRandom : random, (int) ((bits + 7) / 8));
    String hex = HexFormat.of().formatHex(buf);
    StringBuilder b = new StringBuilder("0x");
    for (int i = 0; i < hex.length(); i += 8) {
      if (i > 0 && !continuous) {
        b.append('_');
      }
      b.append(hex, i, Math.min(hex.length(), i + 8));
    }
    out.println(b);
    out.flush();
    return 0;
  }

  private static byte[] read(Path dev, int n) throws ToolException {
    byte[] buf = new byte[n];
    try (InputStream in = Files.newInputStream(dev)) {
      int done = 0;
      while (done < n) {
        int got = in.read(buf, done, n - done);
        if (got < 0) {
          throw new ToolException(1, "eof on " + dev + "!?!");
        }
        done += got;
      }
    } catch (IOException e) {
      throw new ToolException(1, "could not open " + dev + " (" + HostKeys.reason(e) + ")");
    }
    return buf;
  }
}
