package org.openswanj.kernel.klips;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.openswanj.kernel.klips.net.IpPacket;

/**
 * An L2TP client behind a NAT in transport mode (RFC 3948 §3.1.2): its UDP and TCP checksums cover its private
 * address, the NAT wrote its public one into the only IP header, and east's klips must deliver the decrypted
 * datagram with a checksum that is right for the header it rebuilt, else east's kernel drops it.
 */
class KlipsTransportNatTest extends L2tpTransportPair {
  /** An IPv4 packet of protocol {@code proto} from west's private address, its checksum right for that address. */
  private byte[] packet(int proto, boolean zeroUdpChecksum) {
    int l4 = proto == IpPacket.PROTO_TCP ? 20 : 8;
    int total = 20 + l4 + 13;
    ByteBuffer b = ByteBuffer.allocate(total);
    byte[] a = new byte[8];
    System.arraycopy(westPrivate.getAddress(), 0, a, 0, 4);
    System.arraycopy(eastIp.getAddress(), 0, a, 4, 4);
    IpPacket.writeIpv4Header(b, 0, total, proto, ByteBuffer.wrap(a), 0, 4);
    b.putShort(20, (short) 1701).putShort(22, (short) 1701);
    if (proto == IpPacket.PROTO_UDP) {
      b.putShort(24, (short) (l4 + 13));
    } else {
      b.putInt(24, 1).put(32, (byte) 0x50).put(33, (byte) 0x18).putShort(34, (short) 512);
    }
    for (int i = 20 + l4; i < total; i++) {
      b.put(i, (byte) ('a' + i % 26));
    }
    if (!zeroUdpChecksum) {
      b.putShort(20 + (proto == IpPacket.PROTO_TCP ? 16 : 6), (short) transportChecksum(b, proto));
    }
    return b.array();
  }

  /** The checksum of the TCP/UDP segment after the 20-byte header with its pseudo-header (checksum field zero). */
  private static int transportChecksum(ByteBuffer b, int proto) {
    int len = b.limit() - 20;
    long pseudo = proto + len;
    for (int i = 12; i < 20; i += 2) {
      pseudo += b.getShort(i) & 0xffff;
    }
    return IpPacket.checksum(b, 20, len, pseudo);
  }

  /** West's packet sealed, through the NAT (source 192.1.2.254:40000) into east's 4500, decrypted by east. */
  private ByteBuffer throughTheNat(byte[] p) throws Exception {
    assertTrue(westTun.route(p));
    byte[] esp = wire.poll(WAIT.toMillis(), TimeUnit.MILLISECONDS);
    assertNotNull(esp, "west sealed no ESP");
    east.receiveUdpEncapsulated(new InetSocketAddress(natIp, 40000), new InetSocketAddress(eastIp, 4500),
        ByteBuffer.wrap(esp));
    byte[] got = eastTun.delivered(WAIT);
    assertNotNull(got, "east decrypted it");
    return ByteBuffer.wrap(got);
  }

  @ParameterizedTest(name = "protocol {0}")
  @ValueSource(ints = {IpPacket.PROTO_UDP, IpPacket.PROTO_TCP})
  void checksumIsRightForTheNatsAddress(int proto) throws Exception {
    byte[] sent = packet(proto, false);
    ByteBuffer got = throughTheNat(sent);
    byte[] src = new byte[4];
    got.get(12, src);
    assertArrayEquals(natIp.getAddress(), src, "the rebuilt header carries the address the NAT wrote");
    int at = 20 + (proto == IpPacket.PROTO_TCP ? 16 : 6);
    int theirs = got.getShort(at) & 0xffff;
    got.putShort(at, (short) 0);
    assertEquals(transportChecksum(got, proto), theirs, "checksum valid for 192.1.2.254, not 192.1.3.45");
    ByteBuffer.wrap(sent).putShort(at, (short) 0);
    assertArrayEquals(Arrays.copyOfRange(sent, 20, sent.length), Arrays.copyOfRange(got.array(), 20, got.limit()),
        "nothing but the checksum changed");
  }

  /**
   * RFC 4303 §3.1.1: transport mode protects whole datagrams only. East would rebuild the header without the
   * fragment's flags and deliver the first fragment of a datagram as the whole of it. Fragments are reassembled
   * (KlipsFragmentTest); this one, whose data is no multiple of 8 bytes though more follow, is malformed.
   */
  @org.junit.jupiter.api.Test
  void anIpv4FragmentIsNotSealedInTransportMode() throws Exception {
    byte[] fragment = packet(IpPacket.PROTO_UDP, false);
    ByteBuffer f = ByteBuffer.wrap(fragment);
    f.putShort(6, (short) 0x2000).putShort(10, (short) 0); // MF: the first fragment of a larger datagram
    f.putShort(10, (short) IpPacket.checksum(f, 0, 20, 0));
    assertTrue(westTun.route(fragment));
    ByteBuffer got = throughTheNat(packet(IpPacket.PROTO_TCP, false));
    assertEquals(IpPacket.PROTO_TCP, IpPacket.protocol(got, 0), "east's first packet is the whole datagram after it");
    assertEquals(1L, west.dataPathDrops().get("malformed"), "RFC 791 §3.2: only the last may end off 8 bytes");
    assertEquals(0L, west.reassembled());
  }

  @org.junit.jupiter.api.Test
  void aUdpDatagramWithoutChecksumKeepsNone() throws Exception {
    ByteBuffer got = throughTheNat(packet(IpPacket.PROTO_UDP, true));
    assertEquals(0, got.getShort(26), "IPv4 UDP checksum 0 means none (RFC 768) and stays so");
  }
}
