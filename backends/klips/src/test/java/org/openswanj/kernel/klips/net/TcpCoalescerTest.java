package org.openswanj.kernel.klips.net;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

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
}
