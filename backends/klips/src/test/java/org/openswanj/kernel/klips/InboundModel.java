package org.openswanj.kernel.klips;

import static org.junit.jupiter.api.Assertions.*;
import static org.openswanj.kernel.klips.KlipsInboundFuzzTest.*;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.List;
import org.openswanj.kernel.KernelEvent;
import org.openswanj.kernel.Selector;
import org.openswanj.kernel.klips.net.IpPacket;

/**
 * The model {@link KlipsInboundFuzzTest} judges a batch by: what should reach the TUN device (each sealed packet
 * exactly, or a run of one flow's TCP segments merged), the counters and the NAT mapping news, and the packet
 * predicates it is written with (apart from the product's own).
 */
final class InboundModel {
  private InboundModel() {}

  /**
   * Walks what reached the TUN device against what should have, in order: each packet is one of them exactly, or
   * (TCP) a run of two or more of them of one flow merged into one super-packet.
   */
  static void checkDelivered(List<Item> items, List<byte[]> got) {
    List<Item> expected = items.stream().filter(it -> it.inner() != null).toList();
    int i = 0;
    for (byte[] d : got) {
      assertTrue(i < expected.size(), "more reached the TUN device than was sealed inside the selector");
      Item e = expected.get(i);
      assertInSelector(e.sa(), d);
      if (d.length == e.inner().length && (e.sa().transport() ? sameTransport(e.inner(), d) : Arrays.equals(e.inner(), d))) {
        i++;
        continue;
      }
      i = merged(expected, i, d);
    }
    assertEquals(expected.size(), i, "every sealed packet inside the selector reached the TUN device");
  }

  /**
   * Per SA: inner packets and bytes counted exactly for what was delivered for it, selector failures for what was
   * sealed outside its selector; drops (tampered, broken, resent) counted once each.
   */
  static void checkCounters(Sa sa, List<Item> items, Snapshot before, boolean firstDropped, boolean resend,
      boolean replay, int malformed) {
    Snapshot after = Snapshot.take();
    long rejectedAll = 0;
    for (int i = 0; i < SAS.length; i++) {
      Sa s = SAS[i];
      long packets = items.stream().filter(it -> it.sa() == s && it.inner() != null).count();
      long bytes = items.stream().filter(it -> it.sa() == s && it.inner() != null).mapToLong(it -> it.inner().length).sum();
      long rejected = items.stream().filter(it -> it.sa() == s && it.rejected()).count();
      rejectedAll += rejected;
      int at = i;
      assertEquals(packets, after.packets()[i] - before.packets()[i], () -> "inner packets counted on " + s.id);
      assertEquals(bytes, after.bytes()[i] - before.bytes()[i], () -> "inner bytes counted on " + s.id);
      assertEquals(rejected, after.selector()[at] - before.selector()[at], () -> "outside the selector: counted on " + s.id);
    }
    assertEquals(rejectedAll, after.selectorAll() - before.selectorAll(), "outside the selector: counted once");
    assertEquals((firstDropped ? 1 : 0) + (resend ? 1 : 0), after.drops() - before.drops(),
        "a tampered, broken or resent packet is dropped and counted once");
    if (malformed >= 0) {
      assertEquals(malformed, after.malformed() - before.malformed(), "a read with a broken IPv4 header is malformed");
    }
    if (replay) {
      int i = indexOf(sa);
      assertTrue(after.replay()[i] > before.replay()[i], "a resent packet is a replay");
    }
  }

  /** ESP in UDP: a NAT mapping reported once per SA and new source, for authenticated traffic; raw ESP: no news. */
  static void checkEvents(List<Item> items, InetSocketAddress from, Mix mix) {
    if (!mix.raw()) {
      for (Item it : items) {
        Sa s = it.sa();
        if (it.inner() != null && !from.equals(s.peer) && !from.equals(s.reported)) {
          assertEquals(new KernelEvent.Mapping(s.id, from), EVENTS.poll(),
              "authenticated traffic from a new mapping is reported");
          s.reported = from;
        }
      }
    }
    assertNull(EVENTS.poll(), "no other news");
  }

  /**
   * The index after the run of expected TCP segments from {@code i} that {@code d} merges (at least two): segments
   * of one flow (equal headers but for lengths, IPv4 ID, checksums, sequence number and PSH), each continuing the
   * sequence numbers of the one before (RFC 9293 §3.4), whatever SA brought each.
   */
  static int merged(List<Item> expected, int i, byte[] d) {
    byte[] first = expected.get(i).inner();
    boolean v4 = first.length >= 40 && first[0] == 0x45 && first[9] == IpPacket.PROTO_TCP;
    boolean v6 = first.length >= 60 && (first[0] & 0xf0) == 0x60 && first[6] == IpPacket.PROTO_TCP;
    assertTrue(v4 || v6, "a delivered packet is neither what was sealed (transport mode: behind the rebuilt header,"
        + " its checksum right for it) nor a merge of TCP segments");
    int t = v4 ? 20 : 40;
    int h = t + ((first[t + 12] & 0xf0) >> 2);
    ByteBuffer payload = ByteBuffer.allocate(d.length);
    int j = i;
    int length = h;
    long seq = -1;
    while (length < d.length && j < expected.size()) {
      byte[] s = expected.get(j++).inner();
      assertTrue(s.length >= h && sameFlow(first, s, t, h), "a merge spans two flows");
      long at = ByteBuffer.wrap(s).getInt(t + 4) & 0xffffffffL;
      assertTrue(seq < 0 || at == seq, "a merge skips or repeats sequence numbers");
      seq = (at + s.length - h) & 0xffffffffL;
      payload.put(s, h, s.length - h);
      length += s.length - h;
    }
    assertEquals(d.length, length, "a merged packet is a run of whole segments");
    assertTrue(j - i >= 2, "a packet changed on its way to the TUN device");
    assertArrayEquals(Arrays.copyOf(payload.array(), length - h), Arrays.copyOfRange(d, h, d.length),
        "a merged packet carries the segments' payloads in order");
    for (int k = 0; k < h; k++) {
      boolean mayDiffer = v4 ? k == 2 || k == 3 || k == 10 || k == 11 : k == 4 || k == 5;
      mayDiffer |= k == t + 13 || k == t + 16 || k == t + 17;
      int at = k;
      assertTrue(mayDiffer || d[k] == first[k], () -> "a merged packet keeps the first segment's headers, byte " + at);
    }
    assertEquals(first[t + 13] | (expected.get(j - 1).inner()[t + 13] & 0x08), d[t + 13], "flags: the first's, PSH of the last");
    if (v4) {
      assertEquals(d.length, ((d[2] & 0xff) << 8) | (d[3] & 0xff), "a merged packet's IP total length");
      assertEquals(0, IpPacket.checksum(ByteBuffer.wrap(d), 0, 20, 0), "a merged packet's IP header checksum");
    } else {
      assertEquals(d.length - 40, ((d[4] & 0xff) << 8) | (d[5] & 0xff), "a merged packet's IPv6 payload length");
    }
    return j;
  }

  /** True if {@code s} has {@code first}'s headers but for lengths, IPv4 ID and checksums, sequence number and PSH. */
  static boolean sameFlow(byte[] first, byte[] s, int t, int h) {
    for (int k = 0; k < h; k++) {
      boolean free = t == 20 ? k >= 2 && k <= 5 || k == 10 || k == 11 : k == 4 || k == 5;
      free |= k >= t + 4 && k < t + 8 || k == t + 16 || k == t + 17;
      if (!free && (k == t + 13 ? (first[k] | 0x08) != (s[k] | 0x08) : first[k] != s[k])) {
        return false;
      }
    }
    return true;
  }

  /** The core invariant: a valid IP packet of the SA's family whose addresses, protocol and ports it covers. */
  static void assertInSelector(Sa sa, byte[] p) {
    assertTrue(IpPacket.valid(ByteBuffer.wrap(p), 0, p.length), "an invalid IP packet reached the TUN device");
    assertTrue(valid(p) && inSelector(sa.selector, p), "a packet outside " + sa.selector + " reached the TUN device");
  }

  /** Transport mode: {@code d} is the header the harness expects and the sealed payload, its checksum right. */
  static boolean sameTransport(byte[] e, byte[] d) {
    boolean v4 = (e[0] >> 4) == 4;
    int hl = v4 ? 20 : 40;
    int proto = e[v4 ? 9 : 6] & 0xff;
    int len = e.length - hl;
    int at = proto == IpPacket.PROTO_TCP && len >= 20 ? hl + 16 : proto == IpPacket.PROTO_UDP && len >= 8 ? hl + 6 : -1;
    if (at >= 0 && v4 && proto == IpPacket.PROTO_UDP && e[at] == 0 && e[at + 1] == 0) {
      at = -1; // IPv4 UDP without checksum stays without
    }
    for (int k = 0; k < e.length; k++) {
      boolean checksum = k == at || k == at + 1;
      boolean fixed = v4 ? k == 0 || k == 2 || k == 3 || k == 9 || k >= 12 : k == 0 || k == 4 || k == 5 || k == 6 || k >= 8;
      if (fixed && !checksum && e[k] != d[k]) {
        return false;
      }
    }
    if (v4 && IpPacket.checksum(ByteBuffer.wrap(d), 0, 20, 0) != 0) {
      return false;
    }
    if (v4 ? d[8] == 0 : d[7] == 0) {
      return false; // a TTL (hop limit) of 0 would be dropped at once
    }
    if (at < 0) {
      return true;
    }
    long pseudo = proto + len;
    for (int k = v4 ? 12 : 8; k < hl; k += 2) {
      pseudo += ((d[k] & 0xff) << 8) | (d[k + 1] & 0xff);
    }
    return IpPacket.checksum(ByteBuffer.wrap(d), hl, len, pseudo) == 0; // RFC 3948 §3.1.2: right for this header
  }

  /** What the product should deliver: tunnel mode only IPv4/IPv6 payloads, and only inside the selector. */
  static boolean deliverable(Sa sa, int nextHeader, byte[] inner) {
    if (!sa.transport() && nextHeader != IpPacket.PROTO_IPIP && nextHeader != IpPacket.PROTO_IPV6) {
      return false;
    }
    return valid(inner) && inSelector(sa.selector, inner);
  }

  /** A whole IPv4 or IPv6 header (RFC 791, RFC 8200); written apart from {@link IpPacket#valid}. */
  static boolean valid(byte[] p) {
    if (p.length < 20) {
      return false;
    }
    int v = (p[0] & 0xff) >> 4;
    int ihl = (p[0] & 0x0f) * 4;
    return v == 4 ? ihl >= 20 && ihl <= p.length : v == 6 && p.length >= 40;
  }

  /** RFC 4301 §4.4.1 on a valid packet, by {@link Selector#matches} (not the product's CompiledSelector). */
  static boolean inSelector(Selector s, byte[] p) {
    boolean v4 = (p[0] & 0xff) >> 4 == 4;
    int alen = v4 ? 4 : 16;
    if (alen != s.src().getAddress().length) {
      return false;
    }
    int proto = p[v4 ? 9 : 6] & 0xff;
    int hl = v4 ? (p[0] & 0x0f) * 4 : 40;
    boolean firstFragment = !v4 || (((p[6] & 0x1f) << 8) | (p[7] & 0xff)) == 0;
    int sport = 0;
    int dport = 0;
    if ((proto == IpPacket.PROTO_TCP || proto == IpPacket.PROTO_UDP || proto == IpPacket.PROTO_SCTP) && firstFragment
        && hl + 4 <= p.length) {
      sport = ((p[hl] & 0xff) << 8) | (p[hl + 1] & 0xff);
      dport = ((p[hl + 2] & 0xff) << 8) | (p[hl + 3] & 0xff);
    }
    int src = v4 ? 12 : 8;
    int dst = v4 ? 16 : 24;
    try {
      return s.matches(InetAddress.getByAddress(Arrays.copyOfRange(p, src, src + alen)),
          InetAddress.getByAddress(Arrays.copyOfRange(p, dst, dst + alen)), proto, sport, dport);
    } catch (UnknownHostException e) {
      throw new AssertionError(e);
    }
  }

  /** Transport mode: the IP header the receiver rebuilds from the SA's addresses, then the payload as sealed. */
  static byte[] withHeader(Sa sa, int nextHeader, byte[] payload) {
    byte[] src = sa.id.src().getAddress();
    byte[] dst = sa.id.dst().getAddress();
    int hl = src.length == 4 ? 20 : 40;
    ByteBuffer b = ByteBuffer.allocate(hl + payload.length);
    if (hl == 20) {
      b.put((byte) 0x45).put((byte) 0).putShort((short) (20 + payload.length)).putInt(0);
      b.put((byte) 64).put((byte) nextHeader).putShort((short) 0).put(src).put(dst);
    } else {
      b.putInt(0x60000000).putShort((short) payload.length).put((byte) nextHeader).put((byte) 64).put(src).put(dst);
    }
    return b.put(payload).array();
  }

  /** Segment {@code k} of a train: a TCP packet's sequence number moved on by k payloads, anything else as is. */
  static byte[] advanceTcp(Sa sa, int nextHeader, byte[] plain, int k) {
    byte[] p = plain.clone();
    int tcp = k == 0 ? -1 : tcpOffset(sa, nextHeader, p);
    if (tcp < 0 || p.length < tcp + 20) {
      return p;
    }
    int payload = Math.max(0, p.length - tcp - ((p[tcp + 12] & 0xf0) >> 2));
    ByteBuffer b = ByteBuffer.wrap(p);
    b.putInt(tcp + 4, b.getInt(tcp + 4) + k * payload);
    return p;
  }

  /** Where a TCP header starts in a plaintext of {@code sa} (transport mode: at 0), or -1 if it carries no TCP. */
  static int tcpOffset(Sa sa, int nextHeader, byte[] p) {
    if (sa.transport()) {
      return nextHeader == IpPacket.PROTO_TCP ? 0 : -1;
    } else if (valid(p) && (p[0] & 0xf0) == 0x40 && p[9] == IpPacket.PROTO_TCP) {
      return (p[0] & 0x0f) * 4;
    } else if (valid(p) && (p[0] & 0xf0) == 0x60 && p[6] == IpPacket.PROTO_TCP) {
      return 40;
    }
    return -1;
  }

  /** Makes an inner packet's length field (and IPv4 header checksum) right for its size. */
  static void fixLength(byte[] p) {
    ByteBuffer b = ByteBuffer.wrap(p);
    if (valid(p) && (p[0] & 0xf0) == 0x40 && p.length <= 0xffff) {
      b.putShort(2, (short) p.length).putShort(10, (short) 0);
      b.putShort(10, (short) IpPacket.checksum(b, 0, (p[0] & 0x0f) * 4, 0));
    } else if (valid(p) && (p[0] & 0xf0) == 0x60 && p.length - 40 <= 0xffff) {
      b.putShort(4, (short) (p.length - 40));
    }
  }

}
