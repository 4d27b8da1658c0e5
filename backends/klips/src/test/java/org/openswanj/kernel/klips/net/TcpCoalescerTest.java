package org.openswanj.kernel.klips.net;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sun.jna.Pointer;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** GRO: which decrypted segments are merged into one write to ipsecN, and what that write holds. */
class TcpCoalescerTest {
  private static final int HEAD = 64;

  /** Records every write: the virtio header (10 bytes) followed by the IP packet. */
  static final class Recorder implements PacketSink {
    final List<byte[]> writes = new ArrayList<>();

    @Override
    public void write(ByteBuffer buf, long address, int offset, int length) {
      byte[] w = new byte[10 + length];
      buf.get(offset, w, 10, length);
      writes.add(w);
    }

    @Override
    public void writeWithHeader(long address, int length) {
      writes.add(new Pointer(address).getByteArray(0, 10 + length));
    }
  }

  private final ByteBuffer buf = ByteBuffer.allocateDirect(4096);
  private final long address = Libc.address(buf);

  /** An IPv4/TCP segment with a timestamp option at HEAD; returns its length. */
  private int segment(long seq, int payload, int flags, int srcPort) {
    int off = HEAD;
    buf.put(off, (byte) 0x45).putShort(off + 2, (short) (52 + payload)).putShort(off + 4, (short) 0)
        .putShort(off + 6, (short) 0x4000).put(off + 8, (byte) 63).put(off + 9, (byte) 6).putShort(off + 10, (short) 0);
    buf.putInt(off + 12, 0xc00001fe).putInt(off + 16, 0xc00002fe);
    buf.putShort(off + 20, (short) srcPort).putShort(off + 22, (short) 5201).putInt(off + 24, (int) seq)
        .putInt(off + 28, 99).put(off + 32, (byte) 0x80).put(off + 33, (byte) flags).putShort(off + 34, (short) 512)
        .putShort(off + 36, (short) 0).putShort(off + 38, (short) 0);
    buf.putInt(off + 40, 0x0101080a).putInt(off + 44, 5).putInt(off + 48, 6);
    for (int i = 0; i < payload; i++) {
      buf.put(off + 52 + i, (byte) (seq + i));
    }
    return 52 + payload;
  }

  @Test
  void consecutiveSegmentsOfAFlowBecomeOneGsoWrite() throws Exception {
    Recorder r = new Recorder();
    TcpCoalescer gro = new TcpCoalescer();
    for (int i = 0; i < 3; i++) {
      gro.write(r, buf, address, HEAD, segment(1000 + i * 1300L, 1300, 0x10, 40000));
    }
    gro.write(r, buf, address, HEAD, segment(1000 + 3 * 1300L, 200, 0x18, 40000)); // short + PSH: last, flushes
    assertEquals(1, r.writes.size(), "one write for four segments");
    ByteBuffer w = ByteBuffer.wrap(r.writes.get(0));
    ByteBuffer v = w.duplicate().order(ByteOrder.nativeOrder());
    assertEquals(1, v.get(0), "NEEDS_CSUM");
    assertEquals(1, v.get(1), "GSO TCPV4");
    assertEquals(52, v.getShort(2), "hdr_len");
    assertEquals(1300, v.getShort(4), "gso_size: the first segment's payload");
    assertEquals(20, v.getShort(6));
    assertEquals(16, v.getShort(8));
    assertEquals(52 + 3 * 1300 + 200, w.getShort(10 + 2) & 0xffff, "IPv4 total length of the merged packet");
    assertEquals(0, IpPacket.checksum(w, 10, 20, 0), "IPv4 header checksum");
    assertEquals(0x18, w.get(10 + 33), "PSH of the last segment kept");
    for (int i = 0; i < 3 * 1300 + 200; i++) {
      if (w.get(10 + 52 + i) != (byte) (1000 + i)) {
        throw new AssertionError("payload byte " + i + " differs");
      }
    }
    // the checksum field holds the pseudo-header sum: completing it over the TCP bytes verifies to zero
    int tcpLen = 32 + 3 * 1300 + 200;
    long pseudo = 6 + tcpLen;
    for (int i = 12; i < 20; i += 2) {
      pseudo += w.getShort(10 + i) & 0xffff;
    }
    int partial = w.getShort(10 + 36) & 0xffff;
    w.putShort(10 + 36, (short) 0);
    long sum = pseudo;
    while (sum >> 16 != 0) {
      sum = (sum & 0xffff) + (sum >> 16);
    }
    assertEquals(sum, partial, "partial checksum = folded pseudo-header sum");
  }

  @Test
  void aGapAnotherFlowOrASynIsNotMergedAndOrderIsKept() throws Exception {
    Recorder r = new Recorder();
    TcpCoalescer gro = new TcpCoalescer();
    int a = segment(1000, 1300, 0x10, 40000);
    gro.write(r, buf, address, HEAD, a);
    byte[] first = new byte[a];
    buf.get(HEAD, first);
    gro.write(r, buf, address, HEAD, segment(5000, 1300, 0x10, 40000)); // gap: flushes the first
    gro.write(r, buf, address, HEAD, segment(6300, 1300, 0x10, 40001)); // other flow
    gro.write(r, buf, address, HEAD, segment(7600, 0, 0x12, 40001)); // SYN-ACK: never merged
    gro.flush();
    assertEquals(4, r.writes.size());
    byte[] w0 = r.writes.get(0);
    assertEquals(0, w0[1], "a lone segment goes out without GSO");
    byte[] ip0 = new byte[w0.length - 10];
    System.arraycopy(w0, 10, ip0, 0, ip0.length);
    assertArrayEquals(first, ip0, "byte for byte as decrypted");
    assertEquals(5000, ByteBuffer.wrap(r.writes.get(1)).getInt(10 + 24));
    assertEquals(40001, ByteBuffer.wrap(r.writes.get(2)).getShort(10 + 20) & 0xffff);
    assertEquals(0x12, r.writes.get(3)[10 + 33]);
  }

  /** Flow label 0xabcde, traffic class 0x28: both must survive the merge unchanged. */
  private static final int V6_FIRST_WORD = 0x6280_0000 | 0xabcde;

  /**
   * An IPv6/TCP segment (no extension header, a timestamp option) at HEAD; returns its length. Addresses
   * 2001:db8:1::fe to 2001:db8:ffff::fffe, so that the pseudo-header sum carries.
   */
  private int segment6(long seq, int payload, int flags, int srcPort) {
    int off = HEAD;
    buf.putInt(off, V6_FIRST_WORD).putShort(off + 4, (short) (32 + payload)).put(off + 6, (byte) 6)
        .put(off + 7, (byte) 63);
    buf.putInt(off + 8, 0x20010db8).putInt(off + 12, 0x00010000).putInt(off + 16, 0).putInt(off + 20, 0xfe);
    buf.putInt(off + 24, 0x20010db8).putInt(off + 28, 0xffff0000).putInt(off + 32, 0).putInt(off + 36, 0xfffe);
    int t = off + 40;
    buf.putShort(t, (short) srcPort).putShort(t + 2, (short) 5201).putInt(t + 4, (int) seq)
        .putInt(t + 8, 99).put(t + 12, (byte) 0x80).put(t + 13, (byte) flags).putShort(t + 14, (short) 512)
        .putShort(t + 16, (short) 0x1234).putShort(t + 18, (short) 0);
    buf.putInt(t + 20, 0x0101080a).putInt(t + 24, 5).putInt(t + 28, 6);
    for (int i = 0; i < payload; i++) {
      buf.put(t + 32 + i, (byte) (seq + i));
    }
    return 72 + payload;
  }

  /** The IP packet of write {@code i} (without its virtio header). */
  private static ByteBuffer ip(Recorder r, int i) {
    byte[] w = r.writes.get(i);
    return ByteBuffer.wrap(w, 10, w.length - 10).slice();
  }

  private static ByteBuffer vnet(Recorder r, int i) {
    return ByteBuffer.wrap(r.writes.get(i), 0, 10).slice().order(ByteOrder.nativeOrder());
  }

  /** A plain 16-bit RFC 1071 ones'-complement sum of {@code len} bytes at {@code off}, not folded. */
  private static long sum16(ByteBuffer b, int off, int len) {
    long sum = 0;
    for (int i = 0; i + 1 < len; i += 2) {
      sum += b.getShort(off + i) & 0xffff;
    }
    if ((len & 1) != 0) {
      sum += (b.get(off + len - 1) & 0xff) << 8;
    }
    return sum;
  }

  private static int foldComplement(long sum) {
    while (sum >> 16 != 0) {
      sum = (sum & 0xffff) + (sum >> 16);
    }
    return (int) (~sum & 0xffff);
  }

  /** What the kernel does for NEEDS_CSUM (skb_checksum_help): sums from csum_start to the end, stores it folded. */
  private static void completeLikeTheKernel(ByteBuffer v, ByteBuffer p) {
    int start = v.getShort(6) & 0xffff;
    int at = start + (v.getShort(8) & 0xffff);
    p.putShort(at, (short) foldComplement(sum16(p, start, p.limit() - start)));
  }

  /** The TCP checksum of an IPv6 packet, from scratch: RFC 8200 §8.1 pseudo-header, then the segment (field zero). */
  private static int tcp6Checksum(ByteBuffer p) {
    ByteBuffer c = ByteBuffer.allocate(p.limit());
    c.put(0, p, 0, p.limit());
    c.putShort(40 + 16, (short) 0);
    int tcpLen = p.limit() - 40;
    ByteBuffer pseudo = ByteBuffer.allocate(40);
    pseudo.put(0, p, 8, 32).putInt(32, tcpLen).putInt(36, 6);
    return foldComplement(sum16(pseudo, 0, 40) + sum16(c, 40, tcpLen));
  }

  @Test
  void consecutiveIpv6SegmentsOfAFlowBecomeOneTcpv6GsoWriteWhoseChecksumTheKernelCompletes() throws Exception {
    Recorder r = new Recorder();
    TcpCoalescer gro = new TcpCoalescer();
    for (int i = 0; i < 3; i++) {
      gro.write(r, buf, address, HEAD, segment6(1000 + i * 1300L, 1300, 0x10, 40000));
    }
    gro.write(r, buf, address, HEAD, segment6(1000 + 3 * 1300L, 201, 0x18, 40000)); // short + PSH: last, flushes
    assertEquals(1, r.writes.size(), "one write for four segments");
    ByteBuffer v = vnet(r, 0);
    ByteBuffer p = ip(r, 0);
    assertEquals(1, v.get(0), "NEEDS_CSUM");
    assertEquals(TsoSegmenter.GSO_TCPV6, v.get(1), "GSO TCPV6");
    assertEquals(72, v.getShort(2), "hdr_len: IPv6 + TCP with options");
    assertEquals(1300, v.getShort(4), "gso_size: the first segment's payload");
    assertEquals(40, v.getShort(6), "csum_start: after the IPv6 header");
    assertEquals(16, v.getShort(8), "csum_offset: TCP's checksum field");
    int total = 72 + 3 * 1300 + 201;
    assertEquals(total, p.limit());
    assertEquals(total - 40, p.getShort(4) & 0xffff, "IPv6 payload length of the merged packet");
    assertEquals(V6_FIRST_WORD, p.getInt(0), "traffic class and flow label kept");
    assertEquals(63, p.get(7), "hop limit kept");
    assertEquals(0x18, p.get(40 + 13), "PSH of the last segment kept");
    assertEquals(1000, p.getInt(40 + 4), "the first segment's sequence number");
    for (int i = 0; i < 3 * 1300 + 201; i++) {
      if (p.get(72 + i) != (byte) (1000 + i)) {
        throw new AssertionError("payload byte " + i + " differs");
      }
    }
    int expected = tcp6Checksum(p);
    completeLikeTheKernel(v, p);
    assertEquals(expected, p.getShort(40 + 16) & 0xffff, "the kernel's completion gives the full TCP checksum");
    assertEquals(0, foldComplement(sum16(p, 8, 32) + 6 + (total - 40) + sum16(p, 40, total - 40)),
        "and the merged packet verifies with its pseudo-header");
  }

  @Test
  void ipv6GrowsToAtMost65535BytesAndEachPartGetsItsOwnPayloadLength() throws Exception {
    Recorder r = new Recorder();
    TcpCoalescer gro = new TcpCoalescer();
    int n = 100;
    for (int i = 0; i < n; i++) {
      gro.write(r, buf, address, HEAD, segment6(7 + i * 1400L, 1400, 0x10, 40000));
    }
    gro.flush();
    assertEquals(3, r.writes.size(), "46 + 46 + 8 segments");
    long seq = 7;
    for (int i = 0; i < r.writes.size(); i++) {
      ByteBuffer p = ip(r, i);
      assertTrue(p.limit() <= 65535, "write " + i + " fits");
      assertEquals(p.limit() - 40, p.getShort(4) & 0xffff, "payload length of write " + i);
      assertEquals(seq, p.getInt(40 + 4) & 0xffffffffL, "write " + i + " starts where the last ended");
      seq += p.limit() - 72;
      int expected = tcp6Checksum(p);
      completeLikeTheKernel(vnet(r, i), p);
      assertEquals(expected, p.getShort(40 + 16) & 0xffff, "checksum of write " + i);
    }
    assertEquals(7 + n * 1400L, seq, "nothing lost or doubled");
  }

  @Test
  void ipv6ExtensionHeadersFlowLabelsSynFinAndGapsAreNotMerged() throws Exception {
    Recorder r = new Recorder();
    TcpCoalescer gro = new TcpCoalescer();
    int a = segment6(1000, 1300, 0x10, 40000);
    gro.write(r, buf, address, HEAD, a);
    byte[] first = new byte[a];
    buf.get(HEAD, first);
    // a destination options header (RFC 8200 §4.6) before TCP: 8 bytes, next header 6, PadN
    int b = segment6(2300, 1300, 0x10, 40000);
    byte[] tcp = new byte[b - 40];
    buf.get(HEAD + 40, tcp);
    buf.put(HEAD + 48, tcp); // TCP and payload move 8 bytes on
    buf.put(HEAD + 6, (byte) 60).putShort(HEAD + 4, (short) (b - 40 + 8));
    buf.putLong(HEAD + 40, 0);
    buf.put(HEAD + 40, (byte) 6).put(HEAD + 42, (byte) 1).put(HEAD + 43, (byte) 4);
    gro.write(r, buf, address, HEAD, b + 8); // flushes the first, goes out itself
    gro.write(r, buf, address, HEAD, segment6(2300, 1300, 0x10, 40000)); // held: continues the first
    int c = segment6(3600, 1300, 0x10, 40000);
    buf.putInt(HEAD, V6_FIRST_WORD + 1); // another flow label
    gro.write(r, buf, address, HEAD, c);
    gro.write(r, buf, address, HEAD, segment6(4900, 0, 0x11, 40000)); // FIN: never merged
    gro.write(r, buf, address, HEAD, segment6(4900, 0, 0x12, 40000)); // SYN-ACK: never merged
    gro.write(r, buf, address, HEAD, segment6(9000, 1300, 0x10, 40000));
    gro.write(r, buf, address, HEAD, segment6(9000 + 2600, 1300, 0x10, 40000)); // gap
    gro.flush();
    assertEquals(8, r.writes.size(), "no two of them merged");
    for (int i = 0; i < 8; i++) {
      assertEquals(0, r.writes.get(i)[1], "write " + i + " goes out without GSO");
    }
    ByteBuffer w0 = ip(r, 0);
    byte[] ip0 = new byte[w0.limit()];
    w0.get(0, ip0);
    assertArrayEquals(first, ip0, "byte for byte as decrypted");
    assertEquals(60, ip(r, 1).get(6), "the one with an extension header");
    assertEquals(72 + 8 + 1300, ip(r, 1).limit(), "as it came");
    assertEquals(2300, ip(r, 1).getInt(48 + 4));
    assertEquals(2300, ip(r, 2).getInt(40 + 4));
    assertEquals(V6_FIRST_WORD + 1, ip(r, 3).getInt(0), "the other flow label");
    assertEquals(0x11, ip(r, 4).get(40 + 13));
    assertEquals(0x12, ip(r, 5).get(40 + 13));
    assertEquals(9000, ip(r, 6).getInt(40 + 4));
    assertEquals(9000 + 2600, ip(r, 7).getInt(40 + 4));
  }

  @Test
  void anIpv4PacketBetweenIpv6OnesEndsTheMergeAndTheFlowsAreNeverMixed() throws Exception {
    Recorder r = new Recorder();
    TcpCoalescer gro = new TcpCoalescer();
    gro.write(r, buf, address, HEAD, segment6(1000, 1300, 0x10, 40000));
    gro.write(r, buf, address, HEAD, segment6(2300, 1300, 0x10, 40000));
    gro.write(r, buf, address, HEAD, segment(3600, 1300, 0x10, 40000)); // IPv4, same ports, sequence continues
    gro.write(r, buf, address, HEAD, segment(4900, 1300, 0x10, 40000));
    gro.write(r, buf, address, HEAD, segment6(6200, 1300, 0x10, 40000));
    gro.flush();
    assertEquals(3, r.writes.size());
    assertEquals(TsoSegmenter.GSO_TCPV6, r.writes.get(0)[1]);
    assertEquals(72 + 2 * 1300, ip(r, 0).limit());
    assertEquals(TsoSegmenter.GSO_TCPV4, r.writes.get(1)[1]);
    assertEquals(4, IpPacket.version(ip(r, 1), 0));
    assertEquals(52 + 2 * 1300, ip(r, 1).limit());
    assertEquals(0, r.writes.get(2)[1], "a lone IPv6 segment");
    assertEquals(6200, ip(r, 2).getInt(40 + 4));
  }

  /** Moves the segment at HEAD behind an 8-byte destination options header (RFC 8200 §4.6); returns its length. */
  private int withDestinationOptions(int len, int pad) {
    byte[] tcp = new byte[len - 40];
    buf.get(HEAD + 40, tcp);
    buf.put(HEAD + 48, tcp);
    buf.put(HEAD + 6, (byte) 60).putShort(HEAD + 4, (short) (len - 40 + 8));
    buf.put(HEAD + 40, (byte) 6).put(HEAD + 41, (byte) 0).put(HEAD + 42, (byte) 1).put(HEAD + 43, (byte) 4)
        .putInt(HEAD + 44, pad); // next header TCP, length 0, PadN of 4 bytes
    return len + 8;
  }

  @Test
  void consecutiveIpv6SegmentsBehindAnExtensionHeaderAreNotMerged() throws Exception {
    Recorder r = new Recorder();
    TcpCoalescer gro = new TcpCoalescer();
    // one flow, sequence numbers continuing behind the extension header
    gro.write(r, buf, address, HEAD, withDestinationOptions(segment6(1000, 1300, 0x10, 40000), 0));
    gro.write(r, buf, address, HEAD, withDestinationOptions(segment6(2300, 1300, 0x10, 40000), 0));
    // and two that would merge if TCP were taken to start right after the IPv6 header: there the sequence
    // number's high bytes read as data offset 5 and ACK, the PadN bytes as a continuing sequence number
    gro.write(r, buf, address, HEAD, withDestinationOptions(segment6(0x5010_0000L, 1300, 0x10, 40000), 0));
    gro.write(r, buf, address, HEAD, withDestinationOptions(segment6(0x5010_0000L, 1300, 0x10, 40000), 1320));
    gro.flush();
    assertEquals(4, r.writes.size());
    for (int i = 0; i < 4; i++) {
      assertEquals(0, r.writes.get(i)[1], "write " + i + " goes out without GSO");
      assertEquals(80 + 1300, ip(r, i).limit(), "as it came");
    }
  }

  @Test
  void anIpv6SegmentDifferingInAnyMergeRuleFieldEndsTheMerge() throws Exception {
    String[] what = {"traffic class", "hop limit", "source", "destination", "destination port", "ACK number",
        "window", "timestamp option", "longer than the first", "IPv6 padding"};
    for (int k = 0; k < what.length; k++) {
      Recorder r = new Recorder();
      TcpCoalescer gro = new TcpCoalescer();
      gro.write(r, buf, address, HEAD, segment6(1000, 1300, 0x10, 40000));
      int len = segment6(2300, k == 8 ? 1301 : 1300, 0x10, 40000);
      int t = HEAD + 40;
      switch (k) {
        case 0 -> buf.putInt(HEAD, V6_FIRST_WORD ^ 0x0010_0000);
        case 1 -> buf.put(HEAD + 7, (byte) 64);
        case 2 -> buf.put(HEAD + 23, (byte) 0xfd);
        case 3 -> buf.put(HEAD + 24, (byte) 0x30);
        case 4 -> buf.putShort(t + 2, (short) 5202);
        case 5 -> buf.putInt(t + 8, 100);
        case 6 -> buf.putShort(t + 14, (short) 513);
        case 7 -> buf.putInt(t + 24, 7);
        case 9 -> buf.putShort(HEAD + 4, (short) (len - 41)); // one byte of padding after the segment
        default -> { }
      }
      gro.write(r, buf, address, HEAD, len);
      gro.flush();
      assertEquals(2, r.writes.size(), what[k]);
      assertEquals(0, r.writes.get(0)[1], what[k]);
    }
  }

  @Test
  void theSequenceNumberMayWrapInsideAMerge() throws Exception {
    Recorder r = new Recorder();
    TcpCoalescer gro = new TcpCoalescer();
    long seq = 0x1_0000_0000L - 1300 - 99; // the second segment wraps, the third starts after the wrap
    for (int i = 0; i < 3; i++) {
      gro.write(r, buf, address, HEAD, segment6((seq + i * 1300L) & 0xffff_ffffL, 1300, 0x10, 40000));
      gro.write(r, buf, address, HEAD, segment((seq + i * 1300L) & 0xffff_ffffL, 1300, 0x10, 40000));
    }
    gro.flush();
    assertEquals(6, r.writes.size(), "IPv4 and IPv6 alternate: nothing merged, order kept");
    r.writes.clear();
    for (int i = 0; i < 3; i++) {
      gro.write(r, buf, address, HEAD, segment6((seq + i * 1300L) & 0xffff_ffffL, 1300, 0x10, 40000));
    }
    for (int i = 0; i < 3; i++) {
      gro.write(r, buf, address, HEAD, segment((seq + i * 1300L) & 0xffff_ffffL, 1300, 0x10, 40000));
    }
    gro.flush();
    assertEquals(2, r.writes.size(), "each version's three segments are one write, across the wrap");
    assertEquals(72 + 3 * 1300, ip(r, 0).limit());
    assertEquals(52 + 3 * 1300, ip(r, 1).limit());
  }

  @Test
  void anIpv6PacketLongerThan65535BytesGoesOutAsItCame() throws Exception {
    ByteBuffer big = ByteBuffer.allocateDirect(HEAD + 40 + 65535);
    int len = segment6(1000, 1300, 0x10, 40000);
    big.put(HEAD, buf, HEAD, len);
    big.putShort(HEAD + 4, (short) 65535); // RFC 8200 §3: the payload length may reach 65535, the packet 65575
    Recorder r = new Recorder();
    TcpCoalescer gro = new TcpCoalescer();
    gro.write(r, big, Libc.address(big), HEAD, 40 + 65535);
    gro.flush();
    assertEquals(1, r.writes.size());
    assertEquals(40 + 65535, ip(r, 0).limit());
  }
}
