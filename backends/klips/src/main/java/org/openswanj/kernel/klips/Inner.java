package org.openswanj.kernel.klips;

import java.nio.ByteBuffer;
import org.openswanj.kernel.klips.net.IpPacket;

/** Inbound transport mode (RFC 4303 §3.1.1): puts an IP header back in front of the decrypted payload. */
final class Inner {
  private Inner() {}

  /** The payload is at the element's clear position; the header goes in the headroom before it. */
  static void rebuildTransportHeader(Element e) {
    ByteBuffer b = e.clear;
    SaState sa = e.sa;
    byte[] src = sa.id.src().getAddress();
    byte[] dst = sa.id.dst().getAddress();
    int payload = b.remaining();
    if (src.length == 4) {
      int off = b.position() - 20;
      ByteBuffer addrs = ByteBuffer.wrap(concat(src, dst));
      IpPacket.writeIpv4Header(b, off, 20 + payload, e.nextHeader, addrs, 0, 4);
      b.position(off);
      return;
    }
    int off = b.position() - 40;
    b.putInt(off, 0x60000000).putShort(off + 4, (short) payload);
    b.put(off + 6, (byte) e.nextHeader).put(off + 7, (byte) 64);
    b.put(off + 8, src).put(off + 24, dst);
    b.position(off);
  }

  /**
   * RFC 3948 §3.1.2: after a transport-mode packet came through a NAT in UDP, its TCP or UDP checksum still covers
   * the peer's original (private) address, not the one the NAT wrote into the header we rebuilt. ESP's ICV already
   * proved the payload intact, so the checksum is computed afresh over the rebuilt header (the RFC's "recompute"),
   * which is right whether or not the peer sent NAT-OA. A UDP checksum of zero (IPv4: none) stays zero.
   */
  static void recomputeChecksum(ByteBuffer b) {
    int ip = b.position();
    boolean v4 = (b.get(ip) >> 4) == 4;
    int hl = v4 ? (b.get(ip) & 0x0f) * 4 : 40;
    int proto = b.get(ip + (v4 ? 9 : 6)) & 0xff;
    int len = b.remaining() - hl;
    int l4 = ip + hl;
    int at;
    if (proto == IpPacket.PROTO_UDP && len >= 8) {
      at = l4 + 6;
      if (v4 && b.getShort(at) == 0) {
        return;
      }
    } else if (proto == IpPacket.PROTO_TCP && len >= 20) {
      at = l4 + 16;
    } else {
      return;
    }
    long pseudo = proto + len; // RFC 768 / RFC 9293 §3.1 (RFC 8200 §8.1): addresses, protocol, length
    int addrs = v4 ? ip + 12 : ip + 8;
    for (int i = 0; i < (v4 ? 8 : 32); i += 2) {
      pseudo += b.getShort(addrs + i) & 0xffff;
    }
    b.putShort(at, (short) 0);
    int sum = IpPacket.checksum(b, l4, len, pseudo);
    b.putShort(at, (short) (proto == IpPacket.PROTO_UDP && sum == 0 ? 0xffff : sum));
  }

  private static byte[] concat(byte[] a, byte[] b) {
    byte[] r = new byte[a.length + b.length];
    System.arraycopy(a, 0, r, 0, a.length);
    System.arraycopy(b, 0, r, a.length, b.length);
    return r;
  }
}
