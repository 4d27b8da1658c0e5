package org.openswanj.kernel.klips.net;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/**
 * GRO in user space, as wireguard-go does: consecutive IPv4 TCP segments of one flow, decrypted from one
 * receive batch, are written to {@code ipsecN} as one super-packet with a virtio GSO header (TCPV4, gso_size =
 * the first segment's payload), so the kernel's TCP receives one skb instead of up to 32. The merge rules are
 * Linux's (tcp_gro_receive): same addresses, ports, ACK number, window, IP TOS/TTL and TCP options; the next
 * segment starts where the last ended; only the last may be shorter or carry PSH; SYN, FIN, RST, URG, CWR and IP
 * options or fragments are never merged. The checksum is left partial (NEEDS_CSUM over the whole TCP length):
 * ESP already authenticated every byte, and the kernel treats the merged packet as verified.
 *
 * <p>Not thread-safe: one per delivering thread, flushed at the end of each batch.
 */
public final class TcpCoalescer {
  private static final int MAX = 65535;
  private static final int MAX_HEADERS = 20 + 60;
  private final ByteBuffer buf = ByteBuffer.allocateDirect(TsoSegmenter.VNET_HDR + MAX).order(ByteOrder.BIG_ENDIAN);
  private final long address = Libc.address(buf);
  private static final int IP = TsoSegmenter.VNET_HDR;
  private PacketSink tun;
  private int headers;
  private int segment;
  private int length;
  private int count;
  private long nextSeq;

  /** Writes (or holds for merging) the IP packet at {@code b[off, off+len)}; {@code off} must be >= 10. */
  public void write(PacketSink to, ByteBuffer b, long bAddress, int off, int len) throws IOException {
    int h = mergeableHeaders(b, off, len);
    if (count > 0 && (to != tun || h != headers || !continues(b, off, len))) {
      flush();
    }
    if (h < 0) {
      to.write(b, bAddress, off, len);
      return;
    }
    int payload = len - h;
    if (count == 0) {
      buf.put(IP, b, off, len);
      tun = to;
      headers = h;
      segment = payload;
      length = len;
    } else {
      buf.put(IP + length, b, off + h, payload);
      length += payload;
      buf.put(IP + 20 + 13, (byte) (buf.get(IP + 20 + 13) | (b.get(off + 20 + 13) & 0x08))); // PSH of the last
    }
    count++;
    nextSeq = (b.getInt(off + 24) & 0xffffffffL) + payload;
    if (payload < segment || (b.get(off + 33) & 0x08) != 0 || length + segment > MAX) {
      flush(); // Linux flushes after a short or PSH segment; and nothing more would fit
    }
  }

  /** Writes what is held. */
  public void flush() throws IOException {
    if (count == 0) {
      return;
    }
    int n = count;
    count = 0;
    if (n == 1) {
      tun.write(buf, address, IP, length); // as it came, with its own checksum
      return;
    }
    int tcpLen = length - 20;
    buf.putShort(IP + 2, (short) length).putShort(IP + 10, (short) 0);
    buf.putShort(IP + 10, (short) IpPacket.checksum(buf, IP, 20, 0));
    long pseudo = TsoSegmenter.sum32(buf, IP + 12, 8) + IpPacket.PROTO_TCP + tcpLen;
    buf.putShort(IP + 20 + 16, (short) ~TsoSegmenter.fold(pseudo)); // partial: the pseudo-header sum, not complemented
    ByteBuffer v = buf.duplicate().order(ByteOrder.nativeOrder());
    v.put(0, (byte) 1).put(1, (byte) TsoSegmenter.GSO_TCPV4).putShort(2, (short) headers)
        .putShort(4, (short) segment).putShort(6, (short) 20).putShort(8, (short) 16);
    tun.writeWithHeader(address, length);
  }

  /** The IP+TCP header length if this packet may take part in a merge, else -1. */
  private static int mergeableHeaders(ByteBuffer b, int off, int len) {
    if (len < 40 || b.get(off) != 0x45 || b.get(off + 9) != IpPacket.PROTO_TCP
        || (b.getShort(off + 6) & 0x3fff) != 0 || (b.getShort(off + 2) & 0xffff) != len) {
      return -1; // IPv4 without options, TCP, not a fragment, no padding
    }
    int flags = b.get(off + 33) & 0xff;
    if ((flags & ~0x18) != 0 || (flags & 0x10) == 0) {
      return -1; // only ACK, optionally PSH
    }
    int h = 20 + ((b.get(off + 32) & 0xf0) >> 2);
    return h < 40 || h > MAX_HEADERS || h >= len ? -1 : h;
  }

  private boolean continues(ByteBuffer b, int off, int len) {
    if (len - headers > segment || (b.getInt(off + 24) & 0xffffffffL) != nextSeq) {
      return false;
    }
    if (b.get(off + 1) != buf.get(IP + 1) || b.get(off + 8) != buf.get(IP + 8)
        || b.getShort(off + 6) != buf.getShort(IP + 6)) {
      return false; // TOS, TTL, DF
    }
    for (int i = 12; i < 20; i += 4) {
      if (b.getInt(off + i) != buf.getInt(IP + i)) {
        return false; // addresses
      }
    }
    if (b.getInt(off + 20) != buf.getInt(IP + 20) || b.getInt(off + 28) != buf.getInt(IP + 28)
        || b.getShort(off + 34) != buf.getShort(IP + 34)) {
      return false; // ports, ACK number, window
    }
    for (int i = 40; i < headers; i++) {
      if (b.get(off + i) != buf.get(IP + i)) {
        return false; // TCP options (timestamps) must be identical
      }
    }
    return true;
  }
}
