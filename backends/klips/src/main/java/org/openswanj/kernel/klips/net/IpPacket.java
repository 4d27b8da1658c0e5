package org.openswanj.kernel.klips.net;

import java.nio.ByteBuffer;

/**
 * Reads and writes the IPv4 (RFC 791) and IPv6 (RFC 8200) header fields the data path needs, in place in
 * a buffer (absolute offsets, no allocation). Callers check {@link #valid} first.
 */
public final class IpPacket {
  public static final int PROTO_ICMP = 1;
  public static final int PROTO_IPIP = 4;
  public static final int PROTO_TCP = 6;
  public static final int PROTO_UDP = 17;
  public static final int PROTO_IPV6 = 41;
  public static final int PROTO_ICMPV6 = 58;
  public static final int PROTO_SCTP = 132;

  private IpPacket() {}

  public static int version(ByteBuffer b, int off) {
    return (b.get(off) & 0xff) >> 4;
  }

  /** True if {@code len} bytes at {@code off} hold at least a whole IPv4 or IPv6 header. */
  public static boolean valid(ByteBuffer b, int off, int len) {
    if (len < 20) {
      return false;
    }
    int v = version(b, off);
    if (v == 4) {
      int ihl = (b.get(off) & 0x0f) * 4;
      return ihl >= 20 && ihl <= len;
    }
    return v == 6 && len >= 40;
  }

  public static int headerLength(ByteBuffer b, int off) {
    return version(b, off) == 4 ? (b.get(off) & 0x0f) * 4 : 40;
  }

  /** Upper-layer protocol (for IPv6 the first next header; extension headers are not walked). */
  public static int protocol(ByteBuffer b, int off) {
    return b.get(off + (version(b, off) == 4 ? 9 : 6)) & 0xff;
  }

  public static int addressOffset(ByteBuffer b, int off, boolean dst) {
    if (version(b, off) == 4) {
      return off + (dst ? 16 : 12);
    }
    return off + (dst ? 24 : 8);
  }

  public static int addressLength(ByteBuffer b, int off) {
    return version(b, off) == 4 ? 4 : 16;
  }

  /** The source (or destination) port for TCP, UDP and SCTP first fragments, else 0. */
  public static int port(ByteBuffer b, int off, int len, boolean dst) {
    int proto = protocol(b, off);
    if (proto != PROTO_TCP && proto != PROTO_UDP && proto != PROTO_SCTP) {
      return 0;
    }
    if (version(b, off) == 4 && (b.getShort(off + 6) & 0x1fff) != 0) {
      return 0; // a later fragment carries no ports
    }
    int l4 = off + headerLength(b, off);
    if (l4 + 4 > off + len) {
      return 0;
    }
    return b.getShort(l4 + (dst ? 2 : 0)) & 0xffff;
  }

  /** True if the address at {@code at} lies in {@code net}/{@code prefix}. */
  public static boolean inPrefix(ByteBuffer b, int at, byte[] net, int prefix) {
    int full = prefix >> 3;
    for (int i = 0; i < full; i++) {
      if (b.get(at + i) != net[i]) {
        return false;
      }
    }
    int rem = prefix & 7;
    if (rem == 0) {
      return true;
    }
    int mask = (0xff << (8 - rem)) & 0xff;
    return ((b.get(at + full) ^ net[full]) & mask) == 0;
  }

  /** The RFC 1071 checksum of {@code len} bytes at {@code off}, starting from {@code sum}. */
  public static int checksum(ByteBuffer b, int off, int len, long sum) {
    int i = 0;
    for (; i + 1 < len; i += 2) {
      sum += b.getShort(off + i) & 0xffff;
    }
    if (i < len) {
      sum += (b.get(off + i) & 0xff) << 8;
    }
    while ((sum >> 16) != 0) {
      sum = (sum & 0xffff) + (sum >> 16);
    }
    return (int) (~sum & 0xffff);
  }

  /** Writes a 20-byte IPv4 header (TTL 64, DF clear) with its checksum. */
  public static void writeIpv4Header(ByteBuffer b, int off, int totalLength, int proto, ByteBuffer addrs,
      int srcAt, int dstAt) {
    b.put(off, (byte) 0x45).put(off + 1, (byte) 0).putShort(off + 2, (short) totalLength);
    b.putInt(off + 4, 0).put(off + 8, (byte) 64).put(off + 9, (byte) proto).putShort(off + 10, (short) 0);
    for (int i = 0; i < 4; i++) {
      b.put(off + 12 + i, addrs.get(srcAt + i));
      b.put(off + 16 + i, addrs.get(dstAt + i));
    }
    b.putShort(off + 10, (short) checksum(b, off, 20, 0));
  }

  /** True for an IPv4 fragment: more fragments follow, or its offset is not 0 (RFC 791 §3.1). */
  public static boolean fragment(ByteBuffer b, int off) {
    return version(b, off) == 4 && (b.getShort(off + 6) & 0x3fff) != 0;
  }

  /**
   * True if the packet of {@code len} bytes at {@code off} may be answered with an ICMP error. Not an ICMP error
   * message (nor an ICMP type that may be one: only echo, timestamp and the information and address mask messages are
   * answered, as Linux's icmp_send does), a fragment other than the first, a packet to a multicast or broadcast
   * address, or from an address that is no single host (RFC 1122 §3.2.2; RFC 1812 §4.3.2.7). IPv6: not an ICMPv6
   * error message or redirect, a packet to a multicast address, or from the unspecified or a multicast address
   * (RFC 4443 §2.4(e)). Else an answer met by another %reject could answer the answer, back and forth.
   */
  public static boolean mayAnswerWithError(ByteBuffer b, int off, int len) {
    int hl = headerLength(b, off);
    boolean v4 = version(b, off) == 4;
    int src = addressOffset(b, off, false);
    int dst = addressOffset(b, off, true);
    if (v4) {
      int s0 = b.get(src) & 0xff;
      int d0 = b.get(dst) & 0xff;
      if ((b.getShort(off + 6) & 0x1fff) != 0 || d0 >= 224 && d0 < 240 || b.getInt(dst) == -1 || s0 == 0
          || s0 == 127 || s0 >= 224) {
        return false;
      }
    } else if ((b.get(dst) & 0xff) == 0xff || (b.get(src) & 0xff) == 0xff || b.getLong(src) == 0 && b.getLong(src + 8) == 0) {
      return false;
    }
    if (protocol(b, off) != (v4 ? PROTO_ICMP : PROTO_ICMPV6)) {
      return true;
    }
    if (hl >= len) {
      return false; // no type to tell
    }
    int type = b.get(off + hl) & 0xff;
    return v4 ? type == 0 || type == 8 || type >= 13 && type <= 18 : type >= 128 && type != 137;
  }

  /**
   * Builds into {@code out} at {@code outOff} the ICMP "destination unreachable, administratively
   * prohibited" answer to the packet at {@code off} (RFC 792 type 3 code 13; RFC 4443 type 1 code 1),
   * addressed back to its sender, quoting its header and first 8 payload bytes (IPv4) or as much as
   * fits in 1,280 bytes (IPv6). Returns the answer's length.
   */
  public static int icmpUnreachable(ByteBuffer in, int off, int len, ByteBuffer out, int outOff) {
    if (version(in, off) == 4) {
      int quote = Math.min(len, headerLength(in, off) + 8);
      int total = 20 + 8 + quote;
      writeIpv4Header(out, outOff, total, PROTO_ICMP, in, off + 16, off + 12);
      int icmp = outOff + 20;
      out.put(icmp, (byte) 3).put(icmp + 1, (byte) 13).putShort(icmp + 2, (short) 0).putInt(icmp + 4, 0);
      for (int i = 0; i < quote; i++) {
        out.put(icmp + 8 + i, in.get(off + i));
      }
      out.putShort(icmp + 2, (short) checksum(out, icmp, 8 + quote, 0));
      return total;
    }
    int quote = Math.min(len, 1280 - 48);
    int payload = 8 + quote;
    out.putInt(outOff, 0x60000000).putShort(outOff + 4, (short) payload);
    out.put(outOff + 6, (byte) PROTO_ICMPV6).put(outOff + 7, (byte) 64);
    for (int i = 0; i < 16; i++) {
      out.put(outOff + 8 + i, in.get(off + 24 + i));
      out.put(outOff + 24 + i, in.get(off + 8 + i));
    }
    int icmp = outOff + 40;
    out.put(icmp, (byte) 1).put(icmp + 1, (byte) 1).putShort(icmp + 2, (short) 0).putInt(icmp + 4, 0);
    for (int i = 0; i < quote; i++) {
      out.put(icmp + 8 + i, in.get(off + i));
    }
    // RFC 4443 §2.3: the checksum covers a pseudo-header of both addresses, the length and next header 58.
    long pseudo = payload + PROTO_ICMPV6;
    for (int i = 0; i < 32; i += 2) {
      pseudo += out.getShort(outOff + 8 + i) & 0xffff;
    }
    out.putShort(icmp + 2, (short) checksum(out, icmp, payload, pseudo));
    return 40 + payload;
  }
}
