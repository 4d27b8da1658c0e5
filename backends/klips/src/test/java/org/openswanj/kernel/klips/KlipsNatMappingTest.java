package org.openswanj.kernel.klips;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.openswanj.alg.Encryption;
import org.openswanj.kernel.Direction;
import org.openswanj.kernel.Encapsulation;
import org.openswanj.kernel.IpsecMode;
import org.openswanj.kernel.IpsecProto;
import org.openswanj.kernel.KernelEvent;
import org.openswanj.kernel.Lifetime;
import org.openswanj.kernel.PolicyAction;
import org.openswanj.kernel.PolicyDirection;
import org.openswanj.kernel.PolicyId;
import org.openswanj.kernel.PolicySpec;
import org.openswanj.kernel.Replay;
import org.openswanj.kernel.SaBinding;
import org.openswanj.kernel.SaId;
import org.openswanj.kernel.SaSpec;
import org.openswanj.kernel.SaTemplate;
import org.openswanj.kernel.SaTransform;
import org.openswanj.kernel.SecretKey;
import org.openswanj.kernel.Selector;
import org.openswanj.kernel.UdpEncap;
import org.openswanj.kernel.UdpEncapSocket;
import org.openswanj.kernel.klips.net.IpPacket;
import org.openswanj.kernel.klips.net.MemoryNet;
import org.openswanj.kernel.klips.net.MemoryTun;

/**
 * East's klips and a peer behind a NAT (RFC 3948 ESP in UDP): ESP from the port the SA was installed with is quiet,
 * ESP from another port is reported once as a new mapping (a KernelEvent.Mapping for pluto), and once pluto moves
 * the SAs there ({@code updateSaEncap}) the outbound SA sends to the new port, keeping its sequence numbers.
 */
class KlipsNatMappingTest {
  private static final int IN_SPI = 0x2001;
  private static final int OUT_SPI = 0x2002;
  private static final Duration WAIT = Duration.ofSeconds(5);
  private final InetAddress natIp = ip("192.1.2.254");
  private final InetAddress eastIp = ip("192.1.2.23");
  private final InetAddress westNet = ip("10.1.0.1");
  private final InetAddress eastNet = ip("10.2.0.1");
  private final Selector westToEast = Selector.of(westNet, 24, eastNet, 24);
  private final SaId inId = new SaId(natIp, eastIp, IN_SPI, IpsecProto.ESP);
  private final SaId outId = new SaId(eastIp, natIp, OUT_SPI, IpsecProto.ESP);
  private final MemoryNet net = new MemoryNet();
  private final LinkedBlockingQueue<KernelEvent> events = new LinkedBlockingQueue<>();
  private final LinkedBlockingQueue<InetSocketAddress> sentTo = new LinkedBlockingQueue<>();
  private final LinkedBlockingQueue<byte[]> sent = new LinkedBlockingQueue<>();
  private KlipsBackend east;
  private MemoryTun eastTun;
  /** The peer's half of the inbound SA (what west's outbound SA would be): it makes the ESP east receives. */
  private EspMaker west;

  private static InetAddress ip(String s) {
    try {
      return InetAddress.getByName(s);
    } catch (java.net.UnknownHostException e) {
      throw new AssertionError(e);
    }
  }

  private static SaSpec spec(Direction d, Selector sel, UdpEncap udp) {
    byte[] k = new byte[20];
    for (int i = 0; i < k.length; i++) {
      k[i] = (byte) (0x40 + i);
    }
    return new SaSpec(d, SaTransform.aead(Encryption.AES_GCM_16, new SecretKey(k)), new Encapsulation(IpsecMode.TUNNEL,
        udp), new Replay(64, false), new SaBinding("west-east", 1, sel), Lifetime.NONE);
  }

  /** A second klips that seals west's pings with the inbound SA's keys, on its own in-memory host. */
  private static final class EspMaker implements AutoCloseable {
    final KlipsBackend k;
    final MemoryTun tun;
    final LinkedBlockingQueue<byte[]> wire = new LinkedBlockingQueue<>();

    EspMaker(MemoryNet net, InetAddress westIp, InetAddress eastIp, Selector sel) throws Exception {
      MemoryNet.Host w = net.host(westIp);
      k = KlipsBackend.open(KlipsConfig.of(List.of(new KlipsConfig.Binding("ipsec0", "eth0"))), w);
      tun = w.tun("ipsec0");
      k.addSa(new SaId(westIp, eastIp, IN_SPI, IpsecProto.ESP), spec(Direction.OUTBOUND, sel, null));
      k.addPolicy(new PolicyId(sel, PolicyDirection.OUT), new PolicySpec(PolicyAction.IPSEC,
          SaTemplate.esp(IpsecMode.TUNNEL, westIp, eastIp, IN_SPI), 1, 0, "west-east"));
    }

    @Override
    public void close() {
      k.close();
    }
  }

  @BeforeEach
  void setUp() throws Exception {
    MemoryNet.Host e = net.host(eastIp);
    east = KlipsBackend.open(KlipsConfig.of(List.of(new KlipsConfig.Binding("ipsec0", "eth0"))), e);
    eastTun = e.tun("ipsec0");
    east.setListener(events::add);
    east.attachUdpEncap(new UdpEncapSocket() {
      @Override
      public void send(InetSocketAddress from, InetSocketAddress to, ByteBuffer datagram) {
        byte[] b = new byte[datagram.remaining()];
        datagram.get(b);
        sentTo.add(to);
        sent.add(b);
      }
    });
    // the NAT mapped west's 4500 to 192.1.2.254:40000: the inbound SA's source port, the outbound SA's destination
    east.addSa(inId, spec(Direction.INBOUND, westToEast, new UdpEncap(40000, 4500)));
    east.addSa(outId, spec(Direction.OUTBOUND, westToEast.reversed(), new UdpEncap(4500, 40000)));
    east.addPolicy(new PolicyId(westToEast.reversed(), PolicyDirection.OUT), new PolicySpec(PolicyAction.IPSEC,
        SaTemplate.esp(IpsecMode.TUNNEL, eastIp, natIp, OUT_SPI), 1, 0, "west-east"));
    net.onTheWire(p -> {
      west.wire.add(p);
      return null;
    });
    west = new EspMaker(net, natIp, eastIp, westToEast);
  }

  @AfterEach
  void tearDown() {
    west.close();
    east.close();
  }

  private byte[] ping(InetAddress src, InetAddress dst, int n) {
    ByteBuffer b = ByteBuffer.allocate(60);
    byte[] a = new byte[8];
    System.arraycopy(src.getAddress(), 0, a, 0, 4);
    System.arraycopy(dst.getAddress(), 0, a, 4, 4);
    IpPacket.writeIpv4Header(b, 0, 60, IpPacket.PROTO_ICMP, ByteBuffer.wrap(a), 0, 4);
    b.put(20, (byte) 8).putInt(24, 0x12340000 + n);
    b.putShort(22, (short) IpPacket.checksum(b, 20, 40, 0));
    return b.array();
  }

  /** West's ping {@code n}, sealed, arrives at east's 4500 from the NAT's port {@code fromPort}. */
  private void espFrom(int fromPort, int n) throws Exception {
    assertTrue(west.tun.route(ping(westNet, eastNet, n)));
    byte[] esp = west.wire.poll(WAIT.toMillis(), TimeUnit.MILLISECONDS);
    assertNotNull(esp, "west sealed no ESP");
    east.receiveUdpEncapsulated(new InetSocketAddress(natIp, fromPort), new InetSocketAddress(eastIp, 4500),
        ByteBuffer.wrap(esp));
    assertNotNull(eastTun.delivered(WAIT), "east decrypted it");
  }

  @Test
  void onlyANewPortIsReportedAndUpdateMovesTheOutboundSa() throws Exception {
    espFrom(40000, 1);
    assertNull(events.poll(300, TimeUnit.MILLISECONDS), "ESP from the SA's own mapping is no news");
    espFrom(40001, 2);
    KernelEvent ev = events.poll(WAIT.toMillis(), TimeUnit.MILLISECONDS);
    assertEquals(new KernelEvent.Mapping(inId, new InetSocketAddress(natIp, 40001)), ev);
    espFrom(40001, 3);
    assertNull(events.poll(300, TimeUnit.MILLISECONDS), "reported once");

    assertTrue(eastTun.route(ping(eastNet, westNet, 1)));
    assertEquals(new InetSocketAddress(natIp, 40000), sentTo.poll(WAIT.toMillis(), TimeUnit.MILLISECONDS));
    east.updateSaEncap(inId, new UdpEncap(40001, 4500));
    east.updateSaEncap(outId, new UdpEncap(4500, 40001));
    assertTrue(eastTun.route(ping(eastNet, westNet, 2)));
    assertEquals(new InetSocketAddress(natIp, 40001), sentTo.poll(WAIT.toMillis(), TimeUnit.MILLISECONDS),
        "the outbound SA sends to the new mapping");
    sent.poll();
    byte[] second = sent.poll(WAIT.toMillis(), TimeUnit.MILLISECONDS);
    assertEquals(2, ByteBuffer.wrap(second).getInt(4), "same SA, its sequence numbers go on (RFC 4303 §3.3.3)");
    espFrom(40001, 4);
    assertNull(events.poll(300, TimeUnit.MILLISECONDS), "the new mapping is the SA's now");
  }
}
