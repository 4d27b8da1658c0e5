package org.openswanj.kernel.klips;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.openswanj.alg.Encryption;
import org.openswanj.kernel.Direction;
import org.openswanj.kernel.Encapsulation;
import org.openswanj.kernel.IpsecMode;
import org.openswanj.kernel.IpsecProto;
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
import org.openswanj.kernel.klips.net.IpPacket;

/**
 * An L2TP client's datagram larger than ipsec0's MTU in transport mode: the kernel fragments it before klips reads
 * it, and klips reassembles the fragments (shared by its outbound threads) and seals the whole datagram as one ESP
 * packet (RFC 4303 §3.1.1), the kernel fragmenting that after ESP (§3.3.5). Bounded: overlaps, expiry, a datagram
 * larger than the buffer and a full table drop fragments and are counted. Tunnel mode seals each fragment as it is.
 */
class KlipsFragmentTest extends L2tpTransportPair {
  /**
   * A UDP datagram from west's 1701 to east's 1701 with {@code payload} bytes, its checksum right for west's
   * address, cut into IPv4 fragments of at most {@code chunk} data bytes (a multiple of 8) with identification
   * {@code id}, as the kernel does to a datagram larger than ipsec0's MTU.
   */
  private byte[][] fragments(int payload, int chunk, int id) {
    byte[] whole = datagram(payload);
    int data = whole.length - 20;
    int n = (data + chunk - 1) / chunk;
    byte[][] out = new byte[n][];
    for (int i = 0; i < n; i++) {
      int off = i * chunk;
      int size = Math.min(chunk, data - off);
      out[i] = fragment(whole, off, size, i < n - 1, id);
    }
    return out;
  }

  /** The fragment of {@code whole} carrying its data bytes {@code off}..{@code off + size}. */
  private static byte[] fragment(byte[] whole, int off, int size, boolean more, int id) {
    ByteBuffer f = ByteBuffer.allocate(20 + size);
    f.put(0, whole, 0, 20).put(20, whole, 20 + off, size);
    f.putShort(2, (short) (20 + size)).putShort(4, (short) id);
    f.putShort(6, (short) ((more ? 0x2000 : 0) | off / 8)).putShort(10, (short) 0);
    f.putShort(10, (short) IpPacket.checksum(f, 0, 20, 0));
    return f.array();
  }

  private byte[] datagram(int payload) {
    int total = 20 + 8 + payload;
    ByteBuffer b = ByteBuffer.allocate(total);
    byte[] a = new byte[8];
    System.arraycopy(westPrivate.getAddress(), 0, a, 0, 4);
    System.arraycopy(eastIp.getAddress(), 0, a, 4, 4);
    IpPacket.writeIpv4Header(b, 0, total, IpPacket.PROTO_UDP, ByteBuffer.wrap(a), 0, 4);
    b.putShort(20, (short) 1701).putShort(22, (short) 1701).putShort(24, (short) (8 + payload));
    for (int i = 28; i < total; i++) {
      b.put(i, (byte) (i * 7));
    }
    long pseudo = IpPacket.PROTO_UDP + 8 + payload;
    for (int i = 12; i < 20; i += 2) {
      pseudo += b.getShort(i) & 0xffff;
    }
    b.putShort(26, (short) IpPacket.checksum(b, 20, 8 + payload, pseudo));
    return b.array();
  }

  /** One TUN read of {@code packet} by {@code reader}, as an outbound thread does (virtio header first). */
  private static void read(DataPath.TunReader reader, byte[] packet) {
    reader.buffer.put(0, new byte[10]);
    reader.buffer.put(10, packet);
    reader.process(10 + packet.length);
  }

  private void readAll(byte[]... packets) {
    DataPath.TunReader r = west.tunReader("ipsec0");
    for (byte[] p : packets) {
      read(r, p);
    }
    r.flush();
  }

  /** The one ESP packet west sent, through the NAT into east's 4500, decrypted by east; no other follows. */
  private ByteBuffer sealedAndDecrypted() throws Exception {
    byte[] esp = wire.poll(WAIT.toMillis(), TimeUnit.MILLISECONDS);
    assertNotNull(esp, "west sealed no ESP");
    assertNull(wire.poll(100, TimeUnit.MILLISECONDS), "one ESP packet for the whole datagram");
    east.receiveUdpEncapsulated(new InetSocketAddress(natIp, 40000), new InetSocketAddress(eastIp, 4500),
        ByteBuffer.wrap(esp));
    byte[] got = eastTun.delivered(WAIT);
    assertNotNull(got, "east decrypted it");
    return ByteBuffer.wrap(got);
  }

  /** East got {@code payload} bytes of UDP from 1701 to 1701, whole, in one unfragmented datagram. */
  private void assertWhole(ByteBuffer got, int payload) {
    byte[] sent = datagram(payload);
    assertEquals(sent.length, got.limit(), "the whole datagram");
    assertEquals(sent.length, got.getShort(2) & 0xffff, "total length");
    assertEquals(0, got.getShort(6) & 0x3fff, "no fragment: offset 0, MF clear");
    assertEquals(0, IpPacket.checksum(got, 0, 20, 0), "header checksum");
    assertArrayEquals(Arrays.copyOfRange(sent, 28, sent.length), Arrays.copyOfRange(got.array(), 28, got.limit()),
        "the payload");
    assertEquals(1701, got.getShort(22) & 0xffff);
  }

  private long drops(String why) {
    return west.dataPathDrops().get(why);
  }

  @Test
  void threeFragmentsInOrderAreSealedAsOneDatagram() throws Exception {
    byte[][] f = fragments(1400, 552, 0x1234);
    assertEquals(3, f.length);
    readAll(f);
    assertWhole(sealedAndDecrypted(), 1400);
    assertEquals(1L, west.reassembled());
    assertEquals(0, west.dataPath().reassembly.size(), "nothing left in progress");
  }

  @Test
  void fragmentsOutOfOrderAreSealedAsOneDatagram() throws Exception {
    byte[][] f = fragments(1400, 552, 0x1235);
    readAll(f[2], f[0], f[1]);
    assertWhole(sealedAndDecrypted(), 1400);
    byte[][] g = fragments(1400, 1376, 0x1236);
    assertEquals(2, g.length);
    readAll(g[1], g[0]);
    assertWhole(sealedAndDecrypted(), 1400);
    assertEquals(2L, west.reassembled());
  }

  /** The kernel may hash a datagram's fragments to two TUN queues: two outbound threads share the table. */
  @Test
  void fragmentsSplitAcrossTwoReadersOnTwoThreads() throws Exception {
    for (int id = 0; id < 20; id++) {
      byte[][] f = fragments(1400, 360, 0x2000 + id);
      java.util.concurrent.CyclicBarrier go = new java.util.concurrent.CyclicBarrier(2);
      Thread other = new Thread(() -> {
        DataPath.TunReader b = west.tunReader("ipsec0");
        try {
          go.await();
        } catch (Exception ex) {
          throw new AssertionError(ex);
        }
        read(b, f[1]);
        read(b, f[3]);
        b.flush();
      });
      other.start();
      DataPath.TunReader a = west.tunReader("ipsec0");
      go.await();
      read(a, f[2]);
      read(a, f[0]);
      a.flush();
      other.join();
      assertWhole(sealedAndDecrypted(), 1400);
    }
    assertEquals(20L, west.reassembled());
  }

  @Test
  void overlappingFragmentsDropTheDatagram() throws Exception {
    byte[] whole = datagram(1400);
    readAll(fragment(whole, 0, 800, true, 7), fragment(whole, 792, 616, false, 7));
    assertNull(wire.poll(200, TimeUnit.MILLISECONDS), "nothing sealed");
    assertEquals(2L, drops("fragment_overlap"));
    readAll(fragment(whole, 800, 608, false, 7));
    assertNull(wire.poll(200, TimeUnit.MILLISECONDS), "the rest of the dropped datagram is held, not sealed");
    assertEquals(0L, west.reassembled());
  }

  @Test
  void aDatagramLargerThanTheBufferIsDropped() throws Exception {
    byte[] whole = datagram(1400);
    readAll(fragment(whole, 0, 800, true, 9));
    byte[] far = fragment(whole, 800, 600, true, 9);
    ByteBuffer.wrap(far).putShort(6, (short) (0x2000 | Element.MAX_PACKET / 8)).putShort(10, (short) 0);
    ByteBuffer.wrap(far).putShort(10, (short) IpPacket.checksum(ByteBuffer.wrap(far), 0, 20, 0));
    readAll(far);
    assertEquals(2L, drops("fragment_too_large"));
    assertEquals(0, west.dataPath().reassembly.size());
    assertNull(wire.poll(200, TimeUnit.MILLISECONDS));
  }

  /** 65 datagrams in progress: the oldest is evicted, the newest still completes. */
  @Test
  void aFullTableEvictsTheOldestDatagram() throws Exception {
    byte[][][] f = new byte[Reassembly.MAX_DATAGRAMS + 1][][];
    for (int id = 0; id < f.length; id++) {
      f[id] = fragments(1400, 720, 0x3000 + id);
      readAll(f[id][0]);
    }
    assertEquals(1L, drops("fragment_table_full"));
    assertEquals(Reassembly.MAX_DATAGRAMS, west.dataPath().reassembly.size());
    readAll(f[0][1]);
    assertNull(wire.poll(200, TimeUnit.MILLISECONDS), "the evicted datagram's first fragment is gone");
    assertEquals(2L, drops("fragment_table_full"), "its last fragment evicted the next oldest");
    readAll(f[Reassembly.MAX_DATAGRAMS][1]);
    assertWhole(sealedAndDecrypted(), 1400);
  }

  /** RFC 791 §3.2's timer: a datagram not whole 30 s after its first fragment is given up. */
  @Test
  void aDatagramNotWholeIn30SecondsExpires() {
    long[] now = {1_000_000_000L};
    Counters c = new Counters();
    Reassembly r = new Reassembly(Element.MAX_PACKET, () -> now[0], c);
    byte[][] f = fragments(1400, 552, 11);
    ByteBuffer b = ByteBuffer.allocate(Element.BUFFER);
    b.put(0, f[0]);
    assertEquals(-1, r.add(b, f[0].length));
    b.put(0, f[1]);
    now[0] += Reassembly.TIMEOUT_NANOS - 1;
    assertEquals(-1, r.add(b, f[1].length));
    now[0] += 1;
    b.put(0, f[2]);
    assertEquals(-1, r.add(b, f[2].length), "the first two are gone");
    assertEquals(2L, c.fragmentsExpired.get());
    assertEquals(1, r.size());
    b.put(0, f[0]);
    assertEquals(-1, r.add(b, f[0].length));
    b.put(0, f[1]);
    assertEquals(1428, r.add(b, f[1].length), "a fresh set completes");
    assertEquals(1L, c.reassembled.get());
  }

  /** Tunnel mode is unchanged: each fragment travels inside ESP as it is. */
  @Test
  void inTunnelModeEachFragmentIsSealedAsItIs() throws Exception {
    InetAddress subnet = ip("192.0.2.0");
    Selector sel = Selector.of(westPrivate, 32, subnet, 24);
    byte[] k = new byte[20];
    SaSpec tunnel = new SaSpec(Direction.OUTBOUND, SaTransform.aead(Encryption.AES_GCM_16, new SecretKey(k)),
        new Encapsulation(IpsecMode.TUNNEL, null), new Replay(64, false), new SaBinding("net", 2, sel),
        Lifetime.NONE);
    west.addSa(new SaId(westPrivate, eastIp, 0x4001, IpsecProto.ESP), tunnel);
    west.addPolicy(new PolicyId(sel, PolicyDirection.OUT), new PolicySpec(PolicyAction.IPSEC,
        SaTemplate.esp(IpsecMode.TUNNEL, westPrivate, eastIp, 0x4001), 1, 0, "net"));
    byte[][] f = fragments(1400, 720, 0x55);
    for (byte[] p : f) {
      ByteBuffer.wrap(p).put(16, (byte) 192).put(17, (byte) 0).put(18, (byte) 2).put(19, (byte) 1);
      ByteBuffer.wrap(p).putShort(10, (short) 0).putShort(10, (short) IpPacket.checksum(ByteBuffer.wrap(p), 0, 20, 0));
    }
    readAll(f);
    for (byte[] p : f) {
      byte[] esp = wire.poll(WAIT.toMillis(), TimeUnit.MILLISECONDS);
      assertNotNull(esp, "each fragment sealed");
      assertTrue(esp.length > p.length && esp.length < p.length + 100, "one fragment inside ESP");
    }
    assertNull(wire.poll(100, TimeUnit.MILLISECONDS));
    assertEquals(0L, west.reassembled());
    assertEquals(0, west.dataPath().reassembly.size());
  }
}
