package org.openswanj.conf;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetAddress;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * {@code rightsubnet=vhost:…}/{@code vnet:…} against {@code virtual_private=}, as Openswan 2.6's
 * is_virtual_net_allowed decides: what a NAT-ed peer may claim as its client.
 */
class VirtualSubnetTest {
  private static final InetAddress PUBLIC = addr("192.1.2.254");
  private static final VirtualPrivate L2TP = vp("%v4:10.0.0.0/8,%v4:192.168.0.0/16,%v4:172.16.0.0/12,%v4:!10.9.0.0/16");

  private static InetAddress addr(String s) {
    try {
      return Subnet.parseAddress(s, s);
    } catch (ConfigException e) {
      throw new AssertionError(e);
    }
  }

  private static VirtualPrivate vp(String s) {
    try {
      return VirtualPrivate.parse(s);
    } catch (ConfigException e) {
      throw new AssertionError(e);
    }
  }

  private static VirtualSubnet v(String s) throws ConfigException {
    return VirtualSubnet.of("rightsubnet", s).orElseThrow();
  }

  private static Optional<String> refusal(String virt, String peerNet) throws ConfigException {
    return v(virt).refusal(Subnet.parse(peerNet), PUBLIC, L2TP);
  }

  @Test
  void aPrivateHostInsideVirtualPrivateIsAccepted() throws Exception {
    assertEquals(Optional.empty(), refusal("vhost:%priv,%no", "192.168.1.33/32"));
    assertEquals(Optional.empty(), refusal("vhost:%priv,%no", "10.1.2.3/32"));
    assertEquals(Optional.empty(), refusal("vhost:%priv,%no", "172.16.5.5/32"));
  }

  @Test
  void anExcludedOrOutsideClientIsRefusedNamingVirtualPrivate() throws Exception {
    assertEquals(Optional.of("peer client 10.9.1.1/32 is not in virtual_private=%v4:10.0.0.0/8,"
        + "%v4:192.168.0.0/16,%v4:172.16.0.0/12,%v4:!10.9.0.0/16"), refusal("vhost:%priv,%no", "10.9.1.1/32"));
    assertTrue(refusal("vhost:%priv,%no", "100.64.0.1/32").orElseThrow().startsWith("peer client 100.64.0.1/32 is "
        + "not in virtual_private="));
  }

  @Test
  void noAcceptsThePeersOwnAddressOnlyWhenThereIsNoNat() throws Exception {
    assertEquals(Optional.empty(), refusal("vhost:%no", "192.1.2.254/32"), "the IKE peer's own address");
    assertTrue(refusal("vhost:%no", "192.168.1.33/32").isPresent(), "%no alone: a NAT-ed private address is not");
    assertTrue(refusal("vhost:%priv", "192.1.2.254/32").isPresent(), "without %no the public address is not");
  }

  @Test
  void vhostTakesHostsOnlyAndVnetNetworks() throws Exception {
    assertEquals(Optional.of("peer client 192.168.1.0/24 is a network, but vhost: accepts a single host only"),
        refusal("vhost:%priv", "192.168.1.0/24"));
    assertEquals(Optional.empty(), refusal("vnet:%priv", "192.168.1.0/24"));
    assertTrue(refusal("vnet:%priv", "10.9.0.0/24").isPresent(), "an excluded network");
  }

  @Test
  void itsOwnNetworksAndAll() throws Exception {
    assertEquals(Optional.empty(), refusal("vhost:%v4:100.64.0.0/10", "100.64.0.1/32"));
    assertEquals(Optional.of("peer client 100.128.0.1/32 is not in [100.64.0.0/10]"),
        refusal("vhost:%v4:100.64.0.0/10", "100.128.0.1/32"));
    assertEquals(Optional.empty(), refusal("vhost:%all", "8.8.8.8/32"));
    assertTrue(v("vhost:%priv").refusal(Subnet.parse("10.1.1.1/32"), PUBLIC, VirtualPrivate.NONE).isPresent(),
        "no virtual_private= at all: %priv allows nothing");
  }

  @Test
  void parsing() throws Exception {
    VirtualSubnet s = v("vhost:%no,%priv");
    assertTrue(s.hostOnly() && s.no() && s.priv() && !s.all() && s.nets().isEmpty());
    assertFalse(v("vnet:%priv").hostOnly());
    assertEquals(Optional.empty(), VirtualSubnet.of("rightsubnet", "10.0.0.0/8"), "an ordinary subnet");
    assertThrows(ConfigException.class, () -> v("vhost:%bogus"));
    assertThrows(ConfigException.class, () -> v("vhost:10.0.0.0/8"), "Openswan wants %v4: before a network");
    assertThrows(ConfigException.class, () -> v("vhost:%v4:!10.0.0.0/8"));
  }
}
