package org.openswanj.kernel.klips.net;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import org.junit.jupiter.api.Test;

/** What the segmenter makes of the TCP super-packets a TUN device with TSO hands over. */
class TsoSegmenterTest {
  private static final int MSS = 1000;

  /** virtio_net_hdr (host order) + IPv4/TCP (with a 12-byte timestamp option) + payload, as the kernel writes it. */
  private static ByteBuffer superPacketV4(int payload, int tcpFlags, int gsoType) {
    ByteBuffer b = ByteBuffer.allocate(10 + 20 + 32 + payload);
    ByteBuffer h = ByteBuffer.wrap(b.array()).order(ByteOrder.nativeOrder());
    h.put(0, (byte) 1).put(1, (byte) gsoType).putShort(2, (short) 52).putShort(4, (short) MSS)
        .putShort(6, (short) 20).putShort(8, (short) 16);
    int ip = 10;
    b.put(ip, (byte) 0x45).putShort(ip + 2, (short) Math.min(65535, 52 + payload)).putShort(ip + 4, (short) 0x1234)
        .putShort(ip + 6, (short) 0x4000).put(ip + 8, (byte) 64).put(ip + 9, (byte) 6);
    b.put(ip + 12, new byte[] {(byte) 192, 0, 1, (byte) 254}).put(ip + 16, new byte[] {(byte) 192, 0, 2, (byte) 254});
    int tcp = ip + 20;
    b.putShort(tcp, (short) 40000).putShort(tcp + 2, (short) 5201).putInt(tcp + 4, 0xfffff000).putInt(tcp + 8, 77)
        .put(tcp + 12, (byte) 0x80).put(tcp + 13, (byte) tcpFlags).putShort(tcp + 14, (short) 500);
    b.put(tcp + 20, new byte[] {1, 1, 8, 10, 0, 0, 0, 1, 0, 0, 0, 2}); // NOP NOP timestamps
    for (int i = 0; i < payload; i++) {
      b.put(ip + 52 + i, (byte) (i * 7 + 3));
    }
    return b;
  }

  /** A packet with a correct TCP checksum sums to zero together with its pseudo-header. */
  private static boolean tcpChecksumOk(ByteBuffer p, int len) {
    long pseudo = 6 + (len - 20);
    for (int i = 12; i < 20; i += 2) {
      pseudo += p.getShort(i) & 0xffff;
    }
    return IpPacket.checksum(p, 20, len - 20, pseudo) == 0;
  }

  @Test
  void aSuperPacketBecomesMssSizedSegmentsWithFreshHeadersAndChecksums() {
    int payload = 3 * MSS + 345;
    ByteBuffer in = superPacketV4(payload, 0x18 | 0x01 | 0x80, TsoSegmenter.GSO_TCPV4); // PSH ACK FIN CWR
    TsoSegmenter s = new TsoSegmenter();
    assertEquals(4, s.begin(in, in.capacity()));
    ByteArrayOutputStream joined = new ByteArrayOutputStream();
    ByteBuffer out = ByteBuffer.allocate(2048);
    for (int i = 0; i < 4; i++) {
      int len = s.segment(i, out);
      int chunk = i < 3 ? MSS : 345;
      assertEquals(52 + chunk, len, "segment " + i + " length");
      assertEquals(52 + chunk, out.getShort(2) & 0xffff, "IPv4 total length");
      assertEquals(0x1234 + i, out.getShort(4) & 0xffff, "IPv4 ID counts up");
      assertEquals(0, IpPacket.checksum(out, 0, 20, 0), "IPv4 header checksum");
      assertEquals(0xfffff000 + i * MSS, out.getInt(24), "TCP sequence number (wraps)");
      int flags = out.get(33) & 0xff;
      assertEquals(i == 3 ? 0x19 : 0x10, flags & 0x19, "FIN and PSH on the last segment only");
      assertEquals(i == 0 ? 0x80 : 0, flags & 0x80, "CWR on the first only");
      assertEquals(1, out.getInt(20 + 24), "the timestamp option (TSval) is copied");
      assertEquals(true, tcpChecksumOk(out, len), "TCP checksum of segment " + i);
      joined.write(out.array(), 52, chunk);
    }
    byte[] original = new byte[payload];
    in.get(62, original);
    assertArrayEquals(original, joined.toByteArray(), "the payload, in order, nothing lost or doubled");
  }

  @Test
  void aSmallPacketWithAPartialChecksumIsCompleted() {
    ByteBuffer in = superPacketV4(300, 0x18, TsoSegmenter.GSO_NONE);
    // the kernel leaves the pseudo-header sum (folded, not complemented) in the checksum field
    long pseudo = 6 + 32 + 300;
    for (int i = 22; i < 30; i += 2) {
      pseudo += in.getShort(i) & 0xffff;
    }
    while (pseudo >> 16 != 0) {
      pseudo = (pseudo & 0xffff) + (pseudo >> 16);
    }
    in.putShort(30 + 16, (short) pseudo);
    TsoSegmenter s = new TsoSegmenter();
    assertEquals(1, s.begin(in, in.capacity()));
    ByteBuffer out = ByteBuffer.allocate(2048);
    int len = s.segment(0, out);
    assertEquals(352, len);
    assertEquals(true, tcpChecksumOk(out, len));
  }

  /**
   * RFC 768: a UDP checksum that computes to 0 is sent as all ones, since 0 means "no checksum" (over IPv6 a receiver
   * drops the datagram, RFC 8200 §8.1). Linux's skb_checksum_help does so for every partial checksum.
   */
  @Test
  void aPartialUdpChecksumThatComesToZeroIsSentAsAllOnes() {
    ByteBuffer in = ByteBuffer.allocate(10 + 20 + 8 + 2);
    ByteBuffer.wrap(in.array()).order(ByteOrder.nativeOrder()).put(0, (byte) 1).putShort(6, (short) 20)
        .putShort(8, (short) 6);
    int ip = 10;
    in.put(ip, (byte) 0x45).putShort(ip + 2, (short) 30).put(ip + 8, (byte) 64).put(ip + 9, (byte) 17);
    in.put(ip + 12, new byte[] {10, 1, 0, 9}).put(ip + 16, new byte[] {10, 2, 0, 9});
    in.putShort(ip + 20, (short) 1030).putShort(ip + 22, (short) 82).putShort(ip + 24, (short) 10);
    long pseudo = 17 + 10 + 0x0a01 + 0x0009 + 0x0a02 + 0x0009;
    long rest = 1030 + 82 + 10;
    long sum = pseudo + rest;
    sum = (sum & 0xffff) + (sum >> 16);
    in.putShort(ip + 28, (short) (0xffff - sum)); // the payload makes the whole sum 0xffff: the checksum is 0
    in.putShort(ip + 26, (short) ((pseudo & 0xffff) + (pseudo >> 16))); // the kernel's partial sum
    TsoSegmenter s = new TsoSegmenter();
    assertEquals(1, s.begin(in, in.capacity()));
    ByteBuffer out = ByteBuffer.allocate(64);
    assertEquals(30, s.segment(0, out));
    assertEquals((short) 0xffff, out.getShort(26), "0 would say the datagram has no checksum");
  }

  @Test
  void aReadWhosePacketsAreLongerThanTheLimitIsRefused() {
    TsoSegmenter s = new TsoSegmenter(1500);
    ByteBuffer small = superPacketV4(1400, 0x10, TsoSegmenter.GSO_NONE);
    assertEquals(1, s.begin(small, small.capacity()), "1,452 bytes");
    ByteBuffer big = superPacketV4(1500, 0x10, TsoSegmenter.GSO_NONE);
    assertEquals(-1, s.begin(big, big.capacity()), "1,552 bytes");
    ByteBuffer tso = superPacketV4(5000, 0x10, TsoSegmenter.GSO_TCPV4);
    assertEquals(5, s.begin(tso, tso.capacity()), "segments of 1,052 bytes");
    ByteBuffer.wrap(tso.array()).order(ByteOrder.nativeOrder()).putShort(4, (short) 1449);
    assertEquals(-1, s.begin(tso, tso.capacity()), "segments of 1,501 bytes");
    ByteBuffer shortOne = superPacketV4(100, 0x10, TsoSegmenter.GSO_TCPV4);
    ByteBuffer.wrap(shortOne.array()).order(ByteOrder.nativeOrder()).putShort(4, (short) 9000);
    assertEquals(1, s.begin(shortOne, shortOne.capacity()), "one segment of 152 bytes, whatever the MSS");
  }

  /**
   * A TCP header whose data offset is below 5 words (RFC 9293 §3.1), and a super-packet that is an IPv4 fragment, are
   * refused: segmenting them wrote each segment's checksum and sequence number into its payload.
   */
  @Test
  void aTcpHeaderShorterThan20BytesOrAFragmentIsNotSegmented() {
    TsoSegmenter s = new TsoSegmenter();
    ByteBuffer v6 = ByteBuffer.allocate(10 + 40 + 20 + 300);
    ByteBuffer.wrap(v6.array()).order(ByteOrder.nativeOrder()).put(0, (byte) 1).put(1, (byte) TsoSegmenter.GSO_TCPV6)
        .putShort(4, (short) 100);
    v6.put(10, (byte) 0x60).putShort(14, (short) 320).put(16, (byte) 6).put(17, (byte) 64);
    v6.put(50 + 12, (byte) 0x50);
    assertEquals(3, s.begin(v6, v6.capacity()), "data offset 5: 300 bytes of payload in segments of 100");
    v6.put(50 + 12, (byte) 0x00);
    assertEquals(-1, s.begin(v6, v6.capacity()), "data offset 0: the IPv6 header alone was taken for the headers");
    ByteBuffer withOptions = superPacketV4(2500, 0x10, TsoSegmenter.GSO_TCPV4);
    withOptions.put(10, (byte) 0x46).put(10 + 24 + 12, (byte) 0x40); // 4 bytes of IPv4 options, data offset 4: 40 in all
    assertEquals(-1, s.begin(withOptions, withOptions.capacity()), "data offset 4");
    ByteBuffer fragment = superPacketV4(2500, 0x10, TsoSegmenter.GSO_TCPV4);
    fragment.putShort(10 + 6, (short) 0x2000);
    assertEquals(-1, s.begin(fragment, fragment.capacity()), "MF set");
    fragment.putShort(10 + 6, (short) 185);
    assertEquals(-1, s.begin(fragment, fragment.capacity()), "a later fragment");
  }

  @Test
  void malformedInputIsRefusedNotThrown() {
    TsoSegmenter s = new TsoSegmenter();
    ByteBuffer good = superPacketV4(2500, 0x10, TsoSegmenter.GSO_TCPV4);
    assertEquals(-1, s.begin(good, 9), "shorter than the virtio header");
    assertEquals(-1, s.begin(good, 10 + 19), "cut inside the IP header");
    assertEquals(-1, s.begin(good, 10 + 20 + 10), "cut inside the TCP header");
    ByteBuffer udp = superPacketV4(2500, 0x10, 3); // VIRTIO_NET_HDR_GSO_UDP: never offered
    assertEquals(-1, s.begin(udp, udp.capacity()));
    ByteBuffer v6 = superPacketV4(2500, 0x10, TsoSegmenter.GSO_TCPV6); // TCPv6 GSO on an IPv4 packet
    assertEquals(-1, s.begin(v6, v6.capacity()));
    ByteBuffer noMss = superPacketV4(2500, 0x10, TsoSegmenter.GSO_TCPV4);
    noMss.putShort(4, (short) 0);
    assertEquals(-1, s.begin(noMss, noMss.capacity()));
    ByteBuffer badCsum = superPacketV4(100, 0x10, TsoSegmenter.GSO_NONE);
    ByteBuffer.wrap(badCsum.array()).order(ByteOrder.nativeOrder()).putShort(6, (short) 5000);
    assertEquals(-1, s.begin(badCsum, badCsum.capacity()), "csum_start beyond the packet");
  }

  /** The 64-bit-at-a-time sum agrees with a plain 16-bit RFC 1071 sum for every length and alignment. */
  @Test
  void tcpChecksumMatchesTheRfc1071SumForEveryLengthAndOffset() {
    java.util.Random r = new java.util.Random(4303);
    for (int off = 0; off < 8; off++) {
      for (int len = 20; len < 80; len++) {
        ByteBuffer p = ByteBuffer.allocateDirect(200);
        for (int i = 0; i < 200; i++) {
          p.put(i, (byte) r.nextInt());
        }
        p.put(off, (byte) 0x45);
        int tcp = off + 20;
        p.putShort(tcp + 16, (short) 0);
        p.putShort(tcp + 16, (short) TsoSegmenter.tcpChecksum(p, off, tcp, len));
        long pseudo = 6 + len;
        for (int i = off + 12; i < off + 20; i += 2) {
          pseudo += p.getShort(i) & 0xffff;
        }
        assertEquals(0, IpPacket.checksum(p, tcp, len, pseudo), "offset " + off + ", length " + len);
      }
    }
  }
}
