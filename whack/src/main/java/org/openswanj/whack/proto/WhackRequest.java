package org.openswanj.whack.proto;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * One request from whack to pluto (whack/PROTOCOL.md). Each record knows its {@link RequestType}, the
 * number it travels under.
 */
public sealed interface WhackRequest {

  RequestType type();

  /** Define a connection: its resolved ipsec.conf keywords (left/right forms), in file order. */
  record AddConn(String name, Map<String, String> keywords) implements WhackRequest {
    public AddConn {
      Objects.requireNonNull(name, "name");
      keywords = Collections.unmodifiableMap(new LinkedHashMap<>(keywords));
    }

    @Override
    public RequestType type() {
      return RequestType.ADD_CONN;
    }
  }

  /**
   * Define a connection again, as a difference: pluto keeps a conn whose keywords are the ones it was added with
   * (its SAs untouched) and answers "unchanged"; any other conn is deleted (SAs and routes) and added anew.
   */
  record ReplaceConn(String name, Map<String, String> keywords) implements WhackRequest {
    public ReplaceConn {
      Objects.requireNonNull(name, "name");
      keywords = Collections.unmodifiableMap(new LinkedHashMap<>(keywords));
    }

    @Override
    public RequestType type() {
      return RequestType.REPLACE_CONN;
    }
  }

  /** whack --listevents: pluto's queued SA events, as Openswan's timer_list prints them. */
  record ListEvents() implements WhackRequest {
    @Override
    public RequestType type() {
      return RequestType.LIST_EVENTS;
    }
  }

  /** whack --deletestate N: delete IKE/ISAKMP or IPsec SA number {@code serial}, telling the peer. */
  record DeleteState(long serial) implements WhackRequest {
    @Override
    public RequestType type() {
      return RequestType.DELETE_STATE;
    }
  }

  /** The names of the conns pluto holds, one per line (for ipsec setup reload's difference). */
  record ConnNames() implements WhackRequest {
    @Override
    public RequestType type() {
      return RequestType.CONN_NAMES;
    }
  }

  record DeleteConn(String name) implements WhackRequest {
    public DeleteConn {
      Objects.requireNonNull(name, "name");
    }

    @Override
    public RequestType type() {
      return RequestType.DELETE_CONN;
    }
  }

  /**
   * whack --xauthname/--xauthpass: the XAUTH user and password a conn's next XAUTH exchanges answer with, instead
   * of ipsec.secrets (Openswan passes them with --initiate). The password never appears in toString().
   */
  record XauthCredentials(String name, String user, String password) implements WhackRequest {
    public XauthCredentials {
      Objects.requireNonNull(name, "name");
      Objects.requireNonNull(user, "user");
      Objects.requireNonNull(password, "password");
    }

    @Override
    public RequestType type() {
      return RequestType.XAUTH_CREDENTIALS;
    }

    @Override
    public String toString() {
      return "XauthCredentials[name=" + name + ", user=" + user + ", password=[redacted]]";
    }
  }

  /**
   * whack --oppohere HERE --oppothere THERE: opportunistic encryption from our address HERE to THERE started by
   * hand, as the first packet of that flow would start it (Openswan's initiate_ondemand, reason "whack"). The
   * addresses travel as text; pluto checks them.
   */
  record OppoInitiate(String here, String there) implements WhackRequest {
    public OppoInitiate {
      Objects.requireNonNull(here, "here");
      Objects.requireNonNull(there, "there");
    }

    @Override
    public RequestType type() {
      return RequestType.OPPO_INITIATE;
    }
  }

  /** Bring a connection up; {@code async} = whack --asynchronous: pluto answers at once. */
  record Initiate(String name, boolean async) implements WhackRequest {
    public Initiate {
      Objects.requireNonNull(name, "name");
    }

    @Override
    public RequestType type() {
      return RequestType.INITIATE;
    }
  }

  record Terminate(String name) implements WhackRequest {
    public Terminate {
      Objects.requireNonNull(name, "name");
    }

    @Override
    public RequestType type() {
      return RequestType.TERMINATE;
    }
  }

  record Route(String name) implements WhackRequest {
    public Route {
      Objects.requireNonNull(name, "name");
    }

    @Override
    public RequestType type() {
      return RequestType.ROUTE;
    }
  }

  record Unroute(String name) implements WhackRequest {
    public Unroute {
      Objects.requireNonNull(name, "name");
    }

    @Override
    public RequestType type() {
      return RequestType.UNROUTE;
    }
  }

  /** whack --status; {@code json}: the same facts as one JSON document (ours, beyond Openswan). */
  record Status(boolean json) implements WhackRequest {
    @Override
    public RequestType type() {
      return RequestType.STATUS;
    }
  }

  record TrafficStatus(boolean json) implements WhackRequest {
    @Override
    public RequestType type() {
      return RequestType.TRAFFIC_STATUS;
    }
  }

  /** whack --shuntstatus: the shunt eroutes (type=passthrough|drop|reject conns), one line each. */
  record ShuntStatus() implements WhackRequest {
    @Override
    public RequestType type() {
      return RequestType.SHUNT_STATUS;
    }
  }

  /** whack --metrics (ours): pluto's counters and gauges as OpenMetrics text, ending {@code # EOF}. */
  record Metrics() implements WhackRequest {
    @Override
    public RequestType type() {
      return RequestType.METRICS;
    }
  }

  /** ipsec look: what pluto installed in its kernel backend. */
  record Look() implements WhackRequest {
    @Override
    public RequestType type() {
      return RequestType.LOOK;
    }
  }

  /** whack --listen (and ipsec auto --ready): scan interfaces, reread secrets and policy groups. */
  record Listen() implements WhackRequest {
    @Override
    public RequestType type() {
      return RequestType.LISTEN;
    }
  }

  record Unlisten() implements WhackRequest {
    @Override
    public RequestType type() {
      return RequestType.UNLISTEN;
    }
  }

  record Shutdown() implements WhackRequest {
    @Override
    public RequestType type() {
      return RequestType.SHUTDOWN;
    }
  }

  record RereadSecrets() implements WhackRequest {
    @Override
    public RequestType type() {
      return RequestType.REREAD_SECRETS;
    }
  }

  record RereadAll() implements WhackRequest {
    @Override
    public RequestType type() {
      return RequestType.REREAD_ALL;
    }
  }

  /** whack --rereadcacerts: ipsec.d/cacerts read again. */
  record RereadCaCerts() implements WhackRequest {
    @Override
    public RequestType type() {
      return RequestType.REREAD_CACERTS;
    }
  }

  /** whack --rereadcrls: ipsec.d/crls read again. */
  record RereadCrls() implements WhackRequest {
    @Override
    public RequestType type() {
      return RequestType.REREAD_CRLS;
    }
  }

  record ListPubkeys() implements WhackRequest {
    @Override
    public RequestType type() {
      return RequestType.LIST_PUBKEYS;
    }
  }

  /** whack --listall: every list pluto keeps (public keys, certificates, groups). */
  record ListAll() implements WhackRequest {
    @Override
    public RequestType type() {
      return RequestType.LIST_ALL;
    }
  }

  /** whack --listcerts: our certificates (leftcert=); {@code utc} prints times in UTC (--utc). */
  record ListCerts(boolean utc) implements WhackRequest {
    @Override
    public RequestType type() {
      return RequestType.LIST_CERTS;
    }
  }

  /** whack --listcacerts: the trusted CAs of ipsec.d/cacerts. */
  record ListCaCerts(boolean utc) implements WhackRequest {
    @Override
    public RequestType type() {
      return RequestType.LIST_CACERTS;
    }
  }

  /** whack --listcrls: the CRLs of ipsec.d/crls and those fetched. */
  record ListCrls(boolean utc) implements WhackRequest {
    @Override
    public RequestType type() {
      return RequestType.LIST_CRLS;
    }
  }

  /**
   * Set debugging: {@code name} null means pluto's global set, else that connection's. Options are the
   * plutodebug words without "debug-" ("all", "none", "control", "crypt", ...), applied in order.
   */
  record Debug(String name, List<String> options) implements WhackRequest {
    public Debug {
      options = List.copyOf(options);
    }

    @Override
    public RequestType type() {
      return RequestType.DEBUG;
    }
  }
}
