package org.openswanj.pluto.daemon.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.openswanj.cluster.etcd.ClusterException;
import org.openswanj.conf.secrets.HostResolver;
import org.openswanj.conf.secrets.SecretsLoader;

/** Start-up checks of the cluster membership and the send gate (docs/HA.md); etcd itself is the lab's part. */
class ClusterServiceTest {
  private static final String HEX = "00112233445566778899aabbccddeeff0123456789abcdeffedcba9876543210";

  @Test
  void aMissingClusterKeyIsAnErrorNamingTheSecretsFile() {
    var secrets = SecretsLoader.parse("@a @b : PSK \"x\"\n", Path.of("/etc/ipsec.secrets"), Path.of("/etc/ipsec.d"),
        HostResolver.none()).secrets();
    ClusterException e = assertThrows(ClusterException.class,
        () -> ClusterService.key(secrets, Path.of("/etc/ipsec.secrets")));
    assertTrue(e.getMessage().contains("/etc/ipsec.secrets has no cluster key"), e.getMessage());
  }

  @Test
  void theClusterKeyIsTakenAndNeverShown() throws Exception {
    var secrets = SecretsLoader.parse(": CLUSTER 0x" + HEX + "\n", Path.of("/etc/ipsec.secrets"),
        Path.of("/etc/ipsec.d"), HostResolver.none()).secrets();
    var key = ClusterService.key(secrets, Path.of("/etc/ipsec.secrets"));
    assertEquals("[cluster key]", key.toString());
    assertFalse(secrets.toString().contains(HEX.substring(0, 16)));
  }

  @Test
  void theGateSilencesOnlyTheAddressesItIsTold() throws Exception {
    List<InetSocketAddress> sent = new ArrayList<>();
    SendGate gate = new SendGate(new org.openswanj.pluto.net.IkeTransport() {
      @Override
      public void send(InetSocketAddress l, InetSocketAddress r, byte[] m) {
        sent.add(l);
      }

      @Override
      public void sendNatKeepalive(InetSocketAddress l, InetSocketAddress r) {
        sent.add(l);
      }
    });
    InetAddress vip = InetAddress.getByName("192.0.2.100");
    InetSocketAddress fromVip = new InetSocketAddress(vip, 500);
    InetSocketAddress fromOwn = new InetSocketAddress(InetAddress.getByName("192.0.2.1"), 500);
    InetSocketAddress peer = new InetSocketAddress(InetAddress.getByName("198.51.100.1"), 500);
    gate.silence(Set.of(vip));
    gate.send(fromVip, peer, new byte[28]);
    gate.send(fromOwn, peer, new byte[28]);
    assertEquals(List.of(fromOwn), sent, "a standby sends nothing from the virtual address");
    gate.silence(Set.of());
    gate.send(fromVip, peer, new byte[28]);
    assertEquals(List.of(fromOwn, fromVip), sent);
  }

  @Test
  void theLanDeviceIsTheOneSharingTheVirtualAddressSubnet() throws Exception {
    assertTrue(LanVip.sameSubnet(InetAddress.getByName("10.9.0.1"), InetAddress.getByName("10.9.0.100"), 24));
    assertFalse(LanVip.sameSubnet(InetAddress.getByName("10.9.1.1"), InetAddress.getByName("10.9.0.100"), 24));
    assertFalse(LanVip.sameSubnet(InetAddress.getByName("10.9.0.1"), InetAddress.getByName("10.9.0.100"), 0));
  }
}
