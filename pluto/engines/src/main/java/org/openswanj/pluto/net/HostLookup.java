package org.openswanj.pluto.net;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.time.Duration;
import org.openswanj.pluto.conn.EndResolver;
import org.xbill.DNS.AAAARecord;
import org.xbill.DNS.ARecord;
import org.xbill.DNS.Lookup;
import org.xbill.DNS.Record;
import org.xbill.DNS.TextParseException;
import org.xbill.DNS.Type;

/**
 * Host names for {@code left=}/{@code right=} through dnsjava: /etc/hosts first (dnsjava's Lookup reads it), then
 * the resolvers of /etc/resolv.conf, bounded by {@link #TIMEOUT} per query so a dead resolver cannot stall an add.
 */
public final class HostLookup implements EndResolver.Dns {
  static final Duration TIMEOUT = Duration.ofSeconds(5);

  @Override
  public InetAddress lookup(String name, boolean v6) throws UnknownHostException {
    Lookup l;
    try {
      l = new Lookup(name, v6 ? Type.AAAA : Type.A);
    } catch (TextParseException e) {
      throw new UnknownHostException(name + ": " + e.getMessage());
    }
    l.getDefaultResolver().setTimeout(TIMEOUT);
    Record[] answers = l.run();
    if (answers != null) {
      for (Record r : answers) {
        if (r instanceof ARecord a) {
          return a.getAddress();
        }
        if (r instanceof AAAARecord a) {
          return a.getAddress();
        }
      }
    }
    throw new UnknownHostException(name + ": " + l.getErrorString());
  }

  /** The resolver pluto uses: this lookup and the system's default routes. */
  public static EndResolver systemResolver() {
    DefaultRoutes routes = DefaultRoutes.system();
    return new EndResolver(new HostLookup(), v6 -> routes.find(v6)
        .map(r -> new EndResolver.Route(r.source(), r.gateway())));
  }
}
