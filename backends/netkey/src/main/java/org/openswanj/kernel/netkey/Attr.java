package org.openswanj.kernel.netkey;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.List;

/** A netlink attribute (struct nlattr: len u16, type u16, value, padded to 4 bytes). */
record Attr(int type, byte[] bytes) {
  static final int HDRLEN = 4;

  /** Appends this attribute, header and padding, to {@code out}. */
  void writeTo(ByteArrayOutputStream out) {
    int len = HDRLEN + bytes.length;
    byte[] h = ByteBuffer.allocate(HDRLEN).order(ByteOrder.nativeOrder()).putShort((short) len)
        .putShort((short) type).array();
    out.writeBytes(h);
    out.writeBytes(bytes);
    out.writeBytes(new byte[NetlinkSocket.align4(len) - len]);
  }

  /** The value as a little-endian buffer. */
  ByteBuffer buffer() {
    return ByteBuffer.wrap(bytes).order(ByteOrder.nativeOrder());
  }

  /** Attributes from {@code start} to the buffer's limit; stops at the first malformed one (never throws). */
  static List<Attr> parse(ByteBuffer b, int start) {
    List<Attr> out = new ArrayList<>();
    int off = start;
    while (b.limit() - off >= HDRLEN) {
      int len = b.getShort(off) & 0xffff;
      int type = b.getShort(off + 2) & 0x3fff; // strip NLA_F_NESTED / NLA_F_NET_BYTEORDER
      if (len < HDRLEN || len > b.limit() - off) {
        break;
      }
      byte[] v = new byte[len - HDRLEN];
      b.get(off + HDRLEN, v);
      out.add(new Attr(type, v));
      off += NetlinkSocket.align4(len);
    }
    return out;
  }

  static Attr find(List<Attr> attrs, int type) {
    for (Attr a : attrs) {
      if (a.type() == type) {
        return a;
      }
    }
    return null;
  }
}
