package org.openswanj.kernel.klips;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * The outbound fuzz target's model of what one read from an {@code ipsecN} TUN device holds ({@code struct
 * virtio_net_hdr}, then an IP packet) and of the packets Linux makes of it, written apart from the product's
 * TsoSegmenter: {@code virtio_net_hdr_to_skb}, {@code skb_checksum_help} for a partial checksum, {@code
 * tcp_gso_segment} for a TCP super-packet. Also builds well-formed packets and checks checksums (RFC 1071). Pure.
 */
final class TunReadModel {
  static final int VNET_HDR = 10;
  static final int F_NEEDS_CSUM = 1;
  static final int GSO_NONE = 0;
  static final int GSO_TCPV4 = 1;
  static final int GSO_UDP = 3;
  static final int GSO_TCPV6 = 4;
  static final int GSO_ECN = 0x80;
  static final int TCP = 6;
  static final int UDP = 17;
  static final int ICMP = 1;
  static final int ICMPV6 = 58;
  static final int SCTP = 132;
  static final int FIN = 0x01;
  static final int PSH = 0x08;
  static final int ACK = 0x10;
  static final int ECE = 0x40;
  static final int CWR = 0x80;

  private TunReadModel() {}

  /** The virtio header's six fields; in a read its 16-bit fields are in the host's byte order. */
  record Vnet(int flags, int gsoType, int hdrLen, int gsoSize, int csumStart, int csumOffset) {
    static final Vnet PLAIN = new Vnet(0, GSO_NONE, 0, 0, 0, 0);

    static Vnet of(byte[] read) {
      ByteBuffer h = ByteBuffer.wrap(read).order(ByteOrder.nativeOrder());
      return new Vnet(read[0] & 0xff, read[1] & 0xff, h.getShort(2) & 0xffff, h.getShort(4) & 0xffff,
          h.getShort(6) & 0xffff, h.getShort(8) & 0xffff);
    }

    /** This header followed by {@code packet}: a read. */
    byte[] read(byte[] packet) {
      byte[] r = new byte[VNET_HDR + packet.length];
      ByteBuffer.wrap(r).order(ByteOrder.nativeOrder()).put((byte) flags).put((byte) gsoType).putShort((short) hdrLen)
          .putShort((short) gsoSize).putShort((short) csumStart).putShort((short) csumOffset);
      System.arraycopy(packet, 0, r, VNET_HDR, packet.length);
      return r;
    }
  }

  /**
   * The packets a read stands for, or null if Linux would not have written it: no whole IP header; a partial
   * checksum whose start and offset leave the packet; segmentation other than TCP (all that TUNSETOFFLOAD TSO4|TSO6
   * offers), of another IP version, of an IPv4 fragment or of no whole TCP header (RFC 9293 §3.1: data offset at
   * least 5), or with a segment size of 0.
   */
  static List<byte[]> packets(byte[] read) {
    if (read.length < VNET_HDR) {
      return null;
    }
    Vnet v = Vnet.of(read);
    byte[] p = Arrays.copyOfRange(read, VNET_HDR, read.length);
    if (!valid(p)) {
      return null;
    }
    int gso = v.gsoType & ~GSO_ECN;
    if (gso == GSO_NONE) {
      if ((v.flags & F_NEEDS_CSUM) != 0 && !completeChecksum(p, v.csumStart, v.csumOffset)) {
        return null;
      }
      return valid(p) ? List.of(p) : null;
    }
    boolean v4 = version(p) == 4;
    if (!(gso == GSO_TCPV4 && v4 || gso == GSO_TCPV6 && !v4) || protocol(p) != TCP || v.gsoSize == 0 || fragment(p)) {
      return null;
    }
    int tcp = headerLength(p);
    if (tcp + 20 > p.length) {
      return null;
    }
    int doff = (p[tcp + 12] & 0xf0) >> 2;
    if (doff < 20 || tcp + doff > p.length) {
      return null;
    }
    return segments(p, tcp, tcp + doff, v.gsoSize);
  }

  /**
   * tcp_gso_segment: each segment has a copy of the headers and up to {@code mss} bytes of the payload; the IPv4 ID
   * counts up, the sequence number moves on by the payload before it (RFC 9293 §3.4, modulo 2^32), FIN and PSH stay
   * on the last segment, CWR on the first (RFC 3168 §6.1.2), and both checksums are computed afresh.
   */
  private static List<byte[]> segments(byte[] p, int tcp, int headers, int mss) {
    int payload = p.length - headers;
    int count = Math.max(1, (payload + mss - 1) / mss);
    List<byte[]> out = new ArrayList<>(count);
    ByteBuffer in = ByteBuffer.wrap(p);
    for (int i = 0; i < count; i++) {
      int chunk = Math.min(mss, payload - i * mss);
      byte[] s = new byte[headers + chunk];
      System.arraycopy(p, 0, s, 0, headers);
      System.arraycopy(p, headers + i * mss, s, headers, chunk);
      ByteBuffer b = ByteBuffer.wrap(s);
      if (version(p) == 4) {
        b.putShort(2, (short) s.length).putShort(4, (short) (in.getShort(4) + i));
        setIpv4Checksum(s);
      } else {
        b.putShort(4, (short) (s.length - 40));
      }
      b.putInt(tcp + 4, in.getInt(tcp + 4) + i * mss);
      int flags = s[tcp + 13] & 0xff;
      if (i < count - 1) {
        flags &= ~(FIN | PSH);
      }
      if (i > 0) {
        flags &= ~CWR;
      }
      s[tcp + 13] = (byte) flags;
      setL4Checksum(s, tcp, 16);
      out.add(s);
    }
    return out;
  }

  /**
   * skb_checksum_help: the sum from csum_start to the end, complemented, at csum_start + csum_offset (which holds
   * the pseudo-header sum); a result of 0 is sent as 0xffff (RFC 768: 0 would mean no UDP checksum).
   */
  private static boolean completeChecksum(byte[] p, int start, int offset) {
    if (start >= p.length || start + offset + 2 > p.length) {
      return false;
    }
    int c = checksum(p, start, p.length - start, 0);
    put16(p, start + offset, c == 0 ? 0xffff : c);
    return true;
  }

  // --- building packets ---

  /**
   * An IP header to build: addresses (4 or 16 bytes), protocol, IPv4's flags and fragment offset field, IPv4 options
   * (4 bytes: three NOPs and an end of list) and the TOS (IPv6: traffic class and a flow label).
   */
  record Ip(byte[] src, byte[] dst, int proto, int fragField, boolean options, int tos) {}

  /**
   * The IP packet of {@code ip} around {@code l4}, its lengths right, IPv4 ID {@code id}, TTL (hop limit) 64, the IPv4
   * header checksum and the transport checksum right (RFC 791, RFC 8200, RFC 9293 §3.1, RFC 768, RFC 792, RFC 4443
   * §2.3); a later fragment carries no transport header, so none is computed, nor for IPv4 UDP {@code noUdpChecksum}.
   */
  static byte[] packet(Ip ip, byte[] l4, int id, boolean noUdpChecksum) {
    boolean v4 = ip.src.length == 4;
    int hl = v4 ? (ip.options ? 24 : 20) : 40;
    byte[] p = new byte[hl + l4.length];
    ByteBuffer b = ByteBuffer.wrap(p);
    if (v4) {
      b.put((byte) (0x40 | hl / 4)).put((byte) ip.tos).putShort((short) p.length).putShort((short) id)
          .putShort((short) ip.fragField).put((byte) 64).put((byte) ip.proto).putShort((short) 0).put(ip.src).put(ip.dst);
      if (ip.options) {
        b.put(new byte[] {1, 1, 1, 0});
      }
    } else {
      b.putInt(0x60000000 | (ip.tos & 0xff) << 20 | (ip.tos * 0x9e37) & 0xfffff).putShort((short) l4.length)
          .put((byte) ip.proto).put((byte) 64).put(ip.src).put(ip.dst);
    }
    b.put(l4);
    if (v4) {
      setIpv4Checksum(p);
    }
    int field = checksumField(ip.proto, v4);
    boolean none = noUdpChecksum && v4 && ip.proto == UDP;
    if (field >= 0 && !laterFragment(p) && l4.length >= field + 2 && !none) {
      setL4Checksum(p, hl, field);
    }
    return p;
  }

  /** Where the checksum is in the transport header of {@code proto}, or -1 if the harness sets none. */
  static int checksumField(int proto, boolean v4) {
    return switch (proto) {
      case TCP -> 16;
      case UDP -> 6;
      case ICMP -> v4 ? 2 : -1;
      case ICMPV6 -> v4 ? -1 : 2;
      default -> -1;
    };
  }

  /** A TCP header (data offset 5, or 8 with NOP NOP timestamps, RFC 7323 §3) and its payload; checksum 0. */
  static byte[] tcp(int sport, int dport, int seq, int flags, boolean timestamps, byte[] payload) {
    int h = timestamps ? 32 : 20;
    ByteBuffer b = ByteBuffer.allocate(h + payload.length);
    b.putShort((short) sport).putShort((short) dport).putInt(seq).putInt(0x01020304).put((byte) (h / 4 << 4))
        .put((byte) flags).putShort((short) 64240).putShort((short) 0).putShort((short) 0);
    if (timestamps) {
      b.put(new byte[] {1, 1, 8, 10, 0, 0, 0, 7, 0, 0, 0, 9});
    }
    return b.put(payload).array();
  }

  /** A UDP header (RFC 768) and its payload; checksum 0. */
  static byte[] udp(int sport, int dport, byte[] payload) {
    return ByteBuffer.allocate(8 + payload.length).putShort((short) sport).putShort((short) dport)
        .putShort((short) (8 + payload.length)).putShort((short) 0).put(payload).array();
  }

  /** An ICMP or ICMPv6 message: type, code, checksum 0, four bytes of identifier and sequence number, body. */
  static byte[] icmp(int type, int code, byte[] body) {
    return ByteBuffer.allocate(8 + body.length).put((byte) type).put((byte) code).putShort((short) 0).putInt(0x00010002)
        .put(body).array();
  }

  /** An SCTP common header (RFC 9260 §3.1; its CRC32c is not modelled) and the chunks. */
  static byte[] sctp(int sport, int dport, byte[] chunks) {
    return ByteBuffer.allocate(12 + chunks.length).putShort((short) sport).putShort((short) dport).putInt(0x0a0b0c0d)
        .putInt(0).put(chunks).array();
  }

  /**
   * Makes the transport checksum of an unfragmented TCP or UDP packet partial, as a kernel that leaves it to the device
   * does: the field holds the pseudo-header sum, folded and not complemented. Returns the virtio flag and the
   * csum_start and csum_offset that say so.
   */
  static Vnet partialChecksum(byte[] p) {
    int l4 = headerLength(p);
    int field = protocol(p) == TCP ? 16 : 6;
    long sum = pseudo(p, protocol(p), p.length - l4);
    while ((sum >> 16) != 0) {
      sum = (sum & 0xffff) + (sum >> 16);
    }
    put16(p, l4 + field, (int) sum);
    return new Vnet(F_NEEDS_CSUM, GSO_NONE, 0, 0, l4, field);
  }

  // --- packets ---

  static boolean valid(byte[] p) {
    if (p.length < 20) {
      return false;
    }
    int v = version(p);
    int ihl = (p[0] & 0x0f) * 4;
    return v == 4 ? ihl >= 20 && ihl <= p.length : v == 6 && p.length >= 40;
  }

  static int version(byte[] p) {
    return (p[0] & 0xff) >> 4;
  }

  static int headerLength(byte[] p) {
    return version(p) == 4 ? (p[0] & 0x0f) * 4 : 40;
  }

  /** IPv4's protocol, IPv6's first next header (extension headers are not walked, as in the product). */
  static int protocol(byte[] p) {
    return p[version(p) == 4 ? 9 : 6] & 0xff;
  }

  static int addressLength(byte[] p) {
    return version(p) == 4 ? 4 : 16;
  }

  static byte[] src(byte[] p) {
    int at = version(p) == 4 ? 12 : 8;
    return Arrays.copyOfRange(p, at, at + addressLength(p));
  }

  static byte[] dst(byte[] p) {
    int at = version(p) == 4 ? 16 : 24;
    return Arrays.copyOfRange(p, at, at + addressLength(p));
  }

  /** An IPv4 packet that is a fragment: MF set or an offset (RFC 791 §3.1). */
  static boolean fragment(byte[] p) {
    return version(p) == 4 && (get16(p, 6) & 0x3fff) != 0;
  }

  /** An IPv4 fragment other than the first: its offset is not 0, it carries no transport header. */
  static boolean laterFragment(byte[] p) {
    return version(p) == 4 && (get16(p, 6) & 0x1fff) != 0;
  }

  /** TCP, UDP and SCTP ports of a packet carrying their header, else 0 (RFC 4301 §4.4.1.1: OPAQUE). */
  static int port(byte[] p, boolean dst) {
    int proto = protocol(p);
    int hl = headerLength(p);
    if (proto != TCP && proto != UDP && proto != SCTP || laterFragment(p) || hl + 4 > p.length) {
      return 0;
    }
    return get16(p, hl + (dst ? 2 : 0));
  }

  static int get16(byte[] b, int at) {
    return ((b[at] & 0xff) << 8) | (b[at + 1] & 0xff);
  }

  static void put16(byte[] b, int at, int v) {
    b[at] = (byte) (v >>> 8);
    b[at + 1] = (byte) v;
  }

  // --- checksums (RFC 1071) ---

  /** The complemented 16-bit one's complement sum of {@code len} bytes at {@code off}, from {@code sum}. */
  static int checksum(byte[] b, int off, int len, long sum) {
    return HarnessLoops.checksum(b, off, len, sum);
  }

  /** The pseudo-header sum of RFC 9293 §3.1 (IPv4) or RFC 8200 §8.1 (IPv6) for {@code len} bytes of {@code proto}. */
  static long pseudo(byte[] p, int proto, int len) {
    long sum = proto + len;
    int from = version(p) == 4 ? 12 : 8;
    for (int i = from; i < from + 2 * addressLength(p); i += 2) {
      sum += get16(p, i);
    }
    return sum;
  }

  static boolean ipv4ChecksumOk(byte[] p) {
    return version(p) != 4 || checksum(p, 0, headerLength(p), 0) == 0;
  }

  static void setIpv4Checksum(byte[] p) {
    put16(p, 10, 0);
    put16(p, 10, checksum(p, 0, headerLength(p), 0));
  }

  /** Writes the transport checksum at {@code field} of the header at {@code l4}, over the rest of the packet. */
  static void setL4Checksum(byte[] p, int l4, int field) {
    put16(p, l4 + field, 0);
    int proto = protocol(p);
    long sum = proto == ICMP ? 0 : pseudo(p, proto, p.length - l4);
    int c = checksum(p, l4, p.length - l4, sum);
    put16(p, l4 + field, proto == UDP && c == 0 ? 0xffff : c); // RFC 768: 0 is "no checksum"
  }

  /**
   * True if a whole (unfragmented) packet's TCP, UDP, ICMP or ICMPv6 checksum is right, or it has none to check
   * (another protocol, a header too short to hold one, IPv4 UDP without checksum); RFC 8200 §8.1 forbids that for
   * IPv6.
   */
  static boolean l4ChecksumOk(byte[] p) {
    int proto = protocol(p);
    int l4 = headerLength(p);
    int len = p.length - l4;
    int field = switch (proto) {
      case TCP -> 16;
      case UDP -> 6;
      case ICMP, ICMPV6 -> 2;
      default -> -1;
    };
    if (field < 0 || len < field + 2 || proto == ICMP && version(p) != 4 || proto == ICMPV6 && version(p) != 6) {
      return true;
    }
    if (proto == UDP && get16(p, l4 + 6) == 0) {
      return version(p) == 4;
    }
    return checksum(p, l4, len, proto == ICMP ? 0 : pseudo(p, proto, len)) == 0;
  }
}
