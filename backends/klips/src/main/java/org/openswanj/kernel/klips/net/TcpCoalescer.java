package org.openswanj.kernel.klips.net;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/**
 * GRO in user space, as wireguard-go does: consecutive TCP segments of one flow, IPv4 or IPv6, decrypted from one
 * receive batch, are written to {@code ipsecN} as one super-packet with a virtio GSO header (TCPV4 or TCPV6,
 * gso_size = the first segment's payload), so the kernel's TCP receives one skb instead of up to 32. The merge
 * rules are Linux's (tcp_gro_receive, inet_gro_receive, ipv6_gro_receive): same IP version, addresses, ports, ACK
 * number, window and TCP options; for IPv4 the same TOS, TTL and DF, for IPv6 the same traffic class, flow label
 * and hop limit; the next segment starts where the last ended; only the last may be shorter or carry PSH; SYN,
 * FIN, RST, URG, CWR, IPv4 options or fragments and IPv6 extension headers are never merged. The checksum is left
 * partial (NEEDS_CSUM over the whole TCP length): ESP already authenticated every byte, and the kernel treats the
 * merged packet as verified.
 *
 * <p>Not thread-safe: one per delivering thread, flushed at the end of each batch.
 */
public final class TcpCoalescer {
  /** The largest merged packet, IP header included, for both versions (IPv6's payload length then fits too). */
  private static final int MAX = 65535;
  /** An IPv6 header (RFC 8200 §3) and the longest TCP header (data offset 15, RFC 9293 §3.1). */
  private static final int MAX_HEADERS = 40 + 60;
  private final ByteBuffer buf = ByteBuffer.allocateDirect(TsoSegmenter.VNET_HDR + MAX).order(ByteOrder.BIG_ENDIAN);
  private final long address = Libc.address(buf);
  private static final int IP = TsoSegmenter.VNET_HDR;
  private PacketSink tun;
  /** Where the TCP header starts in the held packet: 20 (IPv4 without options) or 40 (IPv6 without extensions). */
  private int tcp;
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
    int t = IpPacket.version(b, off) == 4 ? 20 : 40;
    int payload = len - h;
    if (count == 0) {
      buf.put(IP, b, off, len);
      tun = to;
      tcp = t;
      headers = h;
      segment = payload;
      length = len;
    } else {
      buf.put(IP + length, b, off + h, payload);
      length += payload;
      buf.put(IP + t + 13, (byte) (buf.get(IP + t + 13) | (b.get(off + t + 13) & 0x08))); // PSH of the last
    }
    count++;
    nextSeq = (b.getInt(off + t + 4) + payload) & 0xffffffffL; // RFC 9293 §3.4: modulo 2^32
    if (payload < segment || (b.get(off + t + 13) & 0x08) != 0 || length + segment > MAX) {
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
    int tcpLen = length - tcp;
    long pseudo;
    int gso;
    if (tcp == 20) {
      buf.putShort(IP + 2, (short) length).putShort(IP + 10, (short) 0);
      buf.putShort(IP + 10, (short) IpPacket.checksum(buf, IP, 20, 0));
      // RFC 9293 §3.1: the IPv4 pseudo-header is source, destination, zero, protocol, TCP length
      pseudo = TsoSegmenter.sum32(buf, IP + 12, 8) + IpPacket.PROTO_TCP + tcpLen;
      gso = TsoSegmenter.GSO_TCPV4;
    } else {
      buf.putShort(IP + 4, (short) tcpLen); // RFC 8200 §3: payload length excludes the 40-byte header
      // RFC 8200 §8.1: source, destination, upper-layer length as 32 bits, three zero bytes and next header 6
      pseudo = TsoSegmenter.sum32(buf, IP + 8, 32) + IpPacket.PROTO_TCP + tcpLen;
      gso = TsoSegmenter.GSO_TCPV6;
    }
    buf.putShort(IP + tcp + 16, (short) ~TsoSegmenter.fold(pseudo)); // partial: the pseudo-header sum, not complemented
    ByteBuffer v = buf.duplicate().order(ByteOrder.nativeOrder());
    v.put(0, (byte) 1).put(1, (byte) gso).putShort(2, (short) headers)
        .putShort(4, (short) segment).putShort(6, (short) tcp).putShort(8, (short) 16);
    tun.writeWithHeader(address, length);
  }

  /** The IP+TCP header length if this packet may take part in a merge, else -1. */
  private static int mergeableHeaders(ByteBuffer b, int off, int len) {
    if (len < 40 || len > MAX) {
      return -1;
    }
    int t;
    if (b.get(off) == 0x45) {
      if (b.get(off + 9) != IpPacket.PROTO_TCP || (b.getShort(off + 6) & 0x3fff) != 0
          || (b.getShort(off + 2) & 0xffff) != len) {
        return -1; // IPv4 without options, TCP, not a fragment, no padding
      }
      t = 20;
    } else if (IpPacket.version(b, off) == 6) {
      // RFC 8200 §4: any extension header (hop-by-hop, routing, fragment, destination options...) comes
      // between the IPv6 header and TCP; only next header = TCP directly is merged. RFC 8200 §3: the payload
      // length must cover exactly the rest (no padding; a jumbogram's 0 needs a hop-by-hop option, refused).
      if (len < 60 || b.get(off + 6) != IpPacket.PROTO_TCP || (b.getShort(off + 4) & 0xffff) != len - 40) {
        return -1;
      }
      t = 40;
    } else {
      return -1;
    }
    int flags = b.get(off + t + 13) & 0xff;
    if ((flags & ~0x18) != 0 || (flags & 0x10) == 0) {
      return -1; // RFC 9293 §3.1 control bits: only ACK, optionally PSH (no SYN, FIN, RST, URG, ECE, CWR)
    }
    int h = t + ((b.get(off + t + 12) & 0xf0) >> 2); // RFC 9293 §3.1: data offset in 32-bit words
    return h < t + 20 || h > MAX_HEADERS || h >= len ? -1 : h;
  }

  private boolean continues(ByteBuffer b, int off, int len) {
    if ((b.get(off) & 0xf0) != (buf.get(IP) & 0xf0)) {
      return false; // an IPv4 and an IPv6 packet are never one flow
    }
    int t = tcp;
    if (len - headers > segment || (b.getInt(off + t + 4) & 0xffffffffL) != nextSeq) {
      return false; // RFC 9293 §3.4: the sequence number must continue where the last segment ended
    }
    int addrFrom;
    if (t == 20) {
      if (b.get(off + 1) != buf.get(IP + 1) || b.get(off + 8) != buf.get(IP + 8)
          || b.getShort(off + 6) != buf.getShort(IP + 6)) {
        return false; // TOS, TTL, DF
      }
      addrFrom = 12;
    } else {
      // RFC 8200 §3: version, traffic class (§7, with ECN) and flow label (§6) share the first word
      if (b.getInt(off) != buf.getInt(IP) || b.get(off + 7) != buf.get(IP + 7)) {
        return false; // traffic class, flow label, hop limit
      }
      addrFrom = 8;
    }
    for (int i = addrFrom; i < t; i += 4) {
      if (b.getInt(off + i) != buf.getInt(IP + i)) {
        return false; // addresses
      }
    }
    if (b.getInt(off + t) != buf.getInt(IP + t) || b.getInt(off + t + 8) != buf.getInt(IP + t + 8)
        || b.getShort(off + t + 14) != buf.getShort(IP + t + 14)) {
      return false; // ports, ACK number, window
    }
    for (int i = t + 20; i < headers; i++) {
      if (b.get(off + i) != buf.get(IP + i)) {
        return false; // TCP options (timestamps) must be identical
      }
    }
    return true;
  }
}
