package org.openswanj.whack.cli;

import java.io.IOException;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;
import org.openswanj.whack.cli.WhackArgs.Action;
import org.openswanj.whack.proto.ReplyLine;
import org.openswanj.whack.proto.WhackRequest;
import picocli.CommandLine;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.PicocliException;

/**
 * {@code ipsec whack}: Openswan's options, sent to pluto as requests of whack/PROTOCOL.md; reply lines
 * are copied to stdout and the exit status is the last significant reply code (see {@link ExitStatus}).
 * Exit 1 when pluto cannot be reached or the request makes no sense, 2 for an unknown option.
 */
public final class WhackMain {
  private WhackMain() {
  }

  public static void main(String[] args) {
    System.exit(run(args, System.out, System.err));
  }

  /** Runs whack with {@code args}; returns the exit status. Never throws. */
  public static int run(String[] args, PrintStream out, PrintStream err) {
    WhackArgs parsed = new WhackArgs();
    CommandLine cli = new CommandLine(parsed.spec());
    try {
      cli.parseArgs(args);
    } catch (ParameterException e) {
      UsageException usage = usageCause(e);
      err.println(usage != null ? "whack error: " + usage.getMessage() : "whack: " + e.getMessage()
          + " (see 'ipsec whack --help')");
      return usage != null ? usage.exitStatus() : 2;
    } catch (PicocliException e) {
      UsageException usage = usageCause(e);
      err.println("whack error: " + (usage != null ? usage.getMessage() : e.getMessage()));
      return usage != null ? usage.exitStatus() : 2;
    }
    if (parsed.help) {
      out.print(usage(cli));
      return 0;
    }
    if (parsed.version) {
      out.println("openswanj whack, protocol version " + org.openswanj.whack.proto.WhackCodec.VERSION);
      return 0;
    }
    List<WhackRequest> requests;
    try {
      requests = requests(parsed);
    } catch (UsageException e) {
      err.println("whack error: " + (parsed.name != null ? "\"" + parsed.name + "\" " : "") + e.getMessage());
      return e.exitStatus();
    }
    return send(WhackClient.forCtlbase(parsed.ctlbase), requests, parsed.async, out, err);
  }

  /** Sends each request in turn; the exit status runs on across them, as over one Openswan message. */
  static int send(WhackClient client, List<WhackRequest> requests, boolean async, PrintStream out, PrintStream err) {
    ExitStatus status = new ExitStatus(async);
    PrintStream bulk = bulk(out);
    try {
      for (WhackRequest request : requests) {
        // --metrics: the exposition as is, without reply codes, so a scraper can read whack's output
        boolean bare = request instanceof WhackRequest.Metrics;
        client.send(request, line -> {
          bulk.println(bare ? ReplyLine.parse(line).map(ReplyLine::text).orElse(line) : line);
          status.accept(line);
        }, bulk::flush);
      }
      bulk.flush();
      return status.value();
    } catch (PlutoUnreachableException e) {
      err.println(e.getMessage());
      return 1;
    } catch (IOException e) {
      err.println("whack: talking to pluto on \"" + client.socket() + "\" failed (" + e.getMessage() + ")");
      return 1;
    }
  }

  /** {@code out} behind a 64 KiB buffer, flushed by the caller when pluto pauses (System.out flushes every line). */
  static PrintStream bulk(PrintStream out) {
    return new PrintStream(new java.io.BufferedOutputStream(out, 1 << 16), false);
  }

  /** The requests the options ask for, in the order pluto would carry them out. */
  static List<WhackRequest> requests(WhackArgs a) throws UsageException {
    List<WhackRequest> out = new ArrayList<>();
    boolean define = a.conn.present();
    if (!a.debug.isEmpty() && !define) {
      out.add(new WhackRequest.Debug(a.name, a.debug));
    }
    for (Action action : a.actions) {
      WhackRequest r = switch (action) {
        case LISTEN -> new WhackRequest.Listen();
        case UNLISTEN -> new WhackRequest.Unlisten();
        case REREAD_SECRETS -> new WhackRequest.RereadSecrets();
        case REREAD_CACERTS -> new WhackRequest.RereadCaCerts();
        case REREAD_CRLS -> new WhackRequest.RereadCrls();
        case REREAD_ALL -> new WhackRequest.RereadAll();
        case LIST_PUBKEYS -> new WhackRequest.ListPubkeys();
        case LIST_CERTS -> new WhackRequest.ListCerts(a.utc);
        case LIST_CACERTS -> new WhackRequest.ListCaCerts(a.utc);
        case LIST_CRLS -> new WhackRequest.ListCrls(a.utc);
        case LIST_ALL -> new WhackRequest.ListAll();
        case DELETE -> new WhackRequest.DeleteConn(name(a));
        case ROUTE -> new WhackRequest.Route(name(a));
        case UNROUTE -> new WhackRequest.Unroute(name(a));
        case INITIATE -> new WhackRequest.Initiate(name(a), a.async);
        case OPPO_INITIATE -> {
          if (a.oppoHere == null || a.oppoThere == null) {
            throw new UsageException("--oppohere and --oppothere go together", 1);
          }
          yield new WhackRequest.OppoInitiate(a.oppoHere, a.oppoThere);
        }
        case TERMINATE -> new WhackRequest.Terminate(name(a));
        case STATUS -> new WhackRequest.Status(a.json);
        case TRAFFIC_STATUS -> new WhackRequest.TrafficStatus(a.json);
        case SHUNT_STATUS -> new WhackRequest.ShuntStatus();
        case LIST_EVENTS -> new WhackRequest.ListEvents();
        case METRICS -> new WhackRequest.Metrics();
        case DELETE_STATE -> new WhackRequest.DeleteState(a.deleteState);
        case SHUTDOWN -> new WhackRequest.Shutdown();
      };
      if (action == Action.ROUTE || action == Action.INITIATE) {
        addDefinition(a, out, define); // a connection is defined before it is routed or initiated
        define = false;
      }
      if (action == Action.INITIATE && (a.xauthName != null || a.xauthPass != null)) {
        if (a.xauthName == null || a.xauthPass == null) {
          throw new UsageException("--xauthname and --xauthpass go together", 1);
        }
        out.add(new WhackRequest.XauthCredentials(name(a), a.xauthName, a.xauthPass));
      }
      out.add(r);
    }
    addDefinition(a, out, define);
    if ((a.xauthName != null || a.xauthPass != null) && !a.actions.contains(Action.INITIATE)) {
      throw new UsageException("--xauthname and --xauthpass go with --initiate", 1);
    }
    if (out.isEmpty()) {
      throw new UsageException(a.name != null ? "no reason for --name" : "no action specified; try --help for hints",
          1);
    }
    if (a.name != null && a.debug.isEmpty() && out.stream().noneMatch(WhackMain::named)) {
      throw new UsageException("no reason for --name", 1);
    }
    return out;
  }

  private static void addDefinition(WhackArgs a, List<WhackRequest> out, boolean define) throws UsageException {
    if (!define) {
      return;
    }
    out.add(new WhackRequest.AddConn(name(a), a.conn.keywords()));
    if (!a.debug.isEmpty()) {
      out.add(new WhackRequest.Debug(a.name, a.debug));
    }
  }

  private static boolean named(WhackRequest r) {
    return r instanceof WhackRequest.AddConn || r instanceof WhackRequest.DeleteConn
        || r instanceof WhackRequest.Initiate || r instanceof WhackRequest.Terminate
        || r instanceof WhackRequest.Route || r instanceof WhackRequest.Unroute;
  }

  private static String name(WhackArgs a) throws UsageException {
    if (a.name == null) {
      throw new UsageException("missing --name <connection_name>", 1);
    }
    return a.name;
  }

  private static UsageException usageCause(Throwable e) {
    for (Throwable t = e; t != null; t = t.getCause()) {
      if (t instanceof UsageException u) {
        return u;
      }
    }
    return null;
  }

  private static String usage(CommandLine cli) {
    return "Usage: ipsec whack [--ctlbase PATH] ...\n"
        + "  --name NAME (--initiate [--asynchronous] [--xauthname USER --xauthpass PASSWORD] | --terminate | --delete"
        + " | --route | --unroute)\n"
        + "  --oppohere ADDR --oppothere ADDR   (opportunistic encryption between the two, started by hand)\n"
        + "  --status [--json] | --trafficstatus [--json] | --shuntstatus | --listevents | --metrics | --deletestate N | --listen | --unlisten | --shutdown\n"
        + "  --rereadsecrets | --rereadcacerts | --rereadcrls | --rereadall | --listpubkeys | --listcerts | --listcacerts | --listcrls | --listall | [--utc] | [--name NAME] --debug-WORD ...\n"
        + "  --name NAME --host ADDR [--id ID] [--client SUBNET] [--nexthop ADDR] --to --host ADDR ...\n"
        + "      (--psk | --rsasig) [--encrypt] [--tunnel] [--pfs] [--ike ALGS] [--esp ALGS] ...\n"
        + "Options: " + String.join(" ", cli.getCommandSpec().optionsMap().keySet().stream().sorted().toList())
        + "\n";
  }
}
