package org.openswanj.pluto.ikev2;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.openswanj.kernel.IpsecProto;
import org.openswanj.kernel.KernelEvent;
import org.openswanj.kernel.SaId;
import org.openswanj.kernel.UdpEncap;
import org.openswanj.pluto.engine.IkeSettings;
import org.openswanj.whack.proto.WhackRequest;

/**
 * A NAT's new mapping reported by the kernel (klips: authenticated ESP from a new port; XFRM_MSG_MAPPING on netkey),
 * RFC 7296 §2.23: east, not behind the NAT, moves the IKE SA and its Child SAs' UDP encapsulation to the new port,
 * so replies and its own requests (a Delete) reach west again; west, behind the NAT, does not follow. IKEv2 and
 * IKEv1 (Openswan's KLIPS pluto follows for both). West's {@code forceencaps=yes} makes NAT-D say west is behind a
 * NAT, as a real one would.
 */
class NatMappingTest {
  static final String PSK = "@west @east : PSK \"a-long-shared-secret\"\n";
  static final InetSocketAddress NEW_MAPPING = new InetSocketAddress(TwoPlutos.WEST, 40001);

  private static TwoPlutos up(String ikev2) throws Exception {
    TwoPlutos t = new TwoPlutos(PSK, PSK, IkeSettings.defaults());
    Map<String, String> west = TwoPlutos.connFor(ikev2, "forceencaps", "yes");
    t.add(t.west, "west-east", west);
    t.add(t.east, "west-east", TwoPlutos.connFor(ikev2));
    String r = t.whack(t.west, new WhackRequest.Initiate("west-east", false)).text();
    assertTrue(r.contains("IPsec SA established"), r);
    return t;
  }

  /** The kernel's report: ESP of the SA with inbound SPI {@code spi} came from {@code from}. */
  private static void mapping(TwoPlutos t, TwoPlutos.Node n, InetAddress peer, int spi, InetSocketAddress from) {
    n.backend.listener().onEvent(new KernelEvent.Mapping(new SaId(peer, n.address, spi, IpsecProto.ESP), from));
    t.loop.runPending();
  }

  private static UdpEncap encap(TwoPlutos.Node n, InetAddress src, InetAddress dst, int spi) {
    return n.backend.sas().get(new SaId(src, dst, spi, IpsecProto.ESP)).encapsulation().udp();
  }

  /** Where east's last IKE message went. */
  private static InetSocketAddress lastFromEast(TwoPlutos t) {
    List<org.openswanj.pluto.net.MemoryNetwork.Datagram> fromEast = t.net.log().stream()
        .filter(d -> d.from().getAddress().equals(t.east.address) && d.bytes().length > 1).toList();
    return fromEast.get(fromEast.size() - 1).to();
  }

  @Test
  void ikev2EastFollowsTheNewMapping() throws Exception {
    TwoPlutos t = up("insist");
    ChildSa c = t.east.pluto.engine().childSas().get(0);
    assertEquals(4500, c.parent().remote().getPort(), "NAT-T floated to 4500");
    mapping(t, t.east, t.west.address, c.inboundSpi(), NEW_MAPPING);
    assertEquals(NEW_MAPPING, c.parent().remote(), "the IKE SA moved to the new mapping");
    assertEquals(new UdpEncap(4500, 40001), encap(t.east, t.east.address, t.west.address, c.outboundSpi()),
        "the outbound SA sends to it");
    assertEquals(new UdpEncap(40001, 4500), encap(t.east, t.west.address, t.east.address, c.inboundSpi()),
        "the inbound SA expects it");
    t.whack(t.east, new WhackRequest.Terminate("west-east"));
    assertEquals(NEW_MAPPING, lastFromEast(t), "east's Delete goes to the new mapping");
  }

  @Test
  void ikev1EastFollowsTheNewMapping() throws Exception {
    TwoPlutos t = up("never");
    org.openswanj.pluto.ikev1.QuickSa q = t.east.pluto.ikev1().ipsecSas().get(0);
    assertEquals(4500, q.parent().remote().getPort(), "NAT-T floated to 4500");
    mapping(t, t.east, t.west.address, q.inboundSpi(), NEW_MAPPING);
    assertEquals(NEW_MAPPING, q.parent().remote(), "the ISAKMP SA moved to the new mapping");
    assertEquals(new UdpEncap(4500, 40001), encap(t.east, t.east.address, t.west.address, q.outboundSpi()));
    assertEquals(new UdpEncap(40001, 4500), encap(t.east, t.west.address, t.east.address, q.inboundSpi()));
    t.whack(t.east, new WhackRequest.Terminate("west-east"));
    assertEquals(NEW_MAPPING, lastFromEast(t), "east's Deletes go to the new mapping");
  }

  @Test
  void ikev2AnIkeRequestFromANewMappingMovesTheChildSasToo() throws Exception {
    TwoPlutos t = new TwoPlutos(PSK, PSK, IkeSettings.defaults());
    t.add(t.west, "west-east", TwoPlutos.connFor("insist", "forceencaps", "yes", "dpddelay", "10", "dpdtimeout", "60"));
    t.add(t.east, "west-east", TwoPlutos.connFor("insist"));
    String r = t.whack(t.west, new WhackRequest.Initiate("west-east", false)).text();
    assertTrue(r.contains("IPsec SA established"), r);
    natRebooted(t);
    t.loop.advance(java.time.Duration.ofSeconds(11)); // west's DPD probe, an INFORMATIONAL request, comes from there
    ChildSa c = t.east.pluto.engine().childSas().get(0);
    assertEquals(NEW_MAPPING, c.parent().remote(), "RFC 7296 §2.23: the IKE SA answers where the request came from");
    assertEquals(new UdpEncap(4500, 40001), encap(t.east, t.east.address, t.west.address, c.outboundSpi()),
        "and its Child SA's ESP goes there too");
    // the ESP that then comes from the new mapping changes nothing more
    mapping(t, t.east, t.west.address, c.inboundSpi(), NEW_MAPPING);
    assertEquals(new UdpEncap(40001, 4500), encap(t.east, t.west.address, t.east.address, c.inboundSpi()));
  }

  /**
   * From now on a NAT maps west's 4500 to {@link #NEW_MAPPING}, both ways; the old mapping (west's own 4500, as
   * forceencaps has it) is gone: what east still sends there is lost.
   */
  private static void natRebooted(TwoPlutos t) {
    InetSocketAddress westNatt = new InetSocketAddress(TwoPlutos.WEST, 4500);
    t.net.setTap(d -> d.from().equals(westNatt) ? new org.openswanj.pluto.net.MemoryNetwork.Datagram(NEW_MAPPING,
        d.to(), d.bytes()) : d.to().equals(NEW_MAPPING) ? new org.openswanj.pluto.net.MemoryNetwork.Datagram(d.from(),
        westNatt, d.bytes()) : d.to().equals(westNatt) ? null : d);
  }

  @Test
  void ikev1QuickModeFromANewMappingIsAnsweredThere() throws Exception {
    TwoPlutos t = up("never");
    org.openswanj.pluto.ikev1.QuickSa old = t.west.pluto.ikev1().ipsecSas().get(0);
    natRebooted(t);
    t.west.pluto.ikev1().onExpire(old.inboundSpi(), false); // west's soft expiry: a new Quick Mode, from the new port
    t.loop.runPending();
    List<org.openswanj.pluto.ikev1.QuickSa> east = t.east.pluto.ikev1().ipsecSas();
    assertEquals(NEW_MAPPING, east.get(0).parent().remote(), "the ISAKMP SA moved to where the QI1 came from");
    assertTrue(t.west.pluto.ikev1().ipsecSas().stream().anyMatch(q -> q.serial() != old.serial() && q.installed()),
        "QR1 reached west: the new IPsec SA is up on both sides " + t.west.pluto.ikev1().ipsecSas());
    for (org.openswanj.pluto.ikev1.QuickSa q : east) {
      if (q.installed()) {
        assertEquals(new UdpEncap(4500, 40001), encap(t.east, t.east.address, t.west.address, q.outboundSpi()),
            "every IPsec SA's ESP goes to the new mapping");
      }
    }
  }

  @Test
  void westBehindTheNatDoesNotFollow() throws Exception {
    // IKEv1: forceencaps= sends a false NAT-D hash of our own address (as Openswan does), so west finds itself NATed
    TwoPlutos t = up("never");
    org.openswanj.pluto.ikev1.QuickSa q = t.west.pluto.ikev1().ipsecSas().get(0);
    InetSocketAddress before = q.parent().remote();
    mapping(t, t.west, t.east.address, q.inboundSpi(), new InetSocketAddress(TwoPlutos.EAST, 40002));
    assertEquals(before, q.parent().remote(), "RFC 7296 §2.23: a host behind a NAT SHOULD NOT update");
    assertEquals(new UdpEncap(4500, 4500), encap(t.west, t.west.address, t.east.address, q.outboundSpi()));
  }

  @Test
  void aNewAddressIsNotFollowed() throws Exception {
    TwoPlutos t = up("insist");
    ChildSa c = t.east.pluto.engine().childSas().get(0);
    InetSocketAddress before = c.parent().remote();
    mapping(t, t.east, t.west.address, c.inboundSpi(), new InetSocketAddress("192.1.2.99", 40001));
    assertEquals(before, c.parent().remote(), "the kernel SAs are keyed on the address: only a new port is followed");
  }
}
