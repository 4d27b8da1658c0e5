package org.openswanj.kernel.klips;

import java.nio.ByteBuffer;
import java.util.BitSet;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.function.LongSupplier;
import org.openswanj.kernel.klips.net.IpPacket;

/**
 * Reassembles the IPv4 fragments of datagrams routed to a transport-mode SA, which protects whole datagrams only
 * (RFC 4303 §3.1.1): the kernel fragments a packet larger than ipsecN's MTU before it reaches us, so the whole
 * datagram is rebuilt here and sealed as one; the ESP packet is then fragmented by the kernel on the way out
 * (RFC 4303 §3.3.5), as Linux XFRM and KLIPS do.
 *
 * <p>Datagrams are keyed by source, destination, protocol and identification (RFC 791 §3.2). Bounded: at most
 * {@link #MAX_DATAGRAMS} in progress (a new one evicts the oldest), each at most {@code maxLength} bytes with its
 * header, each forgotten {@link #TIMEOUT_NANOS} after its first fragment (Linux's ipfrag_time). A fragment that
 * overlaps one already held drops the datagram (Linux since 4.19; the reasoning of RFC 5722), as do a fragment
 * other than the last whose length is no multiple of 8, and data beyond the end the last fragment set.
 *
 * <p>Thread-safety: shared by every outbound thread (the kernel may hash fragments of one datagram to different
 * TUN queues: later fragments carry no ports), so every call holds the table's lock.
 */
final class Reassembly {
  static final int MAX_DATAGRAMS = 64;
  static final long TIMEOUT_NANOS = 30_000_000_000L;

  private record Key(long addresses, int protocolAndId) {}

  private static final class Datagram {
    final long firstNanos;
    byte[] header;
    byte[] data = new byte[2048];
    /** The 8-byte blocks received (RFC 791 §3.2: fragment offsets count 8-byte units). */
    final BitSet blocks = new BitSet();
    int received;
    int fragments;
    /** The payload's length once the last fragment (MF clear) came, else -1. */
    int end = -1;
    /** The furthest end of a fragment seen. */
    int extent;

    Datagram(long firstNanos) {
      this.firstNanos = firstNanos;
    }
  }

  private final int maxLength;
  private volatile LongSupplier nanos;
  private final Counters counters;
  /** Insertion order is the order of first fragments: the eldest entry is the oldest and expires first. */
  private final LinkedHashMap<Key, Datagram> table = new LinkedHashMap<>();

  Reassembly(int maxLength, LongSupplier nanos, Counters counters) {
    this.maxLength = maxLength;
    this.nanos = nanos;
    this.counters = counters;
  }

  /**
   * Takes the IPv4 fragment of {@code len} bytes at the start of {@code b}. If it completes its datagram, writes
   * the whole datagram to {@code b} from 0 (the first fragment's header with offset 0, MF clear, the total length
   * and a new checksum) and returns its length; else (held, or dropped and counted) returns -1.
   */
  synchronized int add(ByteBuffer b, int len) {
    long now = nanos.getAsLong();
    expire(now);
    int hl = IpPacket.headerLength(b, 0);
    int total = b.getShort(2) & 0xffff;
    if (total < hl || total > len) {
      counters.malformed.incrementAndGet();
      return -1;
    }
    int flags = b.getShort(6) & 0xffff;
    boolean more = (flags & 0x2000) != 0;
    int offset = (flags & 0x1fff) * 8;
    int size = total - hl;
    long addresses = ((long) b.getInt(12) << 32) | (b.getInt(16) & 0xffffffffL);
    Key key = new Key(addresses, (IpPacket.protocol(b, 0) << 16) | (b.getShort(4) & 0xffff));
    Datagram d = table.get(key);
    if (d == null) {
      if (table.size() >= MAX_DATAGRAMS) {
        Iterator<Datagram> eldest = table.values().iterator();
        counters.fragmentsTableFull.addAndGet(eldest.next().fragments);
        eldest.remove();
      }
      d = new Datagram(now);
      table.put(key, d);
    }
    d.fragments++;
    int last = offset + size;
    int header = offset == 0 ? hl : d.header != null ? d.header.length : 20;
    d.extent = Math.max(d.extent, last);
    if (header + d.extent > maxLength) {
      drop(key, d, counters.fragmentsTooLarge); // more than the data path's buffer takes
      return -1;
    }
    if (more && ((size & 7) != 0 || size == 0)) {
      drop(key, d, counters.malformed); // RFC 791 §3.2: only the last fragment may end off an 8-byte boundary
      return -1;
    }
    int fromBlock = offset >> 3;
    int toBlock = (last + 7) >> 3;
    int overlap = d.blocks.nextSetBit(fromBlock);
    if (overlap >= 0 && overlap < toBlock || d.end >= 0 && (last > d.end || !more)
        || !more && d.extent > last) {
      // RFC 5722 §4's reasoning, as Linux does for IPv4 since 4.19: an overlap, a second end or data beyond the end
      drop(key, d, counters.fragmentsOverlap);
      return -1;
    }
    d.blocks.set(fromBlock, toBlock);
    if (!more) {
      d.end = last;
    }
    if (offset == 0) {
      d.header = new byte[hl];
      b.get(0, d.header);
    }
    if (d.data.length < last) {
      d.data = java.util.Arrays.copyOf(d.data, Math.min(maxLength, Math.max(last, d.data.length * 2)));
    }
    b.get(hl, d.data, offset, size);
    d.received += size;
    if (d.end < 0 || d.received != d.end || d.header == null) {
      return -1;
    }
    table.remove(key);
    int whl = d.header.length;
    b.limit(whl + d.end); // within the buffer: maxLength is no more than its capacity
    b.put(0, d.header);
    b.put(whl, d.data, 0, d.end);
    b.putShort(2, (short) (whl + d.end));
    b.putShort(6, (short) 0);
    b.putShort(10, (short) 0);
    b.putShort(10, (short) IpPacket.checksum(b, 0, whl, 0));
    counters.reassembled.incrementAndGet();
    return whl + d.end;
  }

  private void drop(Key key, Datagram d, java.util.concurrent.atomic.AtomicLong counter) {
    table.remove(key);
    counter.addAndGet(d.fragments);
  }

  /** RFC 791 §3.2 (the reassembly timer): a datagram is given up 30 s after its first fragment. */
  private void expire(long now) {
    Iterator<Datagram> it = table.values().iterator();
    while (it.hasNext()) {
      Datagram d = it.next();
      if (now - d.firstNanos < TIMEOUT_NANOS) {
        return;
      }
      counters.fragmentsExpired.addAndGet(d.fragments);
      it.remove();
    }
  }

  /** Replaces the clock (tests: a fixed one, so nothing expires). */
  void clock(LongSupplier nanos) {
    this.nanos = nanos;
  }

  /** How many datagrams are in progress. */
  synchronized int size() {
    return table.size();
  }
}
