package org.openswanj.whack.cli;

import java.io.IOException;
import java.io.PrintStream;
import org.openswanj.conf.OpenswanPaths;
import org.openswanj.whack.proto.ReplyLine;
import org.openswanj.whack.proto.WhackRequest;

/** {@code ipsec look [--ctlbase PATH]}: asks pluto what it installed in its kernel backend, prints the answer. */
public final class LookMain {
  private LookMain() {
  }

  public static void main(String[] args) {
    System.exit(run(args, System.out, System.err));
  }

  /** Runs {@code ipsec look}; returns the exit status. Never throws. */
  public static int run(String[] args, PrintStream out, PrintStream err) {
    String ctlbase = OpenswanPaths.CTLBASE;
    for (int i = 0; i < args.length; i++) {
      if (args[i].equals("--help")) {
        out.println("Usage: ipsec look [--ctlbase PATH]");
        return 0;
      } else if (args[i].equals("--ctlbase") && i + 1 < args.length) {
        ctlbase = args[++i];
      } else {
        err.println("ipsec look: unknown argument `" + args[i] + "' (usage: ipsec look [--ctlbase PATH])");
        return 2;
      }
    }
    WhackClient client = WhackClient.forCtlbase(ctlbase);
    try {
      return client.send(new WhackRequest.Look(), line -> {
        out.println(ReplyLine.parse(line).map(ReplyLine::text).orElse(line)); // the codes are for whack
        out.flush();
      });
    } catch (PlutoUnreachableException e) {
      err.println(e.getMessage());
      return 1;
    } catch (IOException e) {
      err.println("ipsec look: talking to pluto on \"" + client.socket() + "\" failed (" + e.getMessage() + ")");
      return 1;
    }
  }
}
