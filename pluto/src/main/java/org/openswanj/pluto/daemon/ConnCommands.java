package org.openswanj.pluto.daemon;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.openswanj.conf.AuthBy;
import org.openswanj.conf.AutoAction;
import org.openswanj.conf.ConfigException;
import org.openswanj.conf.ConnConfig;
import org.openswanj.conf.Ikev2Policy;
import org.openswanj.kernel.KernelException;
import org.openswanj.pluto.conn.Connection;
import org.openswanj.pluto.conn.EndResolver;
import org.openswanj.pluto.conn.OrientException;
import org.openswanj.pluto.conn.ProposalPolicy;
import org.openswanj.pluto.daemon.control.WhackReply;
import org.openswanj.pluto.engine.EventLoop;
import org.openswanj.pluto.ikev2.SaLogFacade;
import org.openswanj.pluto.sa.SaInstaller;
import org.openswanj.pluto.x509.ConnCerts;
import org.openswanj.whack.proto.Rc;
import org.openswanj.whack.proto.WhackRequest;

/**
 * whack's commands on one conn: --name --add (and ipsec auto --replace), --delete, --initiate, --terminate,
 * --route, --unroute, with Openswan's reply codes. On the event loop; the conn table is {@link Pluto}'s. A command
 * on an alias reaches here once per conn ({@link WhackDispatch}).
 */
final class ConnCommands {
  private final Pluto pluto;
  private final EventLoop loop;
  /** Each conn's keywords as whack sent them (before host names and %defaultroute were resolved). */
  private final Map<String, Map<String, String>> definedAs = new HashMap<>();

  ConnCommands(Pluto pluto, EventLoop loop) {
    this.pluto = pluto;
    this.loop = loop;
  }

  void add(WhackRequest.AddConn r, WhackReply reply) {
    if (pluto.conn(r.name()) != null) {
      reply.line(Rc.DUPNAME, "attempt to redefine connection \"" + r.name() + "\"");
      reply.close();
      return;
    }
    try {
      ConnConfig cfg = ConnConfig.fromKeywords(r.name(), r.keywords());
      Optional<String> unimplemented = ProposalPolicy.unimplemented(cfg);
      if (unimplemented.isPresent()) {
        reply.line(Rc.NOALGO, "\"" + r.name() + "\": " + unimplemented.get());
        reply.close();
        return;
      }
      definedAs.put(r.name(), r.keywords());
      if (EndResolver.needed(cfg)) {
        resolveThenAdd(cfg, reply);
        return;
      }
      orientAndAdd(cfg, reply);
    } catch (ConfigException e) {
      reply.line(Rc.WHACK_PROBLEM, "\"" + r.name() + "\": " + e.getMessage());
    }
    reply.close();
  }

  /**
   * Host names and %defaultroute are resolved when the conn is added, never at start-up, on a helper thread;
   * the add finishes on the loop. An end that does not resolve fails the add: it never becomes %any.
   */
  private void resolveThenAdd(ConnConfig cfg, WhackReply reply) {
    Pluto.Host host = pluto.host();
    host.helpers().execute(() -> {
      List<String> log = new ArrayList<>();
      try {
        ConnConfig resolved = host.endResolver().resolve(cfg, log);
        loop.execute(() -> {
          log.forEach(l -> SaLogFacade.global("\"" + cfg.name() + "\": " + l));
          if (pluto.conn(cfg.name()) != null) {
            reply.line(Rc.DUPNAME, "attempt to redefine connection \"" + cfg.name() + "\"");
          } else {
            orientAndAdd(resolved, reply);
          }
          reply.close();
        });
      } catch (EndResolver.ResolveException | RuntimeException e) {
        // a resolver bug must still answer whack, or ipsec auto --add would wait forever
        String why = e instanceof EndResolver.ResolveException ? e.getMessage() : "cannot resolve its hosts: " + e;
        loop.execute(() -> {
          SaLogFacade.global("\"" + cfg.name() + "\": " + why);
          reply.line(Rc.ORIENT, "\"" + cfg.name() + "\": " + why);
          reply.close();
        });
      }
    });
  }

  /** Orients a conn whose ends are addresses and adds it; the reply says what happened (left open). */
  private void orientAndAdd(ConnConfig cfg, WhackReply reply) {
    try {
      Connection c;
      try {
        c = Connection.orient(cfg, pluto.addresses(), loop.now());
      } catch (OrientException first) {
        // an interface may have come up since the last scan (Openswan needs a manual --listen here)
        List<String> report = new ArrayList<>();
        List<java.net.InetAddress> addresses = pluto.rescan(report);
        report.forEach(SaLogFacade::global);
        c = Connection.orient(cfg, addresses, loop.now());
      }
      try {
        c.attachCertificates(ConnCerts.load(c.local(), c.remote(), pluto.credentials(), new LoopClock(loop),
            c.local() == cfg.left() ? "left" : "right"));
      } catch (ConnCerts.CertException e) {
        reply.line(Rc.WHACK_PROBLEM, "\"" + cfg.name() + "\": " + e.getMessage());
        return;
      }
      for (String w : c.certs().warnings()) {
        reply.line(Rc.LOG, "\"" + c.name() + "\": " + w);
      }
      if (c.config().aggressive() && c.config().authby().contains(AuthBy.SECRET)
          && c.config().ikev2() != Ikev2Policy.INSIST) {
        // RFC 2409 §5.4 and its known weakness: AR1's HASH_R is sent before the peer proved anything, so
        // anyone who asks gets material to guess the PSK offline
        String w = "\"" + c.name() + "\": warning: aggrmode=yes with a pre-shared key lets anyone who sends"
            + " an Aggressive Mode request test PSK guesses offline; use a long random PSK, Main Mode or IKEv2";
        reply.line(Rc.LOG, w);
        SaLogFacade.global(w);
      }
      pluto.add(c);
      reply.line(Rc.LOG, "added connection description \"" + c.name() + "\"");
    } catch (OrientException e) {
      reply.line(Rc.ORIENT, "\"" + cfg.name() + "\": " + e.getMessage());
    }
  }

  void delete(String name, WhackReply reply) {
    Connection c = conn(name, reply);
    if (c == null) {
      return;
    }
    remove(c);
    reply.line(Rc.COMMENT, "\"" + name + "\": deleting connection");
    reply.close();
  }

  private void remove(Connection c) {
    pluto.remove(c);
    definedAs.remove(c.name());
  }

  /**
   * ipsec auto --replace and setup reload as a difference: a conn defined with exactly these keywords stays as it
   * is, SAs and routes included; any other is deleted and added anew.
   */
  void replace(WhackRequest.ReplaceConn r, WhackReply reply) {
    Connection c = pluto.conn(r.name());
    if (c != null && r.keywords().equals(definedAs.get(r.name()))) {
      reply.line(Rc.COMMENT, "\"" + r.name() + "\": unchanged");
      reply.close();
      return;
    }
    if (c != null) {
      SaLogFacade.global("\"" + r.name() + "\": changed: replacing connection");
      remove(c);
    }
    if (c == null) { // a conn that had leftsubnets= before: its instances go, as auto --replace's delete does
      pluto.aliased(r.name()).forEach(n -> remove(pluto.conn(n)));
    }
    add(new WhackRequest.AddConn(r.name(), r.keywords()), reply);
  }

  void initiate(String name, boolean async, WhackReply reply) {
    Connection c = negotiable(name, reply);
    if (c == null) {
      return;
    }
    if (c.config().type().isShunt()) { // Openswan's initiate.c: a shunt is routed, never negotiated
      reply.line(Rc.INITSHUNT, "\"" + c.name() + "\": cannot initiate an authby=never connection");
      reply.close();
      return;
    }
    pluto.initiate(c, reply);
    if (async) {
      reply.close();
    }
  }

  void terminate(String name, WhackReply reply) {
    Connection c = conn(name, reply);
    if (c == null) {
      return;
    }
    int n = pluto.engine().terminate(c) + pluto.ikev1().terminate(c);
    if (n == 0) {
      reply.line(Rc.COMMENT, "\"" + name + "\": terminating SAs using this connection (none up)");
    }
    if (c.config().auto() == AutoAction.ROUTE) {
      pluto.routeQuietly(c);
    }
    reply.close();
  }

  void route(String name, WhackReply reply) {
    Connection c = negotiable(name, reply);
    if (c == null) {
      return;
    }
    try {
      pluto.engine().route(c);
      reply.line(Rc.COMMENT, "\"" + name + "\": route installed ("
          + (c.config().type().isShunt() ? shuntName(c) : "%trap") + ")");
    } catch (KernelException e) {
      reply.line(Rc.ROUTE, "\"" + name + "\": could not route: " + e.getMessage());
    }
    reply.close();
  }

  void unroute(String name, WhackReply reply) {
    Connection c = conn(name, reply);
    if (c == null) {
      return;
    }
    if (c.erouteOwner() != 0) {
      reply.line(Rc.RTBUSY, "\"" + name + "\": cannot unroute: route busy with an IPsec SA");
    } else {
      pluto.unrouteQuietly(c);
    }
    reply.close();
  }

  static String shuntName(Connection c) {
    return SaInstaller.shuntName(SaInstaller.shuntAction(c));
  }

  private Connection conn(String name, WhackReply reply) {
    Connection c = pluto.conn(name);
    if (c == null) {
      reply.line(Rc.UNKNOWN_NAME, "no connection named \"" + name + "\"");
      reply.close();
    }
    return c;
  }

  /** The conn, if it exists and can be negotiated; else says why (and closes the reply) and gives null. */
  private Connection negotiable(String name, WhackReply reply) {
    Connection c = conn(name, reply);
    Optional<String> why = c == null ? Optional.empty() : ProposalPolicy.notNegotiable(c.config());
    if (why.isPresent()) {
      reply.line(Rc.NOALGO, "\"" + name + "\": " + why.get());
      reply.close();
      return null;
    }
    return c;
  }
}
