package org.openswanj.pluto.daemon;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.common.net.InetAddresses;
import java.net.InetAddress;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.openswanj.conf.ConfigLoader;
import org.openswanj.conf.ConnConfig;
import org.openswanj.conf.LoadResult;
import org.openswanj.pluto.conn.Connection;
import org.junit.jupiter.api.Test;

/** The updown environment against Openswan 2.6's kernel.c list (fmt_common_shell_out). */
class UpdownEnvTest {
  private static final List<String> OPENSWAN_VARS = List.of("PLUTO_VERSION", "PLUTO_VERB", "PLUTO_CONNECTION",
      "PLUTO_INTERFACE", "PLUTO_NEXT_HOP", "PLUTO_ME", "PLUTO_MY_ID", "PLUTO_MY_CLIENT", "PLUTO_MY_CLIENT_NET",
      "PLUTO_MY_CLIENT_MASK", "PLUTO_MY_PORT", "PLUTO_MY_PROTOCOL", "PLUTO_PEER", "PLUTO_PEER_ID",
      "PLUTO_PEER_CLIENT", "PLUTO_PEER_CLIENT_NET", "PLUTO_PEER_CLIENT_MASK", "PLUTO_PEER_PORT",
      "PLUTO_PEER_PROTOCOL", "PLUTO_PEER_CA", "PLUTO_STACK", "PLUTO_CONN_POLICY", "PLUTO_CONN_ADDRFAMILY",
      "PLUTO_CONN_CLIENTFAMILY", "PLUTO_CONN_ENDFAMILY", "PLUTO_IS_PEER_CISCO", "PLUTO_CISCO_DNS_INFO",
      "PLUTO_CISCO_DOMAIN_INFO", "PLUTO_PEER_BANNER");

  private static Connection conn(String body, String us) throws Exception {
    LoadResult r = ConfigLoader.parse("config setup\n\nconn c\n" + body, Path.of("test.conf"));
    assertTrue(r.diagnostics().isEmpty(), r.diagnostics().toString());
    ConnConfig cc = r.config().conns().stream().filter(x -> x.name().equals("c")).findFirst().orElseThrow();
    return Connection.orient(cc, List.of(InetAddresses.forString(us)), Instant.EPOCH);
  }

  private static Map<String, String> env(Connection c, String what, String us, String peer) {
    InetAddress p = InetAddresses.forString(peer);
    return new UpdownEnv("netkey", "eth0").build(new UpdownEnv.Run(c, what, InetAddresses.forString(us), p,
        c.remoteSubnets(p).get(0), 16384));
  }

  @Test
  void everyOpenswanVariableIsSetAndPolicyIsFull() throws Exception {
    Connection c = conn("\tleft=192.0.2.1\n\tleftsubnet=10.1.0.0/24\n\tright=192.0.2.2\n\trightsubnet=0.0.0.0/0\n"
        + "\tauthby=secret\n\tauto=start\n\tleftsourceip=10.1.0.1\n\trightca=\"C=CA, O=Lab\"\n", "192.0.2.1");
    Map<String, String> env = env(c, "route", "192.0.2.1", "192.0.2.2");
    assertTrue(env.keySet().containsAll(OPENSWAN_VARS), "missing: " + OPENSWAN_VARS.stream()
        .filter(v -> !env.containsKey(v)).toList());
    assertEquals("route-client", env.get("PLUTO_VERB"));
    assertEquals("0.0.0.0/0", env.get("PLUTO_PEER_CLIENT"));
    assertEquals("0.0.0.0", env.get("PLUTO_PEER_CLIENT_MASK"));
    assertEquals("255.255.255.0", env.get("PLUTO_MY_CLIENT_MASK"));
    assertEquals("PSK+ENCRYPT+TUNNEL+PFS+UP+IKEv2ALLOW", env.get("PLUTO_CONN_POLICY"));
    assertEquals("ipv4", env.get("PLUTO_CONN_ADDRFAMILY"));
    assertEquals("10.1.0.1", env.get("PLUTO_MY_SOURCEIP"));
    assertEquals("C=CA, O=Lab", env.get("PLUTO_PEER_CA"));
    assertEquals("192.0.2.2", env.get("PLUTO_NEXT_HOP"));
    assertEquals("16384", env.get("PLUTO_REQID"));
    assertFalse(env.containsKey("PLUTO_METRIC"), "Openswan sets PLUTO_METRIC only for a non-zero metric");
  }

  @Test
  void hostVerbWhenOurClientIsOurHostEvenIfThePeerHasASubnet() throws Exception {
    Connection c = conn("\tleft=192.0.2.1\n\tright=192.0.2.2\n\trightsubnet=10.2.0.0/16\n\tauthby=secret\n",
        "192.0.2.1");
    assertEquals("up-host", env(c, "up", "192.0.2.1", "192.0.2.2").get("PLUTO_VERB"));
    assertEquals("10.2.0.0/16", env(c, "up", "192.0.2.1", "192.0.2.2").get("PLUTO_PEER_CLIENT"));
  }

  @Test
  void ipv6GetsTheV6Verbs() throws Exception {
    Connection c = conn("\tconnaddrfamily=ipv6\n\tleft=2001:db8::1\n\tleftsubnet=2001:db8:1::/48\n"
        + "\tright=2001:db8::2\n\tauthby=secret\n", "2001:db8::1");
    Map<String, String> env = env(c, "down", "2001:db8::1", "2001:db8::2");
    assertEquals("down-client-v6", env.get("PLUTO_VERB"));
    assertEquals("ipv6", env.get("PLUTO_CONN_CLIENTFAMILY"));
    assertEquals("ffff:ffff:ffff:0:0:0:0:0", env.get("PLUTO_MY_CLIENT_MASK"));
    Connection h = conn("\tconnaddrfamily=ipv6\n\tleft=2001:db8::1\n\tright=2001:db8::2\n\tauthby=secret\n",
        "2001:db8::1");
    assertEquals("up-host-v6", env(h, "up", "2001:db8::1", "2001:db8::2").get("PLUTO_VERB"));
  }

  @Test
  void aCiscoUnityGatewaysBannerAndDomainReachTheScript() throws Exception {
    Connection c = conn("\tleft=192.0.2.1\n\tright=192.0.2.2\n\tremote_peer_type=cisco\n\tauthby=secret\n",
        "192.0.2.1");
    InetAddress p = InetAddresses.forString("192.0.2.2");
    var sa = new org.openswanj.pluto.sa.UpdownHook.SaPeer(java.util.Optional.of(new org.openswanj.conf.Subnet(
        InetAddresses.forString("10.2.0.0"), 24)), java.util.Optional.empty(),
        java.util.Optional.of(InetAddresses.forString("10.9.200.1")), true,
        java.util.Optional.of("Welcome\nto the lab"), java.util.Optional.of("lab.example"));
    Map<String, String> env = new UpdownEnv("klips", "ipsec0").build(new UpdownEnv.Run(c, "up",
        InetAddresses.forString("192.0.2.1"), p, sa.client().get(), 16384, sa));
    assertEquals("Welcome\nto the lab", env.get("PLUTO_PEER_BANNER"));
    assertEquals("lab.example", env.get("PLUTO_CISCO_DOMAIN_INFO"));
    assertEquals("1", env.get("PLUTO_IS_PEER_CISCO"));
    assertEquals("10.2.0.0/24", env.get("PLUTO_PEER_CLIENT"));
    assertEquals("10.9.200.1/32", env.get("PLUTO_MY_CLIENT"));
    assertEquals("", env(c, "up", "192.0.2.1", "192.0.2.2").get("PLUTO_PEER_BANNER"), "none without Unity");
  }
}
