package org.openswanj.whack.cli;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.function.Consumer;
import org.openswanj.conf.ConfigLoader;
import org.openswanj.conf.ConnConfig;
import org.openswanj.conf.Diagnostic;
import org.openswanj.conf.LoadResult;
import org.openswanj.conf.OpenswanPaths;
import org.openswanj.conf.Severity;
import org.openswanj.conf.SubnetPermutation;
import org.openswanj.whack.proto.WhackRequest;

/**
 * {@code ipsec auto}, as Openswan's programs/auto/auto.in: one operation, mapped onto one whack request
 * ({@code --up} = whack --name X --initiate, {@code --ready} = whack --listen ...), except {@code --add}
 * and {@code --replace}, which read the conn from ipsec.conf (Openswan runs addconn for them).
 * Options are parsed by hand because auto's grammar is positional and has its own usage rules.
 */
public final class AutoMain {
  static final String ME = "ipsec auto";
  static final String USAGE = "Usage:\n"
      + "        " + ME + " [--asynchronous] --up connectionname\n"
      + "        " + ME + " --{add|delete|replace|down} connectionname\n"
      + "        " + ME + " --{route|unroute} connectionname\n"
      + "        " + ME + " --{ready|status|rereadsecrets|rereadgroups|rereadcacerts|rereadcrls|rereadall}\n"
      + "        " + ME + " [--utc] --{listpubkeys|listcerts|listcacerts|listcrls|listall}\n"
      + "\n"
      + "other options: [--config ipsecconfigfile] [--ctlbase path]";

  /** auto's operations: the flag, how many conn names it takes. */
  enum Op {
    UP(1), DOWN(1), ADD(1), DELETE(1), REPLACE(1), ROUTE(1), UNROUTE(1),
    READY(0), STATUS(0), REREADSECRETS(0), REREADGROUPS(0), REREADCACERTS(0), REREADCRLS(0), REREADALL(0),
    LISTPUBKEYS(0), LISTCERTS(0), LISTCACERTS(0), LISTCRLS(0), LISTALL(0);

    final int argc;

    Op(int argc) {
      this.argc = argc;
    }

    String flag() {
      return "--" + name().toLowerCase(java.util.Locale.ROOT);
    }

    static Optional<Op> of(String word) {
      return Arrays.stream(values()).filter(o -> o.flag().equals(word) || o.flag().equals("--" + word)).findFirst();
    }
  }

  /** A parsed command line. */
  record Command(Op op, String name, String config, String ctlbase, boolean async, boolean utc) {
    Command withUtc(boolean u) {
      return new Command(op, name, config, ctlbase, async, u);
    }
  }

  private AutoMain() {
  }

  public static void main(String[] args) {
    System.exit(run(args, System.out, System.err));
  }

  /** Runs {@code ipsec auto}; returns the exit status. Never throws. */
  public static int run(String[] args, PrintStream out, PrintStream err) {
    Command cmd;
    try {
      cmd = parse(args, out, err);
    } catch (UsageException e) {
      err.println(e.getMessage());
      return e.exitStatus();
    }
    if (cmd == null) {
      return 0; // --help or --version
    }
    try {
      return execute(cmd, out, err);
    } catch (PlutoUnreachableException e) {
      err.println(e.getMessage());
      return 1;
    } catch (IOException e) {
      err.println("whack: talking to pluto on \"" + OpenswanPaths.controlSocket(cmd.ctlbase()) + "\" failed ("
          + e.getMessage() + ")");
      return 1;
    }
  }

  /** Parses as auto.in does; null after printing help or version. */
  static Command parse(String[] args, PrintStream out, PrintStream err) throws UsageException {
    Op op = null;
    String config = OpenswanPaths.CONFIG.toString();
    String ctlbase = OpenswanPaths.CTLBASE;
    boolean async = false;
    boolean utc = false;
    int i = 0;
    for (; i < args.length && args[i].startsWith("-"); i++) {
      String a = args[i];
      switch (a) {
        case "--help" -> {
          out.println(USAGE);
          return null;
        }
        case "--version" -> {
          out.println(ME + " (openswanj)");
          return null;
        }
        case "--utc" -> utc = true;
        case "--asynchronous" -> async = true;
        case "--config", "--ctlbase" -> {
          if (i + 1 >= args.length) {
            throw new UsageException(ME + ": " + a + " needs a value\n" + USAGE, 2);
          }
          if (a.equals("--config")) {
            config = args[++i];
          } else {
            ctlbase = args[++i];
          }
        }
        case "--" -> {
          i++;
          return positional(op, Arrays.copyOfRange(args, i, args.length), config, ctlbase, async, err)
              .withUtc(utc);
        }
        default -> {
          Op o = Op.of(a).orElseThrow(() -> new UsageException(ME + ": unknown option `" + a + "'", 2));
          if (op != null) {
            throw new UsageException(USAGE, 2);
          }
          op = o;
        }
      }
    }
    return positional(op, Arrays.copyOfRange(args, i, args.length), config, ctlbase, async, err).withUtc(utc);
  }

  private static Command positional(Op op, String[] names, String config, String ctlbase, boolean async,
      PrintStream err) throws UsageException {
    if (op == null) { // obsolete syntax: "NAME up" or "status", accepted with a warning as auto.in does
      Optional<Op> last = names.length >= 1 ? Op.of(names[names.length - 1]) : Optional.empty();
      if (last.isEmpty() || last.get().argc != names.length - 1) {
        throw new UsageException(USAGE, 2);
      }
      err.println(ME + ": warning: obsolete command syntax used");
      op = last.get();
      names = Arrays.copyOf(names, names.length - 1);
    }
    if (names.length != op.argc) {
      throw new UsageException(USAGE, 2);
    }
    return new Command(op, op.argc == 1 ? names[0] : null, config, ctlbase, async, false);
  }

  static int execute(Command cmd, PrintStream out, PrintStream err) throws PlutoUnreachableException, IOException {
    WhackClient whack = WhackClient.forCtlbase(cmd.ctlbase());
    Consumer<String> print = line -> {
      out.println(line);
      out.flush();
    };
    PrintStream bulk = WhackMain.bulk(out);
    String n = cmd.name();
    WhackRequest request = switch (cmd.op()) {
      case UP -> new WhackRequest.Initiate(n, cmd.async());
      case DOWN -> new WhackRequest.Terminate(n);
      case DELETE -> new WhackRequest.DeleteConn(n);
      case ROUTE -> new WhackRequest.Route(n);
      case UNROUTE -> new WhackRequest.Unroute(n);
      case READY, REREADGROUPS -> new WhackRequest.Listen();
      case STATUS -> new WhackRequest.Status(false);
      case REREADSECRETS -> new WhackRequest.RereadSecrets();
      case REREADCACERTS -> new WhackRequest.RereadCaCerts();
      case REREADCRLS -> new WhackRequest.RereadCrls();
      case REREADALL -> new WhackRequest.RereadAll();
      case LISTPUBKEYS -> new WhackRequest.ListPubkeys();
      case LISTCERTS -> new WhackRequest.ListCerts(cmd.utc());
      case LISTCACERTS -> new WhackRequest.ListCaCerts(cmd.utc());
      case LISTCRLS -> new WhackRequest.ListCrls(cmd.utc());
      case LISTALL -> new WhackRequest.ListAll();
      case ADD, REPLACE -> null;
    };
    if (request != null) {
      try {
        return whack.send(request, bulk::println, bulk::flush);
      } finally {
        bulk.flush();
      }
    }
    Optional<ConnConfig> conn = loadConn(Path.of(cmd.config()), n, out, err);
    if (conn.isEmpty()) {
      return 1;
    }
    boolean permuted = SubnetPermutation.permuted(conn.get().keywords());
    if (cmd.op() == Op.REPLACE && !permuted) {
      // a difference: pluto keeps an unchanged conn's SAs, replaces a changed one, adds a new one
      return whack.send(new WhackRequest.ReplaceConn(n, conn.get().keywords()), print);
    }
    if (cmd.op() == Op.REPLACE) {
      // auto.in's --replace: whack --name NAME --delete (every instance, by alias), its status ignored, then add
      whack.send(new WhackRequest.DeleteConn(n), print);
    }
    int status = 0;
    for (ConnConfig c : WhackAdder.instances(conn.get(), print)) {
      status = whack.send(new WhackRequest.AddConn(c.name(), c.keywords()), print);
      if (status != 0) {
        break; // starter_permutate_conns stops at the first failure
      }
    }
    return status;
  }

  /**
   * The conn from the config; errors (FILE:LINE: message) on stderr and empty when the file has errors
   * or no such conn (Openswan's addconn: "conn 'NAME': not found (tried aliases)").
   */
  static Optional<ConnConfig> loadConn(Path config, String name, PrintStream out, PrintStream err) {
    LoadResult loaded = ConfigLoader.load(config);
    List<Diagnostic> shown = new ArrayList<>(loaded.diagnostics());
    for (Diagnostic d : shown) {
      err.println(d.format());
    }
    if (shown.stream().anyMatch(d -> d.severity() == Severity.ERROR)) {
      err.println(ME + ": cannot load config '" + config + "': " + shown.stream()
          .filter(d -> d.severity() == Severity.ERROR).count() + " error(s)");
      return Optional.empty();
    }
    Optional<ConnConfig> conn = loaded.config().conn(name);
    if (conn.isEmpty()) {
      out.println("conn '" + name + "': not found (tried aliases)");
    }
    return conn;
  }
}
