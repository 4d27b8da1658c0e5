package org.openswanj.kernel.klips;

import java.nio.ByteBuffer;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Set;
import java.util.function.Predicate;
import org.openswanj.kernel.klips.net.IpPacket;

/**
 * Packets held by a %trap or %hold eroute until an SA comes up (bounded: the oldest are kept, newer ones
 * dropped, like KLIPS). Remembers which flows (source, destination address) raised an acquire, so that a wide
 * %trap (an OE policy group's /24) raises one acquire per destination, not one for the whole eroute, as
 * XFRM does per flow. Synchronized.
 */
final class HoldQueue {
  static final int CAPACITY = 32;
  /** Flows remembered as acquired; beyond this an acquire is raised again (pluto ignores a duplicate). */
  static final int FLOWS = 1024;

  private final ArrayDeque<byte[]> packets = new ArrayDeque<>();
  private final Set<ByteBuffer> acquired = new HashSet<>();
  private long dropped;

  /** Holds a copy of the packet; returns true if its flow raised no acquire since it was last released. */
  synchronized boolean hold(byte[] packet) {
    if (packets.size() < CAPACITY) {
      packets.add(packet);
    } else {
      dropped++;
    }
    if (acquired.size() >= FLOWS) {
      acquired.clear();
    }
    return acquired.add(flow(packet));
  }

  /** Empties the queue and re-arms the acquire (the eroute changed). */
  synchronized List<byte[]> release() {
    List<byte[]> out = List.copyOf(packets);
    packets.clear();
    acquired.clear();
    return out;
  }

  /**
   * Takes the held packets {@code moved} selects (a more specific eroute now covers them) and re-arms their
   * flows' acquire.
   */
  synchronized List<byte[]> take(Predicate<byte[]> moved) {
    List<byte[]> out = new ArrayList<>();
    for (Iterator<byte[]> it = packets.iterator(); it.hasNext(); ) {
      byte[] p = it.next();
      if (moved.test(p)) {
        it.remove();
        out.add(p);
        acquired.remove(flow(p));
      }
    }
    return out;
  }

  synchronized int held() {
    return packets.size();
  }

  synchronized long dropped() {
    return dropped;
  }

  /** Source and destination address of an IP packet; empty for one too short to carry them. */
  private static ByteBuffer flow(byte[] packet) {
    ByteBuffer b = ByteBuffer.wrap(packet);
    if (packet.length < 20) {
      return ByteBuffer.allocate(0);
    }
    int n = IpPacket.addressLength(b, 0);
    int at = IpPacket.addressOffset(b, 0, false);
    if (packet.length < at + 2 * n) {
      return ByteBuffer.allocate(0);
    }
    return ByteBuffer.wrap(java.util.Arrays.copyOfRange(packet, at, at + 2 * n));
  }
}
