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

  private static byte[] concat(byte[] a, byte[] b) {
    byte[] r = new byte[a.length + b.length];
    System.arraycopy(a, 0, r, 0, a.length);
    System.arraycopy(b, 0, r, a.length, b.length);
    return r;
  }
}
