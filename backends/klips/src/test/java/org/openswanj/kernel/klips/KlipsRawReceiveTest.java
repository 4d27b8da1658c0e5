package org.openswanj.kernel.klips;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.function.Consumer;
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
import org.openswanj.kernel.Replay;
import org.openswanj.kernel.SaBinding;
import org.openswanj.kernel.SaId;
import org.openswanj.kernel.SaSpec;
import org.openswanj.kernel.SaTransform;
import org.openswanj.kernel.SecretKey;
import org.openswanj.kernel.Selector;
import org.openswanj.kernel.UdpEncap;
import org.openswanj.kernel.klips.esp.EspCodec;
import org.openswanj.kernel.klips.esp.EspTransform;
import org.openswanj.kernel.klips.net.IpPacket;
import org.openswanj.kernel.klips.net.MemoryNet;
import org.openswanj.kernel.klips.net.MemoryTun;
import org.openswanj.kernel.klips.net.QueuedPacketSocket;

/**
 * Raw ESP as a receive thread reads it ({@link DataPath.RawReader}): IPv4 reads start with the IP header, options
 * and all; a read whose header is not that of one whole ESP datagram is dropped as malformed, never looked into;
 * ESP is taken raw or in UDP on any SA (RFC 7296 §2.23).
 */
class KlipsRawReceiveTest {
  private static final InetAddress PEER = ip("192.1.2.45");
  private static final InetAddress EAST = ip("192.1.2.23");
  private static final int RAW_SPI = 0x2001;
  private static final int UDP_SPI = 0x2002;
  private static final byte[] KEY = new byte[20];

  private final MemoryNet net = new MemoryNet();
  private final ConcurrentLinkedQueue<KernelEvent> events = new ConcurrentLinkedQueue<>();
  private KlipsBackend east;
  private MemoryTun tun;
  private EspTransform sealer;
  private long seq = 1;

  @BeforeEach
  void open() throws Exception {
    MemoryNet.Host h = net.host(EAST);
    east = KlipsBackend.open(new KlipsConfig(List.of(new KlipsConfig.Binding("ipsec0", "eth0")), 0, 1, Duration.ZERO), h);
    tun = h.tun("ipsec0");
    east.setListener(events::add);
    Selector sel = Selector.of(ip("10.1.0.0"), 24, ip("10.2.0.0"), 24);
    east.addSa(new SaId(PEER, EAST, RAW_SPI, IpsecProto.ESP), spec(sel, null));
    east.addSa(new SaId(PEER, EAST, UDP_SPI, IpsecProto.ESP), spec(sel, new UdpEncap(4500, 4500)));
    sealer = EspTransform.create(Encryption.AES_GCM_16, KEY, null, null);
  }

  @AfterEach
  void close() {
    east.close();
  }

  private static SaSpec spec(Selector sel, UdpEncap udp) {
    return new SaSpec(Direction.INBOUND, SaTransform.aead(Encryption.AES_GCM_16, new SecretKey(KEY.clone())),
        new Encapsulation(IpsecMode.TUNNEL, udp), new Replay(64, false), new SaBinding("raw", 1, sel), Lifetime.NONE);
  }

  /** A UDP datagram from 10.1.0.1 to 10.2.0.1, its {@code n} in the payload. */
  private static byte[] inner(int n) {
    ByteBuffer b = ByteBuffer.allocate(40);
    ByteBuffer addrs = ByteBuffer.wrap(new byte[] {10, 1, 0, 1, 10, 2, 0, 1});
    IpPacket.writeIpv4Header(b, 0, 40, IpPacket.PROTO_UDP, addrs, 0, 4);
    b.putShort(20, (short) 5000).putShort(22, (short) 5001).putShort(24, (short) 20).putInt(28, n);
    return b.array();
  }

  private byte[] seal(int spi, byte[] p) throws Exception {
    ByteBuffer clear = ByteBuffer.allocate(p.length + 64); // room for the trailer
    clear.put(p).flip();
    ByteBuffer wire = ByteBuffer.allocate(p.length + 128);
    EspCodec.encode(sealer, spi, seq++, false, IpPacket.PROTO_IPIP, clear, wire);
    return Arrays.copyOf(wire.array(), wire.position());
  }

  /** {@code esp} behind an IPv4 header as the kernel delivers it, with {@code options} bytes of IP options. */
  private static byte[] withHeader(byte[] esp, int options) {
    int hl = 20 + options;
    ByteBuffer b = ByteBuffer.allocate(hl + esp.length);
    b.put((byte) (0x40 | hl / 4)).put((byte) 0).putShort((short) (hl + esp.length)).putInt(0x00004000);
    b.put((byte) 64).put((byte) 50).putShort((short) 0).put(PEER.getAddress()).put(EAST.getAddress());
    for (int i = 0; i < options; i++) {
      b.put((byte) 1); // RFC 791: no-operation
    }
    return b.put(esp).array();
  }

  private void read(boolean ipv6, byte[]... reads) throws Exception {
    DataPath.RawReader r = east.rawReader(ipv6);
    QueuedPacketSocket s = new QueuedPacketSocket(ipv6);
    Arrays.stream(reads).forEach(s::add);
    r.process(r.receive(s, 0));
  }

  private List<byte[]> delivered() throws InterruptedException {
    List<byte[]> got = new ArrayList<>();
    for (byte[] p = tun.delivered(Duration.ZERO); p != null; p = tun.delivered(Duration.ZERO)) {
      got.add(p);
    }
    return got;
  }

  @Test
  void anIpv4ReadWithOptionsIsDecryptedBehindItsHeader() throws Exception {
    read(false, withHeader(seal(RAW_SPI, inner(1)), 0), withHeader(seal(RAW_SPI, inner(2)), 4),
        withHeader(seal(RAW_SPI, inner(3)), 40));
    List<byte[]> got = delivered();
    assertEquals(3, got.size());
    for (int i = 0; i < 3; i++) {
      assertArrayEquals(inner(i + 1), got.get(i));
    }
  }

  /**
   * The kernel hands a raw socket only whole, reassembled ESP datagrams behind a valid header; a read that is not one
   * (as the kernel would never deliver it, or cut short) is dropped and counted as malformed, and the ESP behind it,
   * though authentic, is not decrypted: where it starts is not known.
   */
  @Test
  void aReadWhoseIpv4HeaderIsNotOneWholeEspDatagramIsMalformed() throws Exception {
    List<Consumer<ByteBuffer>> breaks = List.of(
        b -> b.put(0, (byte) 0x44), // IHL 4: shorter than the fixed header
        b -> b.put(0, (byte) 0x40), // IHL 0
        b -> b.put(0, (byte) 0x65), // version 6
        b -> b.putShort(2, (short) (b.getShort(2) + 1)), // longer than the read: cut short
        b -> b.putShort(2, (short) (b.getShort(2) - 1)),
        b -> b.put(9, (byte) 17), // not ESP
        b -> b.putShort(6, (short) 0x2000), // a first fragment (MF)
        b -> b.putShort(6, (short) 0x0010)); // a later fragment
    for (Consumer<ByteBuffer> broken : breaks) {
      byte[] d = withHeader(seal(RAW_SPI, inner(1)), 0);
      broken.accept(ByteBuffer.wrap(d));
      read(false, d);
    }
    byte[] longHeader = withHeader(new byte[20], 0);
    longHeader[0] = 0x4f; // IHL 15: 60 bytes of header in a 40-byte read
    read(false, longHeader, Arrays.copyOf(withHeader(seal(RAW_SPI, inner(1)), 0), 19), new byte[0]); // shorter than a header
    Map<String, Long> drops = east.dataPathDrops();
    assertEquals(breaks.size() + 3L, drops.get("malformed"));
    assertEquals(0L, drops.get("unknown_spi") + drops.get("integrity") + drops.get("replay"));
    assertEquals(List.of(), delivered());
    assertEquals(0, east.querySa(new SaId(PEER, EAST, RAW_SPI, IpsecProto.ESP)).packets());
  }

  /**
   * RFC 7296 §2.23: with NAT-T supported, a receiver "MUST be able to receive and process both UDP-encapsulated ESP and
   * non-UDP-encapsulated ESP packets at any time", so either form opens on either SA (Linux XFRM drops the mismatch,
   * XfrmInStateMismatch); a NAT mapping is news only from ESP in UDP (RFC 3948 §5).
   */
  @Test
  void espOpensRawOrInUdpOnEitherSa() throws Exception {
    read(false, withHeader(seal(UDP_SPI, inner(1)), 0));
    read(true); // an empty batch
    InetSocketAddress moved = new InetSocketAddress(PEER, 4600);
    east.receiveUdpEncapsulated(moved, new InetSocketAddress(EAST, 4500), ByteBuffer.wrap(seal(RAW_SPI, inner(2))));
    east.udpEncapsulatedBatchEnd();
    List<byte[]> got = delivered();
    assertEquals(2, got.size());
    assertArrayEquals(inner(1), got.get(0));
    assertArrayEquals(inner(2), got.get(1));
    assertNull(events.poll(), "no mapping news: the UDP SA's ESP came raw, the raw SA has no mapping");
  }

  private static InetAddress ip(String s) {
    try {
      return InetAddress.getByName(s);
    } catch (java.net.UnknownHostException e) {
      throw new AssertionError(e);
    }
  }
}
