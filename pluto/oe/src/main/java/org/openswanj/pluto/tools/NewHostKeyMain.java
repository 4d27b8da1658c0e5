package org.openswanj.pluto.tools;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Clock;
import java.util.Optional;
import java.util.concurrent.Callable;
import org.openswanj.conf.OpenswanPaths;
import org.openswanj.conf.secrets.SecretEntry;
import org.openswanj.conf.secrets.SecretKind;
import org.openswanj.conf.secrets.SecretsLoader;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code ipsec newhostkey --output FILE [--bits N] [--hostname H] [--random FILE] [--quiet|--verbose] [--force]}:
 * appends a new {@code : RSA { ... }} entry to FILE ({@code -} is stdout), as Openswan 2.6's newhostkey(8).
 * The file ends up mode 0600 and is replaced atomically, its earlier content kept. Beyond Openswan, a file
 * that already holds an RSA key is refused unless {@code --force}: a second bare {@code : RSA} entry would
 * never be used (pluto takes the first of equal matches), so appending one silently is a trap.
 */
@Command(name = "newhostkey", description = "Generate a new RSA host key and append it to ipsec.secrets.")
public final class NewHostKeyMain implements Callable<Integer> {
  static final Path DEFAULT_SECRETS = OpenswanPaths.SECRETS;
  static final int DEFAULT_BITS = 3072;

  @Option(names = "--help", usageHelp = true, description = "show this help")
  boolean help;
  @Option(names = "--output", paramLabel = "FILE", description = "secrets file to append to, or - for stdout")
  String output;
  @Option(names = "--bits", paramLabel = "N", description = "modulus size (default " + DEFAULT_BITS + ")")
  int bits = DEFAULT_BITS;
  @Option(names = "--hostname", paramLabel = "HOST", description = "host name for the key's comment line")
  String hostname;
  @Option(names = "--random", paramLabel = "FILE", description = "also mix bytes from FILE into the generator")
  Path random;
  @Option(names = "--quiet", description = "no narrative, no warnings (the default)")
  boolean quiet;
  @Option(names = "--verbose", description = "narrate the key generation; warn when appending")
  boolean verbose;
  @Option(names = "--force", description = "append even though FILE already holds an RSA key")
  boolean force;

  private final PrintStream out;
  private final PrintStream err;
  private final Clock clock;

  NewHostKeyMain(PrintStream out, PrintStream err, Clock clock) {
    this.out = out;
    this.err = err;
    this.clock = clock;
  }

  public static void main(String[] args) {
    System.exit(run(args, System.out, System.err, Clock.systemDefaultZone()));
  }

  public static int run(String[] args, PrintStream out, PrintStream err, Clock clock) {
    return Tools.run(new NewHostKeyMain(out, err, clock), args, out, err);
  }

  @Override
  public Integer call() throws ToolException {
    HostKeys.checkBits(bits);
    String target = output != null ? output : defaultOutput();
    boolean narrate = verbose && !quiet;
    Path file = target.equals("-") ? null : Path.of(target);
    if (file != null) {
      checkExisting(file, narrate);
    }
    String entry = ": RSA\t{\n" + RsaSigKeyMain.generateBlock(bits, random, hostname, narrate ? err : null, clock)
        + "\t}\n# do not change the indenting of that \"}\"\n";
    if (file == null) {
      out.print(entry);
      out.flush();
    } else {
      append(file, entry);
    }
    return 0;
  }

  /** Openswan's default: /etc/ipsec.secrets, but only when it does not exist yet. */
  private static String defaultOutput() throws ToolException {
    if (Files.exists(DEFAULT_SECRETS)) {
      throw new ToolException(1, "no --output specification included");
    }
    return DEFAULT_SECRETS.toString();
  }

  private void checkExisting(Path file, boolean narrate) throws ToolException {
    if (!Files.isRegularFile(file)) {
      return;
    }
    Optional<SecretEntry> rsa = SecretsLoader.load(file, OpenswanPaths.ipsecDirBeside(file))
        .secrets().entries().stream().filter(e -> e.kind() == SecretKind.RSA).findFirst();
    if (rsa.isPresent() && !force) {
      throw new ToolException(1, file + " already holds an RSA key (" + rsa.get().file() + ":" + rsa.get().line()
          + "); pluto would keep using that one. Remove it first, or give --force to append another");
    }
    if (narrate && sizeOf(file) > 0) {
      err.println("ipsec newhostkey: WARNING: file `" + file + "' exists, appending to it");
    }
  }

  /** Writes old content + entry to FILE.new (created 0600), then renames it over FILE. */
  private static void append(Path file, String entry) throws ToolException {
    Path tmp = file.resolveSibling(file.getFileName() + ".new");
    try {
      byte[] old = Files.isRegularFile(file) ? Files.readAllBytes(file) : new byte[0];
      Files.deleteIfExists(tmp);
      try (FileChannel ch = FileChannel.open(tmp, java.util.Set.of(StandardOpenOption.CREATE_NEW,
          StandardOpenOption.WRITE), PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")))) {
        ch.write(ByteBuffer.wrap(old));
        ch.write(ByteBuffer.wrap(entry.getBytes(StandardCharsets.US_ASCII)));
        ch.force(true);
      }
      Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    } catch (IOException e) {
      try {
        Files.deleteIfExists(tmp);
      } catch (IOException ignored) {
        // the message below names the real problem
      }
      throw new ToolException(1, "cannot write " + file + ": " + HostKeys.reason(e));
    }
  }

  private static long sizeOf(Path file) {
    try {
      return Files.size(file);
    } catch (IOException e) {
      return 0;
    }
  }
}
