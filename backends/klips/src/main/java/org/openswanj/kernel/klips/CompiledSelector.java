package org.openswanj.kernel.klips;

import java.nio.ByteBuffer;
import org.openswanj.kernel.Selector;
import org.openswanj.kernel.klips.net.IpPacket;

/** A {@link Selector} prepared for matching packets in place (RFC 4301 §4.4.1), without allocation. */
record CompiledSelector(Selector selector, byte[] src, byte[] dst, int version) {

  static CompiledSelector of(Selector s) {
    byte[] src = s.src().getAddress();
    return new CompiledSelector(s, src, s.dst().getAddress(), src.length == 4 ? 4 : 6);
  }

  /** True if the IP packet of {@code len} bytes at {@code off} falls inside the selector. */
  boolean matches(ByteBuffer b, int off, int len) {
    return matchesAnyPort(b, off)
        && (selector.srcPort() == 0 || selector.srcPort() == IpPacket.port(b, off, len, false))
        && (selector.dstPort() == 0 || selector.dstPort() == IpPacket.port(b, off, len, true));
  }

  /** True if the packet at {@code off} falls inside the selector, whatever its ports (a later fragment has none). */
  boolean matchesAnyPort(ByteBuffer b, int off) {
    if (IpPacket.version(b, off) != version) {
      return false;
    }
    if (!IpPacket.inPrefix(b, IpPacket.addressOffset(b, off, false), src, selector.srcPrefix())
        || !IpPacket.inPrefix(b, IpPacket.addressOffset(b, off, true), dst, selector.dstPrefix())) {
      return false;
    }
    return selector.protocol() == 0 || selector.protocol() == IpPacket.protocol(b, off);
  }
}
