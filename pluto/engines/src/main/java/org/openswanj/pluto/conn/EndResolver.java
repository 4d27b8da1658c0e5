package org.openswanj.pluto.conn;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.openswanj.conf.ConfigException;
import org.openswanj.conf.ConnConfig;
import org.openswanj.conf.HostAddr;

/**
 * Turns {@code left=}/{@code right=} host names and {@code %defaultroute} (and {@code leftnexthop=%defaultroute})
 * into addresses when a conn is added, as Openswan's addconn and init scripts do before whack sees the conn
 * (the default route's device address and gateway; names through the resolver). The conn keeps every other
 * keyword as written. Does blocking I/O: call it off the event loop.
 */
public final class EndResolver {
  /** Name to address; throws with the reason when the name does not resolve. */
  public interface Dns {
    InetAddress lookup(String name, boolean v6) throws UnknownHostException;
  }

  /** The default route: its device's address and its gateway. */
  public interface Routes {
    Optional<Route> defaultRoute(boolean v6);
  }

  public record Route(InetAddress source, Optional<InetAddress> gateway) {}

  /** Why an end could not be resolved; the message is Openswan's wording. */
  public static final class ResolveException extends Exception {
    private static final long serialVersionUID = 1L;

    public ResolveException(String message) {
      super(message);
    }
  }

  private final Dns dns;
  private final Routes routes;

  public EndResolver(Dns dns, Routes routes) {
    this.dns = dns;
    this.routes = routes;
  }

  /** True when the conn names a host or %defaultroute anywhere this resolver rewrites. */
  public static boolean needed(ConnConfig c) {
    for (String side : List.of("left", "right")) {
      String host = c.keywords().get(side);
      if (host != null && (isName(host) || isDefaultRoute(host))) {
        return true;
      }
      if (isDefaultRoute(c.keywords().get(side + "nexthop"))) {
        return true;
      }
    }
    return false;
  }

  /** The conn with both ends as addresses; {@code log} gets one line per rewrite. */
  public ConnConfig resolve(ConnConfig c, List<String> log) throws ResolveException {
    Map<String, String> kw = new LinkedHashMap<>(c.keywords());
    boolean v6 = c.left().host().isIpv6() || c.right().host().isIpv6();
    for (String side : List.of("left", "right")) {
      String host = kw.get(side);
      if (host != null && isDefaultRoute(host)) {
        Route r = defaultRoute(side, v6);
        kw.put(side, r.source().getHostAddress());
        log.add(side + "=%defaultroute is " + r.source().getHostAddress());
        // confread.c: a %defaultroute end's nexthop defaults to %defaultroute
        kw.putIfAbsent(side + "nexthop", "%defaultroute");
      } else if (host != null && isName(host)) {
        InetAddress a = lookup(host, v6);
        kw.put(side, a.getHostAddress());
        log.add(side + "=" + host + " resolved to " + a.getHostAddress());
      }
      if (isDefaultRoute(kw.get(side + "nexthop"))) {
        Optional<InetAddress> gw = defaultRoute(side + "nexthop", v6).gateway();
        if (gw.isPresent()) {
          kw.put(side + "nexthop", gw.get().getHostAddress());
        } else {
          kw.remove(side + "nexthop"); // a point-to-point default route: the peer is the next hop
        }
      }
    }
    try {
      return ConnConfig.fromKeywords(c.name(), kw);
    } catch (ConfigException e) {
      throw new ResolveException(e.getMessage());
    }
  }

  private Route defaultRoute(String key, boolean v6) throws ResolveException {
    return routes.defaultRoute(v6).orElseThrow(() -> new ResolveException(key
        + "=%defaultroute but there is no " + (v6 ? "IPv6 " : "") + "default route"));
  }

  private InetAddress lookup(String name, boolean v6) throws ResolveException {
    try {
      return dns.lookup(name, v6);
    } catch (UnknownHostException e) {
      // Openswan's connections.c / ttoaddr() wording
      throw new ResolveException("failed to convert '" + name + "' at load time: does not look numeric and name"
          + " lookup failed");
    }
  }

  private static boolean isDefaultRoute(String v) {
    return v != null && v.trim().equalsIgnoreCase("%defaultroute");
  }

  private static boolean isName(String v) {
    try {
      return HostAddr.parse(v) instanceof HostAddr.Hostname;
    } catch (ConfigException e) {
      return false;
    }
  }
}
