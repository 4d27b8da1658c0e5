package org.openswanj.pluto.daemon;

import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.LinkedHashMap;
import java.util.Map;
import org.openswanj.conf.Subnet;
import org.openswanj.pluto.conn.Connection;
import org.openswanj.pluto.conn.PolicyNames;

/**
 * The environment and verb Openswan 2.6's pluto gives an updown script (programs/pluto/kernel.c,
 * fmt_common_shell_out and kernel_command_verb_suffix): interface version 2.0, every {@code PLUTO_*} variable
 * it sets, and the verb suffix {@code -host} when our client is our own host address, {@code -client}
 * otherwise, with {@code -v6} appended for IPv6.
 */
record UpdownEnv(String stack, String iface) {

  /** What one script run is about. */
  record Run(Connection conn, String what, InetAddress us, InetAddress peer, Subnet peerNet, int reqid,
      org.openswanj.pluto.sa.UpdownHook.SaPeer sa) {
    Run(Connection conn, String what, InetAddress us, InetAddress peer, Subnet peerNet, int reqid) {
      this(conn, what, us, peer, peerNet, reqid, org.openswanj.pluto.sa.UpdownHook.SaPeer.NONE);
    }
  }

  /** {@code route-client}, {@code up-host-v6}, …: Openswan picks -host when our client subnet is just us. */
  static String verb(Connection c, String what, InetAddress us) {
    Subnet mine = c.localSubnets().get(0);
    boolean host = c.localSubnets().size() == 1 && mine.equals(Connection.hostSubnet(us));
    return what + (host ? "-host" : "-client") + (us instanceof Inet6Address ? "-v6" : "");
  }

  Map<String, String> build(Run r) {
    Connection c = r.conn();
    // a ModeCfg client's client is the address the gateway gave it (Openswan sets this.client to it)
    java.util.Optional<InetAddress> given = r.sa().ourAddress();
    Subnet mine = given.map(Connection::hostSubnet).orElse(c.localSubnets().get(0));
    Map<String, String> env = new LinkedHashMap<>();
    env.put("PLUTO_VERSION", "2.0");
    env.put("PLUTO_VERB", given.isPresent() ? r.what() + "-client" : verb(c, r.what(), r.us()));
    env.put("PLUTO_CONNECTION", c.name());
    env.put("PLUTO_INTERFACE", iface);
    // Openswan: the next hop defaults to the peer itself when leftnexthop= is not given
    env.put("PLUTO_NEXT_HOP", c.local().nexthop().orElse(r.peer()).getHostAddress());
    env.put("PLUTO_ME", r.us().getHostAddress());
    env.put("PLUTO_MY_ID", c.localId().toString());
    client(env, "PLUTO_MY_CLIENT", mine);
    env.put("PLUTO_MY_PORT", Integer.toString(c.local().protoPort().port()));
    env.put("PLUTO_MY_PROTOCOL", Integer.toString(c.local().protoPort().protocol()));
    env.put("PLUTO_PEER", r.peer().getHostAddress());
    env.put("PLUTO_PEER_ID", c.remoteId().toString());
    client(env, "PLUTO_PEER_CLIENT", r.peerNet());
    env.put("PLUTO_PEER_PORT", Integer.toString(c.remote().protoPort().port()));
    env.put("PLUTO_PEER_PROTOCOL", Integer.toString(c.remote().protoPort().protocol()));
    env.put("PLUTO_PEER_CA", c.remote().ca().orElse(""));
    env.put("PLUTO_STACK", stack);
    positive(env, "PLUTO_METRIC", c.config().keywords().get("metric"));
    positive(env, "PLUTO_MTU", c.config().keywords().get("mtu"));
    env.put("PLUTO_CONN_POLICY", PolicyNames.of(c.config()));
    env.put("PLUTO_CONN_ADDRFAMILY", family(r.us()));
    env.put("PLUTO_CONN_CLIENTFAMILY", family(mine.network()));
    env.put("PLUTO_CONN_ENDFAMILY", family(r.us()));
    given.or(() -> c.local().sourceIp()).ifPresent(s -> env.put("PLUTO_MY_SOURCEIP", s.getHostAddress()));
    // remote_peer_type=cisco: what the gateway's Cisco Unity ModeConfig said (an environment holds no NUL)
    env.put("PLUTO_IS_PEER_CISCO", r.sa().cisco() ? "1" : "0");
    env.put("PLUTO_CISCO_DNS_INFO", "");
    env.put("PLUTO_CISCO_DOMAIN_INFO", r.sa().domain().map(d -> d.replace("\0", "")).orElse(""));
    env.put("PLUTO_PEER_BANNER", r.sa().banner().map(b -> b.replace("\0", "")).orElse(""));
    if (r.reqid() != 0) { // ours (as Libreswan's): the kernel reqid of the SA pair
      env.put("PLUTO_REQID", Integer.toString(r.reqid()));
      env.put("PLUTO_SA_REQID", Integer.toString(r.reqid()));
    }
    env.put("PLUTO_SA_TYPE", c.config().phase2().name());
    r.sa().xauthUser().ifPresent(u -> env.put("PLUTO_XAUTH_USERNAME", u)); // Openswan sets it for an XAUTH SA
    return env;
  }

  private static void client(Map<String, String> env, String prefix, Subnet s) {
    env.put(prefix, s.toString());
    env.put(prefix + "_NET", s.network().getHostAddress());
    env.put(prefix + "_MASK", mask(s));
  }

  /** Openswan sets PLUTO_METRIC / PLUTO_MTU only when the conn gives a non-zero value. */
  private static void positive(Map<String, String> env, String name, String value) {
    if (value != null && value.trim().matches("[1-9]\\d{0,8}")) {
      env.put(name, value.trim());
    }
  }

  private static String family(InetAddress a) {
    return a instanceof Inet6Address ? "ipv6" : "ipv4";
  }

  static String mask(Subnet s) {
    byte[] m = new byte[s.network().getAddress().length];
    for (int bit = 0; bit < s.prefix(); bit++) {
      m[bit / 8] |= (byte) (0x80 >> (bit % 8));
    }
    try {
      return InetAddress.getByAddress(m).getHostAddress();
    } catch (UnknownHostException e) {
      throw new IllegalStateException("a 4- or 16-byte mask is always an address", e);
    }
  }
}
