package org.openswanj.kernel.klips.net;

import java.nio.ByteBuffer;

/**
 * Turns what a TUN device with offloads reads (a {@code struct virtio_net_hdr} then a packet of up to 64 KB:
 * a TCP "super-packet" the kernel did not segment, TSO, or a packet whose checksum it left partial) into
 * ordinary IP packets no larger than the device MTU, in user space, as wireguard-go does. Segmenting follows
 * what Linux's own GSO does (tcp_gso_segment): each segment gets a copy of the IP and TCP headers; the IPv4
 * ID counts up; the TCP sequence number advances by the payload before it; FIN and PSH stay on the last
 * segment only, CWR on the first only; IP (RFC 791) and TCP (RFC 9293 §3.1) checksums are computed afresh.
 *
 * <p>Not thread-safe: one per reading thread. Usage: {@link #begin}, then {@link #segment} for 0..count-1.
 */
public final class TsoSegmenter {
  /** sizeof(struct virtio_net_hdr): flags, gso_type, hdr_len, gso_size, csum_start, csum_offset. */
  public static final int VNET_HDR = 10;
  static final int F_NEEDS_CSUM = 1;
  static final int GSO_NONE = 0;
  static final int GSO_TCPV4 = 1;
  static final int GSO_TCPV6 = 4;
  static final int GSO_ECN = 0x80;

  private final int maxPacket;
  private ByteBuffer in;
  private int ip;
  private int end;
  private int headers;
  private int mss;
  private int count;

  /** A segmenter for packets of up to 64 KB. */
  public TsoSegmenter() {
    this(65535);
  }

  /** A segmenter that refuses a read whose packets (or segments) would be longer than {@code maxPacket} bytes. */
  public TsoSegmenter(int maxPacket) {
    this.maxPacket = maxPacket;
  }

  /**
   * Reads the virtio header of the {@code n} bytes at the start of {@code in} (native byte order).
   *
   * @return how many packets it yields, or -1 if it is malformed or its packets are longer than the limit (counted
   *     and dropped by the caller; the kernel writes nothing longer than the device's MTU, or its MSS plus headers)
   */
  public int begin(ByteBuffer in, int n) {
    this.in = in;
    this.ip = VNET_HDR;
    this.end = n;
    int len = n - VNET_HDR;
    if (len <= 0 || !IpPacket.valid(in, ip, len)) {
      return -1;
    }
    int flags = in.get(0) & 0xff;
    int gso = in.get(1) & 0xff & ~GSO_ECN;
    if (gso == GSO_NONE) {
      if (len > maxPacket) {
        return -1;
      }
      count = 1;
      mss = 0;
      return (flags & F_NEEDS_CSUM) != 0 && !completeChecksum(in, ip, n) ? -1 : 1;
    }
    boolean v4 = IpPacket.version(in, ip) == 4;
    if ((gso != GSO_TCPV4 || !v4) && (gso != GSO_TCPV6 || v4) || IpPacket.protocol(in, ip) != IpPacket.PROTO_TCP) {
      return -1; // only TCP segmentation is offered (TUNSETOFFLOAD TSO4|TSO6); IPv6 extension headers are not
    }
    if (IpPacket.fragment(in, ip)) {
      return -1; // a super-packet is a whole TCP segment; a fragment past the first holds no TCP header (RFC 791)
    }
    int tcp = ip + IpPacket.headerLength(in, ip);
    if (tcp + 20 > end) {
      return -1;
    }
    int dataOffset = (in.get(tcp + 12) & 0xf0) >> 2;
    headers = tcp + dataOffset - ip;
    mss = Short.toUnsignedInt(swap(in.getShort(4)));
    int payload = len - headers;
    // RFC 9293 §3.1: the data offset counts the 20-byte header and its options; less would put the checksum (and
    // the sequence number each segment gets) into the payload
    if (mss == 0 || dataOffset < 20 || payload < 0 || headers + Math.min(mss, payload) > maxPacket) {
      return -1;
    }
    count = Math.max(1, (payload + mss - 1) / mss);
    return count;
  }

  /** Writes packet {@code i} into {@code out} from index 0; returns its length. */
  public int segment(int i, ByteBuffer out) {
    if (mss == 0) {
      int len = end - ip;
      out.put(0, in, ip, len);
      return len;
    }
    int payloadStart = ip + headers + i * mss;
    int chunk = Math.min(mss, end - payloadStart);
    out.put(0, in, ip, headers);
    out.put(headers, in, payloadStart, chunk);
    int total = headers + chunk;
    boolean v4 = IpPacket.version(out, 0) == 4;
    int tcp = IpPacket.headerLength(out, 0);
    if (v4) {
      out.putShort(2, (short) total).putShort(4, (short) (out.getShort(4) + i)).putShort(10, (short) 0);
      out.putShort(10, (short) IpPacket.checksum(out, 0, tcp, 0));
    } else {
      out.putShort(4, (short) (total - 40));
    }
    out.putInt(tcp + 4, out.getInt(tcp + 4) + i * mss);
    int tcpFlags = out.get(tcp + 13) & 0xff;
    if (i < count - 1) {
      tcpFlags &= ~0x09; // FIN, PSH: last segment only
    }
    if (i > 0) {
      tcpFlags &= ~0x80; // CWR: first segment only
    }
    out.put(tcp + 13, (byte) tcpFlags);
    out.putShort(tcp + 16, (short) 0);
    out.putShort(tcp + 16, (short) tcpChecksum(out, 0, tcp, total - tcp));
    return total;
  }

  /** The checksum of a TCP segment of {@code len} bytes at {@code tcp} (checksum field zero) with its pseudo-header. */
  public static int tcpChecksum(ByteBuffer b, int ipOff, int tcp, int len) {
    boolean v4 = IpPacket.version(b, ipOff) == 4;
    long sum = v4 ? sum32(b, ipOff + 12, 8) : sum32(b, ipOff + 8, 32);
    sum += IpPacket.PROTO_TCP + len;
    return fold(sum + sum32(b, tcp, len));
  }

  /**
   * virtio: sum from csum_start to the end, stored at csum_start + csum_offset (which holds the pseudo-header sum). A
   * result of 0 is stored as 0xffff, as Linux's skb_checksum_help does: the same to TCP, but a UDP checksum of 0 means
   * none (RFC 768), which an IPv6 receiver drops (RFC 8200 §8.1).
   */
  private static boolean completeChecksum(ByteBuffer b, int ip, int end) {
    int start = ip + Short.toUnsignedInt(swap(b.getShort(6)));
    int at = start + Short.toUnsignedInt(swap(b.getShort(8)));
    if (start >= end || at + 2 > end) {
      return false;
    }
    int sum = fold(sum32(b, start, end - start));
    b.putShort(at, (short) (sum == 0 ? 0xffff : sum));
    return true;
  }

  /**
   * RFC 1071 sum of {@code len} bytes at {@code off} as 32-bit words, unfolded. Reads 64 bits at a time and
   * adds both halves (§2(C): any word size works as long as the carries are kept): half the reads of a 32-bit
   * loop, which profiling showed to be the outbound thread's largest cost (every TSO segment is summed).
   */
  static long sum32(ByteBuffer b, int off, int len) {
    long sum = 0;
    int i = 0;
    for (; i + 7 < len; i += 8) {
      long w = b.getLong(off + i);
      sum += (w >>> 32) + (w & 0xffffffffL);
    }
    for (; i + 3 < len; i += 4) {
      sum += b.getInt(off + i) & 0xffffffffL;
    }
    if (i + 1 < len) {
      sum += (b.getShort(off + i) & 0xffffL) << 16;
      i += 2;
    }
    if (i < len) {
      sum += (b.get(off + i) & 0xffL) << (i % 4 == 0 ? 24 : 8);
    }
    return sum;
  }

  /** Folds a 32-bit-word sum to 16 bits and complements it. */
  static int fold(long sum) {
    sum = (sum & 0xffffffffL) + (sum >>> 32);
    sum = (sum & 0xffffffffL) + (sum >>> 32);
    sum = (sum & 0xffff) + (sum >>> 16);
    sum = (sum & 0xffff) + (sum >>> 16);
    return (int) (~sum & 0xffff);
  }

  /** The virtio header is in the host's byte order; the buffer is big-endian. */
  private static short swap(short s) {
    return java.nio.ByteOrder.nativeOrder() == java.nio.ByteOrder.BIG_ENDIAN ? s : Short.reverseBytes(s);
  }
}
