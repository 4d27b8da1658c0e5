package org.openswanj.pluto.ikev1;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.openswanj.conf.VirtualPrivate;
import org.openswanj.kernel.IpsecMode;
import org.openswanj.kernel.SaSpec;
import org.openswanj.pluto.engine.IkeSettings;
import org.openswanj.pluto.ike.wire.ExchangeType;
import org.openswanj.pluto.ike.wire.IdType;
import org.openswanj.pluto.ike.wire.IkeCodec;
import org.openswanj.pluto.ike.wire.IkeHeader;
import org.openswanj.pluto.ike.wire.NatOaPayload;
import org.openswanj.pluto.ike.wire.Payload;
import org.openswanj.pluto.ike.wire.PayloadType;
import org.openswanj.pluto.ike.wire.V1SaPayload;
import org.openswanj.pluto.ike.wire.V1Transform;
import org.openswanj.pluto.ikev2.TwoPlutos;
import org.openswanj.pluto.net.MemoryNetwork.Datagram;
import org.openswanj.whack.proto.WhackRequest;

/**
 * An L2TP client behind a NAT to a {@code rightsubnet=vhost:%priv,%no} server, as Openswan 2.6 serves it: west
 * (192.1.2.45, a "private" address here) reaches east through a NAT that rewrites it to 192.1.2.254 with new ports.
 * West proposes UDP-Encapsulated-Transport (RFC 3947 §5.1: 4) and sends NAT-OAi/NAT-OAr (§5.2: payload 21); east
 * accepts IDci 192.1.2.45 only if virtual_private= allows it, makes instance [1] and installs transport-mode ESP in
 * UDP to the NAT's mapping. On virtual time, with the none backend.
 */
class Ikev1VhostTest {
  static final String PSK = "@west @east : PSK \"a-long-shared-secret\"\n";
  static final InetAddress NAT = addr("192.1.2.254");
  static final String L2TP_PRIVATE = "%v4:10.0.0.0/8,%v4:192.168.0.0/16,%v4:172.16.0.0/12";

  private static InetAddress addr(String s) {
    try {
      return InetAddress.getByName(s);
    } catch (java.net.UnknownHostException e) {
      throw new AssertionError(e);
    }
  }

  /** West's client conn: transport mode to east's L2TP port. */
  static Map<String, String> client() {
    Map<String, String> m = new LinkedHashMap<>();
    m.put("left", TwoPlutos.WEST);
    m.put("leftid", "@west");
    m.put("leftprotoport", "17/1701");
    m.put("right", TwoPlutos.EAST);
    m.put("rightid", "@east");
    m.put("rightprotoport", "17/1701");
    m.put("authby", "secret");
    m.put("type", "transport");
    m.put("ikev2", "never");
    return m;
  }

  /** East's conn l2tp-psk, Openswan's L2TP server shape. */
  static Map<String, String> server(String rightsubnet) {
    Map<String, String> m = new LinkedHashMap<>();
    m.put("left", TwoPlutos.EAST);
    m.put("leftid", "@east");
    m.put("leftprotoport", "17/1701");
    m.put("right", "%any");
    m.put("rightid", "@west");
    m.put("rightprotoport", "17/%any");
    m.put("rightsubnet", rightsubnet);
    m.put("authby", "secret");
    m.put("type", "transport");
    m.put("ikev2", "never");
    return m;
  }

  /** A NAT in front of west: its ports 500/4500 leave as the NAT's 40500/44500, and answers come back. */
  static void nat(TwoPlutos t) {
    InetAddress west = addr(TwoPlutos.WEST);
    t.net.setTap(d -> {
      if (d.from().getAddress().equals(west)) {
        return new Datagram(new InetSocketAddress(NAT, d.from().getPort() + 40000), d.to(), d.bytes());
      }
      if (d.to().getAddress().equals(NAT)) {
        return new Datagram(d.from(), new InetSocketAddress(west, d.to().getPort() - 40000), d.bytes());
      }
      return d;
    });
  }

  private static TwoPlutos up(String virtualPrivate, String rightsubnet, boolean natted) throws Exception {
    IkeSettings east = IkeSettings.defaults().withVirtualPrivate(VirtualPrivate.parse(virtualPrivate));
    TwoPlutos t = new TwoPlutos(PSK, PSK, IkeSettings.defaults(), east);
    if (natted) {
      nat(t);
    }
    assertTrue(t.add(t.west, "l2tp", client()).text().contains("added connection description"));
    assertTrue(t.add(t.east, "l2tp-psk", server(rightsubnet)).text().contains("added connection description"));
    t.whack(t.west, new WhackRequest.Initiate("l2tp", false));
    t.loop.advance(java.time.Duration.ofSeconds(30));
    return t;
  }

  @Test
  void aNatedClientInsideVirtualPrivateGetsItsInstanceAndTransportEspInUdp() throws Exception {
    TwoPlutos t = up("%v4:192.1.2.0/24", "vhost:%priv,%no", true);
    List<QuickSa> east = t.east.pluto.ikev1().ipsecSas();
    assertEquals(1, east.size(), t.east.backend.describe().toString());
    QuickSa q = east.get(0);
    assertTrue(q.installed());
    assertEquals(1, q.instance(), "\"l2tp-psk\"[1]");
    assertEquals("192.1.2.45/32", q.peerClient().toString(), "its private address, from IDci");
    assertEquals(addr(TwoPlutos.WEST), q.natOa, "NAT-OAi carried west's original address");
    assertEquals(new InetSocketAddress(NAT, 44500), q.parent().remote(), "the NAT's mapping of west's 4500");
    String status = t.whack(t.east, new WhackRequest.Status(false)).text();
    assertTrue(status.contains("\"l2tp-psk\"[1]: 192.1.2.23<192.1.2.23>[@east]...192.1.2.254<192.1.2.254>[@west]"
        + "===192.1.2.45/32; erouted; eroute owner: #" + q.serial()), status);
    assertTrue(status.contains("#" + q.serial() + ": \"l2tp-psk\"[1] 192.1.2.254:44500 STATE_QUICK_R2"), status);
    // the kernel gets transport mode in UDP to the NAT's 44500, selectors on the addresses the packets carry
    for (SaSpec s : t.east.backend.sas().values()) {
      assertEquals(IpsecMode.TRANSPORT, s.encapsulation().mode());
      assertNotNull(s.encapsulation().udp(), "ESP in UDP (RFC 3948)");
      String sel = s.binding().selector().toString();
      assertTrue(sel.contains("192.1.2.254") && sel.contains("192.1.2.23"), sel);
    }
    assertTrue(t.west.pluto.ikev1().ipsecSas().get(0).installed(), "west is up too");
  }

  @Test
  void theClientsRekeyKeepsItsInstance() throws Exception {
    TwoPlutos t = up("%v4:192.1.2.0/24", "vhost:%priv,%no", true);
    long first = t.east.pluto.ikev1().ipsecSas().get(0).serial();
    QuickSa old = t.west.pluto.ikev1().ipsecSas().get(0);
    t.west.pluto.ikev1().onExpire(old.inboundSpi(), false); // west's soft expiry: a new Quick Mode
    t.loop.runPending();
    QuickSa rekeyed = t.east.pluto.ikev1().ipsecSas().stream().filter(q -> q.serial() != first && q.installed())
        .findFirst().orElseThrow(() -> new AssertionError("no new IPsec SA on east"));
    assertEquals(1, rekeyed.instance(), "still \"l2tp-psk\"[1]: Openswan finds the client's instance again");
  }

  @Test
  void quickModeCarriesUdpTransportAndNatOaPayloads() throws Exception {
    TwoPlutos t = up("%v4:192.1.2.0/24", "vhost:%priv,%no", true);
    QuickSa west = t.west.pluto.ikev1().ipsecSas().get(0);
    QuickSa east = t.east.pluto.ikev1().ipsecSas().get(0);
    V1Protect.Opened first = quickMode(t, west.parent(), TwoPlutos.WEST, west.messageId,
        V1Protect.phase2Iv(west.parent(), west.messageId));
    List<Payload> qi1 = first.payloads();
    // RFC 2409 App. B: QR1 is encrypted on from QI1's last cipher block
    List<Payload> qr1 = quickMode(t, east.parent(), TwoPlutos.EAST, west.messageId, first.nextIv()).payloads();
    // RFC 3947 §5.2: NAT-OAi (the initiator's original address) then NAT-OAr, type 21 as RFC 3947 was agreed
    assertEquals(List.of(new NatOaPayload(IdType.ID_IPV4_ADDR, addr(TwoPlutos.WEST)),
        new NatOaPayload(IdType.ID_IPV4_ADDR, addr(TwoPlutos.EAST))), natOas(qi1));
    assertTrue(natOas(qi1).stream().allMatch(n -> n.payloadType() == PayloadType.NAT_OA && n.payloadType()
        .wireValue() == 21));
    // the responder, having chosen UDP-Encapsulated-Transport, sends them back as it sees them
    assertEquals(List.of(new NatOaPayload(IdType.ID_IPV4_ADDR, NAT), new NatOaPayload(IdType.ID_IPV4_ADDR,
        addr(TwoPlutos.EAST))), natOas(qr1));
    for (List<Payload> msg : List.of(qi1, qr1)) {
      V1SaPayload sa = msg.stream().filter(p -> p instanceof V1SaPayload).map(p -> (V1SaPayload) p).findFirst()
          .orElseThrow();
      for (V1Transform tr : sa.proposals().get(0).transforms()) {
        assertEquals(V1Proposals.ENCAP_UDP_TRANSPORT, V1Proposals.encap(tr),
            "RFC 3947 §5.1 UDP-Encapsulated-Transport");
        assertEquals(4, V1Proposals.encap(tr));
      }
    }
  }

  @Test
  void withoutANatTheClientsOwnAddressIsAcceptedByNoAndNoNatOaIsSent() throws Exception {
    TwoPlutos t = up("%v4:10.0.0.0/8", "vhost:%priv,%no", false);
    QuickSa q = t.east.pluto.ikev1().ipsecSas().get(0);
    assertTrue(q.installed(), "%no: the peer's own address");
    assertEquals(null, q.natOa);
    QuickSa west = t.west.pluto.ikev1().ipsecSas().get(0);
    assertTrue(natOas(quickMode(t, west.parent(), TwoPlutos.WEST, west.messageId,
        V1Protect.phase2Iv(west.parent(), west.messageId)).payloads()).isEmpty(), "no NAT: no NAT-OA");
    for (SaSpec s : t.east.backend.sas().values()) {
      assertEquals(null, s.encapsulation().udp(), "plain ESP");
    }
  }

  @Test
  void withoutNoThePeersOwnAddressIsRefused() throws Exception {
    TwoPlutos t = up("%v4:10.0.0.0/8", "vhost:%priv", false);
    assertTrue(t.east.backend.sas().isEmpty(), "vhost:%priv alone: the public address is not virtual_private's");
  }

  @Test
  void aClientOutsideVirtualPrivateIsRefusedWithOneLineAndNoSa() throws Exception {
    TwoPlutos t = up(L2TP_PRIVATE + ",%v4:!192.1.0.0/16", "vhost:%priv,%no", true);
    assertTrue(t.east.pluto.ikev1().ipsecSas().stream().noneMatch(QuickSa::installed));
    assertTrue(t.east.backend.sas().isEmpty(), t.east.backend.describe().toString());
    assertTrue(t.west.pluto.ikev1().ipsecSas().stream().noneMatch(QuickSa::installed));
  }

  @Test
  void anExcludedClientIsRefusedToo() throws Exception {
    TwoPlutos t = up("%v4:192.1.0.0/16,%v4:!192.1.2.0/24", "vhost:%priv,%no", true);
    assertTrue(t.east.backend.sas().isEmpty(), t.east.backend.describe().toString());
  }

  /** The decrypted payloads of the Quick Mode message {@code mid} that {@code from} sent, read with {@code sa}. */
  private static V1Protect.Opened quickMode(TwoPlutos t, IsakmpSa sa, String from, int mid, byte[] iv)
      throws Exception {
    for (Datagram d : t.net.log()) {
      byte[] b = d.bytes();
      if (b.length > 4 && b[0] == 0 && b[1] == 0 && b[2] == 0 && b[3] == 0) {
        b = Arrays.copyOfRange(b, 4, b.length); // RFC 3948 §2.2 non-ESP marker
      }
      if (!d.from().getAddress().getHostAddress().equals(from) || b.length < IkeHeader.SIZE) {
        continue;
      }
      IkeHeader h = IkeCodec.decodeHeader(b);
      if (h.exchangeType() == ExchangeType.QUICK_MODE.wireValue() && h.messageId() == mid) {
        return V1Protect.open(sa, h, b, iv);
      }
    }
    throw new AssertionError("no Quick Mode message " + mid + " from " + from);
  }

  private static List<NatOaPayload> natOas(List<Payload> msg) {
    return msg.stream().filter(p -> p instanceof NatOaPayload).map(p -> (NatOaPayload) p).toList();
  }
}
