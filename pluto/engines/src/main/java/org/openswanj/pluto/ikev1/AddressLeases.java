package org.openswanj.pluto.ikev1;

import java.net.InetAddress;
import java.util.HashMap;
import java.util.Map;
import org.openswanj.conf.AddressPool;
import org.openswanj.pluto.conn.Connection;

/**
 * The addresses a ModeConfig server gives its clients: the conn's {@code rightsourceip=}, else a lease from its
 * {@code rightaddresspool=}. A lease belongs to a client (its XAUTH user, else its ID) for as long as pluto runs,
 * so a client that reconnects gets its address back. Event loop only.
 */
final class AddressLeases {
  /** conn name → client → address. */
  private final Map<String, Map<String, InetAddress>> leases = new HashMap<>();

  /** Whose lease it is: the XAUTH user if there is one, else the peer's ID. */
  static String client(String xauthUser, Connection c) {
    return xauthUser != null ? "xauth:" + xauthUser : "id:" + c.remoteId();
  }

  /** A lease made elsewhere (a cluster node that negotiated the SA before this one took it over) is ours now. */
  void restore(Connection c, String client, InetAddress address) {
    leases.computeIfAbsent(c.name(), k -> new HashMap<>()).put(client, address);
  }

  /** The address for {@code client} on {@code c}; null when there is none to give. */
  InetAddress lease(Connection c, String client) {
    if (c.remote().sourceIp().isPresent()) {
      return c.remote().sourceIp().get();
    }
    AddressPool pool = c.remote().modecfg().pool().orElse(null);
    if (pool == null) {
      return null;
    }
    Map<String, InetAddress> mine = leases.computeIfAbsent(c.name(), k -> new HashMap<>());
    InetAddress had = mine.get(client);
    if (had != null) {
      return had;
    }
    java.util.Set<InetAddress> used = new java.util.HashSet<>(mine.values());
    for (int i = 0; i < pool.size(); i++) {
      InetAddress a = pool.get(i);
      if (!used.contains(a)) {
        mine.put(client, a);
        return a;
      }
    }
    return null;
  }
}
