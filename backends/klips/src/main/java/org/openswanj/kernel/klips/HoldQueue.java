package org.openswanj.kernel.klips;

import java.util.ArrayDeque;
import java.util.List;

/**
 * Packets held by a %trap or %hold eroute until an SA comes up (bounded: the oldest are kept, newer ones
 * dropped, like KLIPS). Remembers whether the acquire for this eroute was raised. Synchronized.
 */
final class HoldQueue {
  static final int CAPACITY = 32;

  private final ArrayDeque<byte[]> packets = new ArrayDeque<>();
  private boolean acquired;
  private long dropped;

  /** Holds a copy of the packet; returns true if this is the first packet since the last acquire reset. */
  synchronized boolean hold(byte[] packet) {
    if (packets.size() < CAPACITY) {
      packets.add(packet);
    } else {
      dropped++;
    }
    boolean first = !acquired;
    acquired = true;
    return first;
  }

  /** Empties the queue and re-arms the acquire (the eroute changed). */
  synchronized List<byte[]> release() {
    List<byte[]> out = List.copyOf(packets);
    packets.clear();
    acquired = false;
    return out;
  }

  synchronized int held() {
    return packets.size();
  }

  synchronized long dropped() {
    return dropped;
  }
}
