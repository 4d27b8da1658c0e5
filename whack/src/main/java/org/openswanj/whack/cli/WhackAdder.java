package org.openswanj.whack.cli;

import java.io.IOException;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;
import org.openswanj.conf.AutoAction;
import org.openswanj.conf.ConnConfig;
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
    for (ConnConfig c : conns) {
      status = whack.send(new WhackRequest.AddConn(c.name(), c.keywords()), replies);
      if (then == Then.ROUTE_AND_START && c.auto() == AutoAction.ROUTE) {
        after.add(new WhackRequest.Route(c.name()));
      } else if (then == Then.ROUTE_AND_START && c.auto() == AutoAction.START) {
        after.add(new WhackRequest.Initiate(c.name(), true));
      }
    }
    for (WhackRequest r : after) {
      status = whack.send(r, replies);
    }
    return status;
  }
}
