package org.openswanj.pluto.daemon;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.openswanj.conf.ConfigException;
import org.openswanj.conf.DebugWord;
import org.openswanj.conf.ListenAddress;
import org.openswanj.conf.OpenswanPaths;
import org.openswanj.conf.Protostack;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.ISetter;
import picocli.CommandLine.Model.OptionSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine;

/**
 * pluto's command line, as Openswan's programs/pluto/plutomain.c takes it. {@code stack} is empty when
 * no --use-* was given (then {@code protostack=} of config setup decides); {@code debug} holds the
 * --debug-* words in order ("none" and "all" included, as whack sends them); {@code nhelpers} -1 means
 * "one per CPU less one", Openswan's default. {@code metrics}: where OpenMetrics is served over HTTP (ours),
 * empty for nowhere.
 */
public record PlutoOptions(boolean help, boolean version, boolean nofork, boolean stderrlog, boolean stderrLogTime,
    String ctlbase,
    Path secretsFile, Path ipsecDir, Path config, Optional<Protostack> stack, List<String> listen, int ikePort,
    int natIkePort, int nhelpers, boolean uniqueIds, boolean natTraversal, int keepAliveSeconds,
    boolean forceKeepalive, Optional<String> virtualPrivate, List<String> debug, Optional<Path> logFile,
    boolean perPeerLog, java.time.Duration shuntLifetime, Optional<ListenAddress> metrics) {

  public PlutoOptions {
    listen = List.copyOf(listen);
    debug = List.copyOf(debug);
  }

  /** {@code <ctlbase>.ctl}, the whack socket. */
  public Path ctlSocket() {
    return OpenswanPaths.controlSocket(ctlbase);
  }

  /** {@code <ctlbase>.pid}, which also keeps a second pluto from starting. */
  public Path pidFile() {
    return OpenswanPaths.pidFile(ctlbase);
  }

  /** A command line pluto cannot run with; the message is one line, the exit status 2. */
  public static final class UsageError extends Exception {
    private static final long serialVersionUID = 1L;

    public UsageError(String message) {
      super(message);
    }

    public int exitStatus() {
      return 2;
    }
  }

  /** Parses pluto's arguments. */
  public static PlutoOptions parse(String[] args) throws UsageError {
    Raw raw = new Raw();
    CommandSpec spec = CommandSpec.forAnnotatedObject(raw).name("ipsec pluto");
    spec.parser().overwrittenOptionsAllowed(true);
    for (String word : DebugWord.words()) {
      spec.addOption(OptionSpec.builder("--debug-" + word).arity("0").type(boolean.class)
          .setter(new ISetter() {
            @Override
            public <T> T set(T value) {
              if (Boolean.TRUE.equals(value)) {
                raw.debug.add(DebugWord.canonical(word).orElseThrow());
              }
              return null;
            }
          }).build());
    }
    try {
      new CommandLine(spec).parseArgs(args);
    } catch (ParameterException e) {
      throw new UsageError("pluto: " + e.getMessage() + " (see 'ipsec pluto --help')");
    }
    return raw.validated();
  }

  /** The option list for --help. */
  public static String usage() {
    return "Usage: ipsec pluto [--nofork] [--stderrlog] [--ctlbase PATH] [--secretsfile FILE] [--ipsecdir DIR]\n"
        + "       [--config FILE] [--use-nostack|--use-netkey|--use-klips|--use-auto] [--listen ADDR]\n"
        + "       [--ikeport N] [--natikeport N] [--nhelpers N] [--uniqueids] [--nat_traversal]\n"
        + "       [--keep_alive SECONDS] [--force_keepalive] [--virtual_private LIST] [--logfile FILE]\n"
        + "       [--perpeerlog] [--shuntlifetime SECONDS] [--metrics ADDRESS:PORT]\n"
        + "       [--debug-none|--debug-all|--debug-WORD ...], WORD one of "
        + String.join(" ", DebugWord.words().subList(2, DebugWord.words().size())) + "\n";
  }

  /** picocli's target; turned into the record by {@link #validated()}. */
  static final class Raw {
    @Option(names = {"--help", "-h"}) boolean help;
    @Option(names = {"--version", "-v"}) boolean version;
    @Option(names = "--nofork") boolean nofork;
    @Option(names = "--stderrlog") boolean stderrlog;
    /** plutostderrlogtime=yes: each stderr line behind its time, to the microsecond (as Libreswan's pluto). */
    @Option(names = "--plutostderrlogtime") boolean stderrLogTime;
    @Option(names = "--ctlbase", paramLabel = "PATH") String ctlbase = OpenswanPaths.CTLBASE;
    @Option(names = "--secretsfile", paramLabel = "FILE") Path secretsFile = OpenswanPaths.SECRETS;
    @Option(names = {"--ipsecdir", "--ipsec_dir", "--foodgroupsdir"}, paramLabel = "DIR")
    Path ipsecDir = OpenswanPaths.IPSEC_DIR;
    @Option(names = "--config", paramLabel = "FILE") Path config = OpenswanPaths.CONFIG;
    @Option(names = {"--use-nostack", "--use-none", "--noklips"}) boolean useNone;
    @Option(names = {"--use-netkey", "--usenetkey"}) boolean useNetkey;
    @Option(names = {"--use-klips", "--useklips", "--use-mast"}) boolean useKlips;
    @Option(names = "--use-auto") boolean useAuto;
    @Option(names = {"--listen", "--interface"}, paramLabel = "ADDR") List<String> listen = new ArrayList<>();
    @Option(names = "--ikeport", paramLabel = "N") int ikePort = 500;
    @Option(names = "--natikeport", paramLabel = "N") int natIkePort = 4500;
    @Option(names = "--nhelpers", paramLabel = "N") int nhelpers = -1;
    @Option(names = "--uniqueids") boolean uniqueIds;
    @Option(names = "--nat_traversal") boolean natTraversal;
    @Option(names = "--keep_alive", paramLabel = "SECONDS") int keepAlive = 20;
    @Option(names = "--force_keepalive") boolean forceKeepalive;
    @Option(names = "--virtual_private", paramLabel = "LIST") String virtualPrivate;
    @Option(names = "--logfile", paramLabel = "FILE") Path logFile;
    @Option(names = "--perpeerlog") boolean perPeerLog;
    /** How long an OE failure shunt (%pass, %drop) stays before OE is tried again (Libreswan's default). */
    @Option(names = "--shuntlifetime", paramLabel = "SECONDS") long shuntLifetime = 900;
    /** metrics= of config setup: OpenMetrics over HTTP GET /metrics on this address only. */
    @Option(names = "--metrics", paramLabel = "ADDRESS:PORT") String metrics;
    @Option(names = {"--perpeerlogbase", "--coredir"}, paramLabel = "DIR") Path ignoredDir; // accepted, unused
    @Option(names = {"--force_busy", "--nocrsend", "--strictcrlpolicy", "--noretransmits",
        "--disable_port_floating"}) boolean ignoredFlag; // accepted, not (yet) acted on
    final List<String> debug = new ArrayList<>();

    PlutoOptions validated() throws UsageError {
      int stacks = (useNone ? 1 : 0) + (useNetkey ? 1 : 0) + (useKlips ? 1 : 0) + (useAuto ? 1 : 0);
      if (stacks > 1) {
        throw new UsageError("pluto: only one of --use-nostack, --use-netkey, --use-klips, --use-auto may be given");
      }
      Optional<Protostack> stack = useNone ? Optional.of(Protostack.NONE) : useNetkey ? Optional.of(Protostack.NETKEY)
          : useKlips ? Optional.of(Protostack.KLIPS) : useAuto ? Optional.of(Protostack.AUTO) : Optional.empty();
      port("--ikeport", ikePort);
      port("--natikeport", natIkePort);
      if (nhelpers < -1 || nhelpers > 1024) {
        throw new UsageError("pluto: --nhelpers must be -1 (automatic) to 1024, not " + nhelpers);
      }
      if (keepAlive < 0) {
        throw new UsageError("pluto: --keep_alive must not be negative");
      }
      if (shuntLifetime < 1) {
        throw new UsageError("pluto: --shuntlifetime must be at least 1 second, not " + shuntLifetime);
      }
      if (ctlbase.isEmpty()) {
        throw new UsageError("pluto: --ctlbase must not be empty");
      }
      if (virtualPrivate != null) {
        try {
          org.openswanj.conf.VirtualPrivate.parse(virtualPrivate);
        } catch (ConfigException e) {
          throw new UsageError("pluto: --" + e.getMessage());
        }
      }
      Optional<ListenAddress> metricsAt;
      try {
        metricsAt = metrics == null ? Optional.empty() : Optional.of(ListenAddress.parse("--metrics", metrics));
      } catch (ConfigException e) {
        throw new UsageError("pluto: " + e.getMessage());
      }
      return new PlutoOptions(help, version, nofork, stderrlog, stderrLogTime, ctlbase, secretsFile, ipsecDir, config, stack,
          listen, ikePort, natIkePort, nhelpers, uniqueIds, natTraversal, keepAlive,
          forceKeepalive, Optional.ofNullable(virtualPrivate), debug, Optional.ofNullable(logFile), perPeerLog,
          java.time.Duration.ofSeconds(shuntLifetime), metricsAt);
    }

    private static void port(String option, int value) throws UsageError {
      if (value < 1 || value > 65535) {
        throw new UsageError("pluto: " + option + " must be a port number 1..65535, not " + value);
      }
    }
  }
}
