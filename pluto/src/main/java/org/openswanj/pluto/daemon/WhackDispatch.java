package org.openswanj.pluto.daemon;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.BiConsumer;
import org.openswanj.pluto.conn.Connection;
import org.openswanj.pluto.daemon.control.JointReply;
import org.openswanj.pluto.daemon.control.WhackReply;
import org.openswanj.pluto.engine.EventLoop;
import org.openswanj.pluto.sa.SaInstaller;
import org.openswanj.whack.proto.Rc;
import org.openswanj.whack.proto.WhackRequest;

/**
 * whack's commands, one handler per request type in a table (Libreswan's dispatch table), which covers every
 * permitted {@link WhackRequest} or the daemon does not start. {@link #handle} is called on a
 * control-server thread and posts the work to the event loop, which owns connections and SAs. The commands on a
 * conn are {@link ConnCommands}'; what they act on is {@link Pluto}'s.
 */
final class WhackDispatch {
  private final Pluto pluto;
  private final EventLoop loop;
  private final ConnCommands conns;
  private final Map<Class<?>, Handler> table = new HashMap<>();

  WhackDispatch(Pluto pluto, EventLoop loop) {
    this.pluto = pluto;
    this.loop = loop;
    this.conns = new ConnCommands(pluto, loop);
    connRows();
    daemonRows();
    for (Class<?> type : WhackRequest.class.getPermittedSubclasses()) {
      if (!table.containsKey(type)) {
        throw new IllegalStateException("no whack handler for " + type.getSimpleName());
      }
    }
  }

  /** On a control-server thread: the request runs on the loop; a bug answers whack before the loop logs it. */
  void handle(WhackRequest request, WhackReply reply) {
    loop.execute(() -> {
      try {
        dispatch(request, reply);
      } catch (RuntimeException e) {
        reply.line(Rc.INTERNALERR, "internal error handling " + request.getClass().getSimpleName() + ": " + e);
        reply.close();
        throw e;
      }
    });
  }

  /** One row of the table: the handler of one request type. */
  private interface Handler {
    void handle(WhackRequest request, WhackReply reply);
  }

  private <R extends WhackRequest> void on(Class<R> type, BiConsumer<R, WhackReply> handler) {
    table.put(type, (request, reply) -> handler.accept(type.cast(request), reply));
  }

  /** The commands on a conn or a state; a name that is no conn may be an alias ({@link #forEach}). */
  private void connRows() {
    on(WhackRequest.AddConn.class, conns::add);
    on(WhackRequest.ReplaceConn.class, conns::replace);
    on(WhackRequest.DeleteConn.class, (r, reply) -> forEach(r.name(), reply, conns::delete));
    on(WhackRequest.Initiate.class, (r, reply) -> forEach(r.name(), reply,
        (n, sub) -> conns.initiate(n, r.async(), sub)));
    on(WhackRequest.Terminate.class, (r, reply) -> forEach(r.name(), reply, conns::terminate));
    on(WhackRequest.Route.class, (r, reply) -> forEach(r.name(), reply, conns::route));
    on(WhackRequest.Unroute.class, (r, reply) -> forEach(r.name(), reply, conns::unroute));
    on(WhackRequest.ConnNames.class, (r, reply) -> done(reply, pluto.connNames()));
    on(WhackRequest.XauthCredentials.class, this::xauthCredentials);
    on(WhackRequest.OppoInitiate.class, (r, reply) -> pluto.initiateOpportunistic(r.here(), r.there(), reply));
    on(WhackRequest.DeleteState.class, (r, reply) -> deleteState(r.serial(), reply));
  }

  /** The commands on the daemon as a whole: status and listings, listen, rereads, shutdown. */
  private void daemonRows() {
    on(WhackRequest.Status.class, (r, reply) ->
        StatusStream.send(loop, reply, StatusPrinter.status(pluto, pluto.statusHeader(), r.json())));
    on(WhackRequest.TrafficStatus.class, (r, reply) -> done(reply, StatusPrinter.trafficStatus(pluto, r.json())));
    on(WhackRequest.ListEvents.class, (r, reply) -> {
      EventList.of(pluto).forEach(l -> reply.line(Rc.LOG, l));
      reply.close();
    });
    on(WhackRequest.Metrics.class, (r, reply) -> done(reply, pluto.metricsLines()));
    on(WhackRequest.ShuntStatus.class, (r, reply) -> done(reply, shuntStatus()));
    on(WhackRequest.Look.class, (r, reply) -> done(reply, pluto.backend().describe()));
    on(WhackRequest.Listen.class, (r, reply) -> done(reply, report(pluto::listen)));
    on(WhackRequest.Unlisten.class, (r, reply) -> {
      pluto.unlisten();
      done(reply, List.of("no longer listening for IKE messages"));
    });
    on(WhackRequest.Shutdown.class, (r, reply) -> pluto.shutdown(reply));
    on(WhackRequest.RereadSecrets.class, (r, reply) -> done(reply, report(pluto::loadSecrets)));
    on(WhackRequest.RereadAll.class, (r, reply) -> done(reply, report(lines -> {
      pluto.loadSecrets(lines);
      pluto.loadCredentials(lines);
    })));
    // the verifier holds ipsec.d's CAs and CRLs together, so either reread reads both (CRLs fetched over HTTP are
    // fetched anew when next needed); an SA already up keeps its checked peer
    on(WhackRequest.RereadCaCerts.class, (r, reply) -> done(reply, report(pluto::loadCredentials)));
    on(WhackRequest.RereadCrls.class, (r, reply) -> done(reply, report(pluto::loadCredentials)));
    on(WhackRequest.ListPubkeys.class, (r, reply) -> done(reply, publicKeys(listings())));
    on(WhackRequest.ListCerts.class, (r, reply) -> done(reply, listings().certs(r.utc())));
    on(WhackRequest.ListCaCerts.class, (r, reply) -> done(reply, listings().caCerts(r.utc())));
    on(WhackRequest.ListCrls.class, (r, reply) -> done(reply, listings().crls(r.utc())));
    on(WhackRequest.ListAll.class, (r, reply) -> {
      CertListings listings = listings();
      List<String> all = publicKeys(listings);
      all.addAll(listings.certs(false));
      all.addAll(listings.caCerts(false));
      all.addAll(listings.crls(false));
      done(reply, all);
    });
    // log levels are set at start-up; say so rather than pretend
    on(WhackRequest.Debug.class, (r, reply) -> {
      reply.line(Rc.LOG, "debug options are taken at start-up only (ipsec pluto --debug-*, or plutodebug= in"
          + " config setup); nothing changed");
      reply.close();
    });
  }

  private void dispatch(WhackRequest request, WhackReply reply) {
    loop.assertInLoop();
    table.get(request.getClass()).handle(request, reply);
  }

  private CertListings listings() {
    return new CertListings(pluto, new LoopClock(loop), pluto.secrets());
  }

  /** Openswan's --listpubkeys: our certificates' and peers' keys, then the keys OE learned from DNS. */
  private List<String> publicKeys(CertListings listings) {
    List<String> out = new ArrayList<>(listings.pubkeys(false));
    out.addAll(pluto.oePublicKeys());
    return out;
  }

  /** whack --xauthname/--xauthpass: what the conn's XAUTH client answers with from now on (not logged). */
  private void xauthCredentials(WhackRequest.XauthCredentials r, WhackReply reply) {
    if (pluto.conn(r.name()) == null) {
      reply.line(Rc.UNKNOWN_NAME, "no connection named \"" + r.name() + "\"");
    } else {
      pluto.ikev1().setXauthCredentials(r.name(), r.user(),
          r.password().getBytes(java.nio.charset.StandardCharsets.UTF_8));
    }
    reply.close();
  }

  /** whack --deletestate N (Openswan's rcv_whack: RC_UNKNOWN_NAME "no state #N to delete"). */
  private void deleteState(long serial, WhackReply reply) {
    if (!pluto.engine().deleteState(serial) && !pluto.ikev1().deleteState(serial)) {
      reply.line(Rc.UNKNOWN_NAME, "no state #" + serial + " to delete");
    }
    reply.close();
  }

  /**
   * whack --shuntstatus, as Openswan's show_shunt_status: "ours:port -proto-> his:port => %pass 0    why". Shunt
   * conns, and the negotiation or failure shunt of a routed conn (why: "conn (failureshunt)", as Openswan names
   * its bare shunts by the reason they were put there).
   */
  private List<String> shuntStatus() {
    List<String> out = new ArrayList<>();
    for (Connection c : pluto.connections()) {
      if (c.config().type().isShunt() && c.routing() != Connection.Routing.UNROUTED) {
        shuntLines(out, c, ConnCommands.shuntName(c), c.name());
      } else if (!c.config().type().isShunt()) {
        String why = c.routing() == Connection.Routing.FAILURE ? " (failureshunt)" : " (negotiationshunt)";
        pluto.installer().currentShunt(c)
            .ifPresent(a -> shuntLines(out, c, SaInstaller.shuntName(a), c.name() + why));
      }
    }
    return out;
  }

  private static void shuntLines(List<String> out, Connection c, String shunt, String why) {
    for (org.openswanj.kernel.Selector s : SaInstaller.shuntSelectors(c)) {
      out.add(s.src().getHostAddress() + "/" + s.srcPrefix() + ":" + s.srcPort() + " -" + s.protocol() + "-> "
          + s.dst().getHostAddress() + "/" + s.dstPrefix() + ":" + s.dstPort() + " => " + shunt + " 0    " + why);
    }
  }

  /** The lines a reread or rescan reports. */
  private static List<String> report(java.util.function.Consumer<List<String>> step) {
    List<String> report = new ArrayList<>();
    step.accept(report);
    return report;
  }

  static void done(WhackReply reply, List<String> lines) {
    for (String l : lines) {
      reply.line(Rc.COMMENT, l);
    }
    reply.close();
  }

  /**
   * A whack command on a conn: a name that is no conn acts on every conn whose connalias= names it, each in turn,
   * on one reply stream (Openswan's foreach_connection_by_alias: how NAME reaches leftsubnets='s NAME/1x1...);
   * a name that is neither gets the conn's usual "no connection named" answer.
   */
  private void forEach(String name, WhackReply reply, BiConsumer<String, WhackReply> command) {
    List<String> named = pluto.conn(name) != null ? List.of() : pluto.aliased(name);
    if (named.isEmpty()) {
      command.accept(name, reply);
      return;
    }
    JointReply joint = new JointReply(reply, name, named.size());
    for (String n : named) {
      command.accept(n, joint.child());
    }
  }
}
