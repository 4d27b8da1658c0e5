package org.openswanj.whack.cli;

import java.io.IOException;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;
import org.openswanj.conf.AutoAction;
import org.openswanj.conf.ConfigException;
import org.openswanj.conf.ConnConfig;
import org.openswanj.conf.SubnetPermutation;
import org.openswanj.conf.cli.PlutoAdder;
import org.openswanj.whack.proto.WhackRequest;

/**
 * Adds conns to a running pluto over its control socket, as {@code ipsec auto --add} does (one AddConn request per
 * conn with its resolved keywords), then for {@link PlutoAdder.Then#ROUTE_AND_START} routes the auto=route conns
 * and initiates the auto=start ones asynchronously, after every add, as Openswan's _plutoload orders it. Used by
 * {@code ipsec addconn} and {@code ipsec setup start}.
 */
public final class WhackAdder implements PlutoAdder {
  /** Openswan's starter_whack_add_conn returns -1 when it cannot reach pluto; exit(-1) is 255. */
  static final int UNREACHABLE = 255;

  @Override
  public int add(List<ConnConfig> conns, Then then, String ctlbase, PrintStream out, PrintStream err) {
    WhackClient whack = WhackClient.forCtlbase(ctlbase);
    try {
      return add(whack, conns, then, out::println);
    } catch (PlutoUnreachableException e) {
      err.println(e.getMessage());
      return UNREACHABLE;
    } catch (IOException e) {
      err.println("whack: talking to pluto on \"" + whack.socket() + "\" failed (" + e.getMessage() + ")");
      return UNREACHABLE;
    }
  }

  /** The adds, then the routes and initiations; pluto's reply lines go to {@code replies}. */
  public static int add(WhackClient whack, List<ConnConfig> conns, Then then, Consumer<String> replies)
      throws PlutoUnreachableException, IOException {
    List<WhackRequest> after = new ArrayList<>();
    int status = 0;
    for (ConnConfig conn : conns) {
      // leftsubnets=/rightsubnets=: one conn per pair, the first failing add ends that conn's (starterwhack.c)
      for (ConnConfig c : instances(conn, replies)) {
        status = whack.send(new WhackRequest.AddConn(c.name(), c.keywords()), replies);
        if (then == Then.ROUTE_AND_START && c.auto() == AutoAction.ROUTE) {
          after.add(new WhackRequest.Route(c.name()));
        } else if (then == Then.ROUTE_AND_START && c.auto() == AutoAction.START) {
          after.add(new WhackRequest.Initiate(c.name(), true));
        }
        if (status != 0) {
          break;
        }
      }
    }
    for (WhackRequest r : after) {
      status = whack.send(r, replies);
    }
    return status;
  }

  /**
   * The conns added for one conn of ipsec.conf: itself, or with leftsubnets=/rightsubnets= one per pair
   * ({@link SubnetPermutation}). The client permutes, as Openswan's starter does, so pluto's conn table, whack's
   * names and {@code --status} all hold the instances and pluto needs no second notion of a conn.
   */
  public static List<ConnConfig> instances(ConnConfig conn, Consumer<String> problems) {
    try {
      return SubnetPermutation.expand(List.of(conn));
    } catch (ConfigException e) {
      // the conn itself was valid, so an instance is too; say it rather than lose the conn silently
      problems.accept("\"" + conn.name() + "\": " + e.getMessage());
      return List.of();
    }
  }
}
