package org.openswanj.kernel.klips;

import static org.openswanj.kernel.klips.TunReadModel.get16;
import static org.openswanj.kernel.klips.TunReadModel.headerLength;

import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.BitSet;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The outbound fuzz target's model of IPv4 reassembly for transport mode (RFC 791 §3.2; RFC 4303 §3.1.1): datagrams
 * keyed by source, destination, protocol and identification, at most 64 in progress (the oldest evicted), at most
 * {@code maxLength} bytes each; an overlap, a second end or data beyond the end drops the datagram, as does a
 * fragment other than the last whose length is no multiple of 8 (counted malformed). No clock: nothing expires.
 */
final class FragmentModel {
  /** What one read's fragments did. */
  static final class Outcome {
    long malformed;
    long overlap;
    long tooLarge;
    long tableFull;
    long reassembled;
  }

  private static final class Datagram {
    byte[] header;
    final byte[] data = new byte[65536];
    final BitSet blocks = new BitSet();
    int received;
    int fragments;
    int end = -1;
    int extent;
  }

  private final int maxLength;
  private final Map<ByteBuffer, Datagram> table = new LinkedHashMap<>();

  FragmentModel(int maxLength) {
    this.maxLength = maxLength;
  }

  int size() {
    return table.size();
  }

  /** Takes an IPv4 fragment; the whole datagram if it completes one, else null (held or dropped, in {@code o}). */
  byte[] add(byte[] p, Outcome o) {
    int hl = headerLength(p);
    int total = get16(p, 2);
    if (total < hl || total > p.length) {
      o.malformed++;
      return null;
    }
    int flags = get16(p, 6);
    boolean more = (flags & 0x2000) != 0;
    int offset = (flags & 0x1fff) * 8;
    int size = total - hl;
    ByteBuffer key = ByteBuffer.allocate(12).put(p, 12, 8).put(p[9]).put((byte) 0).put(p, 4, 2).flip();
    Datagram d = table.get(key);
    if (d == null) {
      if (table.size() >= Reassembly.MAX_DATAGRAMS) {
        Iterator<Datagram> eldest = table.values().iterator();
        o.tableFull += eldest.next().fragments;
        eldest.remove();
      }
      d = new Datagram();
      table.put(key, d);
    }
    d.fragments++;
    int last = offset + size;
    int header = offset == 0 ? hl : d.header != null ? d.header.length : 20;
    d.extent = Math.max(d.extent, last);
    if (header + d.extent > maxLength) {
      table.remove(key);
      o.tooLarge += d.fragments;
      return null;
    }
    if (more && (size % 8 != 0 || size == 0)) {
      table.remove(key);
      o.malformed += d.fragments;
      return null;
    }
    int from = offset / 8;
    int to = (last + 7) / 8;
    if (!d.blocks.get(from, to).isEmpty() || d.end >= 0 && (last > d.end || !more) || !more && d.extent > last) {
      table.remove(key);
      o.overlap += d.fragments;
      return null;
    }
    d.blocks.set(from, to);
    if (!more) {
      d.end = last;
    }
    if (offset == 0) {
      d.header = Arrays.copyOf(p, hl);
    }
    System.arraycopy(p, hl, d.data, offset, size);
    d.received += size;
    if (d.end < 0 || d.received != d.end || d.header == null) {
      return null;
    }
    table.remove(key);
    byte[] whole = new byte[d.header.length + d.end];
    System.arraycopy(d.header, 0, whole, 0, d.header.length);
    System.arraycopy(d.data, 0, whole, d.header.length, d.end);
    ByteBuffer w = ByteBuffer.wrap(whole);
    w.putShort(2, (short) whole.length).putShort(6, (short) 0).putShort(10, (short) 0);
    w.putShort(10, (short) org.openswanj.kernel.klips.net.IpPacket.checksum(w, 0, d.header.length, 0));
    o.reassembled++;
    return whole;
  }
}
