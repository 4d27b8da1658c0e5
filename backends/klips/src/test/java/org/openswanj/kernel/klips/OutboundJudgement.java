package org.openswanj.kernel.klips;

import static org.junit.jupiter.api.Assertions.*;
import static org.openswanj.kernel.klips.OutboundFuzzRig.*;
import static org.openswanj.kernel.klips.TunReadModel.*;

import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentLinkedQueue;
import org.openswanj.kernel.IpsecMode;
import org.openswanj.kernel.KernelEvent;
import org.openswanj.kernel.PolicyAction;
import org.openswanj.kernel.Selector;
import org.openswanj.kernel.klips.esp.EspCodec;
import org.openswanj.kernel.klips.esp.EspException;

/**
 * The judgement of one read of {@link KlipsOutboundFuzzTest}: what the model expects of it against what the
 * product did (the ESP sent, the packets passed, written back to ipsec0 or held, the ACQUIREs, the counters), and
 * the model's helpers (the eroute lookup, the transport-mode fragments across inputs, the ICMP answers).
 */
final class OutboundJudgement {
  final byte[] read;
  final Snapshot before;
  final Snapshot after;
  final List<byte[]> packets;
  final List<Esp> esp = drainQueue(ESP_OUT);
  final List<Clear> clear = drainQueue(CLEAR_OUT);
  final List<KernelEvent> events = drainQueue(EVENTS);
  final List<byte[]> tun = drainTun();

  OutboundJudgement(byte[] read, Snapshot before, Snapshot after) {
    this.read = read;
    this.before = before;
    this.after = after;
    this.packets = TunReadModel.packets(read);
  }

  void check() throws Exception {
    Map<Sa, List<byte[]>> sent = openAll();
    long malformed = after.drop("malformed") - before.drop("malformed");
    // a packet longer than the data path's buffer (the kernel never writes one: ipsecN's MTU is no larger) is
    // dropped with its read
    boolean dropped = packets == null || packets.stream().anyMatch(p -> p.length > Element.MAX_PACKET);
    assertEquals(0, after.drop("send_error") - before.drop("send_error"), "no send errors");
    for (String inbound : List.of("unknown_spi", "replay", "integrity", "selector")) {
      assertEquals(before.drop(inbound), after.drop(inbound), () -> "counter " + inbound);
    }
    Expected x = new Expected();
    x.add(COMPANION, true);
    for (byte[] p : dropped ? List.<byte[]>of() : packets) {
      x.add(p, false);
    }
    x.add(COMPANION, true);
    assertEquals(dropped ? 1 : x.reassembly.malformed, malformed, dropped
        ? "a read Linux would not write is dropped and counted once"
        : "a read the model takes is not malformed (but for fragments RFC 791 §3.2 refuses)");
    x.compare(sent);
  }

  /** Every ESP datagram: its SA by SPI, outer addresses, sequence number, decrypted; per SA in order. */
  Map<Sa, List<byte[]>> openAll() throws Exception {
    Map<Sa, List<byte[]>> out = new HashMap<>();
    for (Esp e : esp) {
      assertTrue(e.bytes().length >= 8, () -> "an ESP datagram of " + e.bytes().length + " bytes");
      int spi = ByteBuffer.wrap(e.bytes()).getInt(0);
      Sa sa = Arrays.stream(SAS).filter(s -> s.id.spi() == spi).findFirst().orElse(null);
      assertNotNull(sa, () -> "ESP with an SPI of no outbound SA: " + Integer.toHexString(spi));
      assertEquals(sa.id.src(), e.src(), "ESP leaves from its SA's source");
      assertEquals(sa.id.dst(), e.dst(), "ESP goes to its SA's peer");
      if (sa.udpLocal == null) {
        assertEquals(0, e.srcPort() + e.dstPort(), "raw ESP for an SA without UDP encapsulation");
      } else {
        assertEquals(sa.udpLocal.getPort(), e.srcPort(), "ESP in UDP from the SA's port (RFC 3948 §2.1)");
        assertEquals(sa.udpPeer.getPort(), e.dstPort(), "ESP in UDP to the SA's peer port");
      }
      long seq = ByteBuffer.wrap(e.bytes()).getInt(4) & 0xffffffffL; // ESN: the high half stays 0 in this run
      long previous = sa.lastSeq;
      assertTrue(seq > previous, () -> "ESP sequence numbers of " + sa.id + " increase (RFC 4303 §3.3.3): " + seq
          + " after " + previous);
      sa.lastSeq = seq;
      assertFalse(sa.hardExpired, () -> "ESP after the hard expiry of " + sa.id);
      out.computeIfAbsent(sa, k -> new ArrayList<>()).add(open(sa, seq, e.bytes()));
    }
    return out;
  }

  /**
   * The inner packet: tunnel mode the packet itself (Next Header 4 or 41, RFC 4303 §2.6), transport mode the
   * payload behind the IP header the receiver rebuilds from the SA (RFC 4303 §3.1.1).
   */
  byte[] open(Sa sa, long seq, byte[] wire) throws EspException {
    ByteBuffer clearBuf = ByteBuffer.allocate(wire.length);
    int nh = EspCodec.decode(sa.opener, seq, sa.esn, ByteBuffer.wrap(wire), clearBuf);
    byte[] inner = Arrays.copyOfRange(clearBuf.array(), clearBuf.position(), clearBuf.limit());
    if (sa.mode == IpsecMode.TRANSPORT) {
      return rebuilt(sa, nh, inner);
    }
    assertTrue(valid(inner), "ESP carries an invalid IP packet");
    assertEquals(version(inner) == 4 ? 4 : 41, nh, "Next Header names the inner IP version (RFC 4303 §2.6)");
    return inner;
  }

  /** The packets the model makes of the read, and where each is to go. */
  final class Expected {
    final Map<Sa, List<byte[]>> esp = new HashMap<>();
    /** Per SA, which of its packets are the harness's companions (not the read's). */
    final Map<Sa, Set<Integer>> companions = new HashMap<>();
    final List<byte[]> clear = new ArrayList<>();
    final List<byte[]> rejected = new ArrayList<>();
    final List<KernelEvent> acquires = new ArrayList<>();
    final Map<String, Integer> held = new HashMap<>();
    final List<byte[]> old = new ArrayList<>();
    long noEroute;
    long shunted;
    final FragmentModel.Outcome reassembly = new FragmentModel.Outcome();

    void add(byte[] p, boolean companion) {
      Route r = lookup(p);
      if (fragment(p) && forTransport(r, p)) {
        byte[] whole = FRAGMENTS.add(p, reassembly); // RFC 4303 §3.1.1: transport mode seals whole datagrams
        if (whole == null) {
          return;
        }
        p = whole;
        r = lookup(p);
      }
      if (r == null) {
        noEroute++;
        return;
      }
      switch (r.action()) {
        case IPSEC -> {
          if (r.sa() == null) {
            shunted++; // its SA is not installed
          } else if (r.sa() == OLD_SA) {
            old.add(p);
          } else {
            List<byte[]> l = esp.computeIfAbsent(r.sa(), k -> new ArrayList<>());
            if (companion) {
              companions.computeIfAbsent(r.sa(), k -> new HashSet<>()).add(l.size());
            }
            l.add(p);
          }
        }
        case TRAP, HOLD -> {
          held.merge(r.name(), 1, Integer::sum);
          if (r.action() == PolicyAction.TRAP) {
            acquire(r, p);
          }
        }
        case PASS -> {
          clear.add(p);
          shunted++;
        }
        case DROP -> shunted++;
        case REJECT -> {
          rejected.add(p);
          shunted++;
        }
      }
    }

    /** HoldQueue's rule: one ACQUIRE per flow (addresses) until it is released, forgetting all past FLOWS. */
    void acquire(Route r, byte[] p) {
      if (r.acquired().size() >= HoldQueue.FLOWS) {
        r.acquired().clear();
      }
      byte[] flow = new byte[2 * addressLength(p)];
      System.arraycopy(src(p), 0, flow, 0, addressLength(p));
      System.arraycopy(dst(p), 0, flow, addressLength(p), addressLength(p));
      if (r.acquired().add(ByteBuffer.wrap(flow))) {
        int bits = 8 * addressLength(p);
        acquires.add(new KernelEvent.Acquire(new Selector(addr(src(p)), bits, addr(dst(p)), bits, protocol(p),
            port(p, false), port(p, true)), r.id(), 0));
      }
    }

    void compare(Map<Sa, List<byte[]>> sent) {
      sent.forEach((sa, got) -> got.forEach(p -> {
        Route r = lookup(p);
        assertTrue(r != null && r.sa() == sa, () -> "ESP on " + sa.id + " carries a packet outside its eroute (RFC 4301 §5.1)");
      }));
      long oldShunted = compareOld(sent.getOrDefault(OLD_SA, List.of()));
      for (Sa sa : SAS) {
        if (sa == OLD_SA) {
          continue;
        }
        List<byte[]> want = esp.getOrDefault(sa, List.of());
        List<byte[]> got = sent.getOrDefault(sa, List.of());
        Set<Integer> skip = companions.getOrDefault(sa, Set.of());
        List<byte[]> fromRead = new ArrayList<>();
        for (int i = 0; i < got.size(); i++) {
          if (!skip.contains(i)) {
            fromRead.add(got.get(i));
          }
        }
        superPacket(fromRead);
        assertEquals(want.size(), got.size(), () -> "ESP datagrams of " + sa.id);
        for (byte[] p : got) {
          assertFalse(sa.mode == IpsecMode.TRANSPORT && fragment(p), "transport mode carries an IPv4 fragment"
              + " (RFC 4303 §3.1.1)");
        }
        for (int i = 0; i < want.size(); i++) {
          samePacket(sa, want.get(i), got.get(i));
        }
        long bytes = want.stream().mapToLong(p -> p.length).sum();
        assertEquals(want.size(), after.packets(sa) - before.packets(sa), () -> "packets counted on " + sa.id);
        assertEquals(bytes, after.bytes(sa) - before.bytes(sa), () -> "inner bytes counted on " + sa.id);
      }
      List<byte[]> passed = new ArrayList<>();
      for (Clear c : OutboundJudgement.this.clear) {
        passed.add(c.packet());
        assertArrayEquals(dst(c.packet()), c.dst().getAddress(), "%pass sends a packet to its destination");
      }
      superPacket(passed);
      assertEquals(clear.size(), passed.size(), "%pass sends each of its packets");
      for (int i = 0; i < clear.size(); i++) {
        if (!fragment(clear.get(i)) && l4ChecksumOk(clear.get(i))) {
          assertTrue(l4ChecksumOk(passed.get(i)), "the TCP/UDP checksum of a packet %pass sends");
        }
        assertArrayEquals(clear.get(i), passed.get(i), "%pass sends the packet unchanged");
      }
      compareRejects();
      for (KernelEvent ev : events) {
        if (ev instanceof KernelEvent.Acquire a) {
          assertFalse(acquires.isEmpty(), () -> "an ACQUIRE for a flow already acquired, or not from %trap: " + a);
          assertEquals(acquires.remove(0), a, "the ACQUIRE names the packet's flow and the %trap eroute");
        }
      }
      assertEquals(List.of(), acquires, "a new flow into %trap raises an ACQUIRE");
      for (Route r : ROUTES) {
        if (r.action() == PolicyAction.TRAP || r.action() == PolicyAction.HOLD) {
          int want = Math.min(HoldQueue.CAPACITY, before.held().get(r.name()) + held.getOrDefault(r.name(), 0));
          assertEquals(want, after.held().get(r.name()), () -> "packets held by " + r.name() + " (at most "
              + HoldQueue.CAPACITY + ")");
        }
      }
      assertEquals(noEroute, after.drop("no_eroute") - before.drop("no_eroute"), "packets without eroute");
      assertEquals(shunted + oldShunted, after.drop("shunted") - before.drop("shunted"), "packets shunted");
      for (String[] c : new String[][] {{"fragment_expired", "0"}, {"fragment_overlap", "" + reassembly.overlap},
          {"fragment_too_large", "" + reassembly.tooLarge}, {"fragment_table_full", "" + reassembly.tableFull}}) {
        assertEquals(Long.parseLong(c[1]), after.drop(c[0]) - before.drop(c[0]), () -> "transport-mode fragments: " + c[0]);
      }
      assertEquals(reassembly.reassembled, after.reassembled() - before.reassembled(), "datagrams reassembled");
      assertEquals(FRAGMENTS.size(), BACKEND.dataPath().reassembly.size(), "datagrams in reassembly");
    }

    /** The SA at the end of its numbers: ESP for the first packets, then a hard expiry and nothing more. */
    long compareOld(List<byte[]> got) {
      assertTrue(got.size() <= old.size(), () -> "more ESP on " + OLD_SA.id + " than packets for it");
      for (int i = 0; i < got.size(); i++) {
        samePacket(OLD_SA, old.get(i), got.get(i));
      }
      for (KernelEvent ev : events) {
        if (ev instanceof KernelEvent.Expire x) {
          assertEquals(OLD_SA.id, x.sa(), "only the SA near the end of its sequence numbers expires");
          assertFalse(x.hard() ? OLD_SA.hardExpired : OLD_SA.softExpired, () -> "an expiry raised twice: " + x);
          if (x.hard()) {
            OLD_SA.hardExpired = true;
          } else {
            OLD_SA.softExpired = true;
          }
        } else {
          assertInstanceOf(KernelEvent.Acquire.class, ev, "no other news");
        }
      }
      if (got.size() < old.size()) {
        assertTrue(OLD_SA.hardExpired && OLD_SA.lastSeq == 0xffff_ffffL,
            "an SA stops sending only at the end of its sequence numbers, with a hard expiry (RFC 4303 §3.3.3)");
      }
      if (!got.isEmpty()) {
        assertTrue(OLD_SA.softExpired, "a soft expiry comes before the sequence numbers run out");
      }
      return old.size() - got.size();
    }

    /** Exactly one unreachable per rejected packet, where RFC 1122 §3.2.2 and RFC 4443 §2.4(e) allow one. */
    void compareRejects() {
      int next = 0;
      for (byte[] p : rejected) {
        Boolean answer = answerable(p);
        if (next < tun.size() && answer != Boolean.FALSE && quotes(tun.get(next), p)) {
          unreachable(tun.get(next++), p);
        } else {
          assertNotEquals(Boolean.TRUE, answer, "a %reject answers with an ICMP unreachable");
        }
      }
      assertEquals(tun.size(), next, "what reaches ipsec0 is an ICMP unreachable for a rejected packet");
    }
  }

  /** What to compare a sent packet with, checksums first, then byte for byte. */
  void samePacket(Sa sa, byte[] want, byte[] got) {
    if (ipv4ChecksumOk(want)) { // a forgery's wrong one goes as it came: the kernel checked what it routes
      assertTrue(ipv4ChecksumOk(got), "the IPv4 header checksum of a packet ESP carries");
    }
    if (!fragment(want) && l4ChecksumOk(want)) {
      assertTrue(l4ChecksumOk(got), "the TCP/UDP checksum of a packet ESP carries (RFC 9293 §3.1, RFC 768)");
    }
    if (sa.mode == IpsecMode.TRANSPORT) {
      int hl = headerLength(want);
      assertArrayEquals(Arrays.copyOfRange(want, hl, want.length), Arrays.copyOfRange(got, headerLength(got),
          got.length), "transport mode carries the packet's payload");
    } else {
      assertArrayEquals(want, got, "ESP carries the packet the model makes of the read");
    }
  }

  /** A generated super-packet's segments: payload in order, none above the MSS, FIN/PSH last, CWR first. */
  void superPacket(List<byte[]> got) {
    if (got.isEmpty()) {
      return;
    }
    byte[] p = Arrays.copyOfRange(read, VNET_HDR, read.length);
    Vnet v = Vnet.of(read);
    if ((v.gsoType() & ~GSO_ECN) == GSO_NONE || !valid(p) || protocol(p) != TCP) {
      return;
    }
    int tcp = headerLength(p);
    int headers = tcp + ((p[tcp + 12] & 0xf0) >> 2);
    ByteBuffer payload = ByteBuffer.allocate(read.length);
    int flags = p[tcp + 13] & 0xff;
    for (int i = 0; i < got.size(); i++) {
      byte[] s = got.get(i);
      int sh = headerLength(s) + ((s[headerLength(s) + 12] & 0xf0) >> 2);
      assertTrue(s.length - sh <= v.gsoSize(), "a segment longer than the MSS");
      int f = s[headerLength(s) + 13] & 0xff;
      boolean lastOne = i == got.size() - 1;
      assertEquals(lastOne ? flags & (FIN | PSH) : 0, f & (FIN | PSH), "FIN and PSH on the last segment only");
      assertEquals(i == 0 ? flags & CWR : 0, f & CWR, "CWR on the first segment only (RFC 3168 §6.1.2)");
      assertEquals(ByteBuffer.wrap(p).getInt(tcp + 4) + payload.position(), ByteBuffer.wrap(s).getInt(headerLength(s) + 4),
          "a segment's sequence number is the super-packet's plus the payload before it (RFC 9293 §3.4)");
      payload.put(s, sh, s.length - sh);
    }
    assertArrayEquals(Arrays.copyOfRange(p, headers, p.length), Arrays.copyOf(payload.array(), payload.position()),
        "the segments carry the super-packet's payload, in order");
  }

  /** Transport mode: the header the receiver rebuilds from the SA's addresses, then the payload. */
  static byte[] rebuilt(Sa sa, int nh, byte[] payload) {
    byte[] s = sa.id.src().getAddress();
    byte[] d = sa.id.dst().getAddress();
    int hl = s.length == 4 ? 20 : 40;
    ByteBuffer b = ByteBuffer.allocate(hl + payload.length);
    if (hl == 20) {
      b.put((byte) 0x45).put((byte) 0).putShort((short) (20 + payload.length)).putInt(0).put((byte) 64).put((byte) nh)
          .putShort((short) 0).put(s).put(d);
    } else {
      b.putInt(0x60000000).putShort((short) payload.length).put((byte) nh).put((byte) 64).put(s).put(d);
    }
    byte[] p = b.put(payload).array();
    if (hl == 20) {
      setIpv4Checksum(p);
    }
    return p;
  }

  /** The IPv4 fragments the product holds for transport mode, as the model has them (across inputs). */
  static final FragmentModel FRAGMENTS = new FragmentModel(Element.MAX_PACKET);

  /**
   * Whether an IPv4 fragment is reassembled before ESP: its eroute's SA is in transport mode, or (a later fragment,
   * without ports) an eroute to a transport-mode SA covers its addresses and protocol whatever the ports.
   */
  static boolean forTransport(Route r, byte[] p) {
    if (transport(r)) {
      return true;
    }
    if (!laterFragment(p)) {
      return false;
    }
    for (Route o : ORDERED) {
      Selector s = o.selector();
      if (transport(o) && addressLength(p) == s.src().getAddress().length
          && s.matches(addr(src(p)), addr(dst(p)), protocol(p), s.srcPort(), s.dstPort())) {
        return true;
      }
    }
    return false;
  }

  static boolean transport(Route r) {
    return r != null && r.action() == PolicyAction.IPSEC && r.sa() != null && r.sa().mode == IpsecMode.TRANSPORT;
  }

  /** The eroute RFC 4301 §5.1 finds for a packet: the first (most specific) whose selector covers it. */
  static Route lookup(byte[] p) {
    if (!valid(p)) {
      return null;
    }
    for (Route r : ORDERED) {
      if (addressLength(p) == r.selector().src().getAddress().length
          && r.selector().matches(addr(src(p)), addr(dst(p)), protocol(p), port(p, false), port(p, true))) {
        return r;
      }
    }
    return null;
  }

  /**
   * Whether a %reject may answer {@code p}: never for an ICMP error, a later fragment, a multicast or broadcast
   * destination or a source that is no single host (RFC 1122 §3.2.2; RFC 4443 §2.4(e), which adds a redirect);
   * always for other packets and ICMP queries; either (null) for other ICMP types or a message too short to tell.
   */
  static Boolean answerable(byte[] p) {
    byte[] s = src(p);
    byte[] d = dst(p);
    int hl = headerLength(p);
    boolean icmp = protocol(p) == (version(p) == 4 ? ICMP : ICMPV6);
    int type = icmp && hl < p.length && !laterFragment(p) ? p[hl] & 0xff : -1;
    if (version(p) == 4) {
      int s0 = s[0] & 0xff;
      if (laterFragment(p) || (d[0] & 0xf0) == 0xe0 || Arrays.equals(d, new byte[] {-1, -1, -1, -1})
          || s0 == 0 || s0 == 127 || s0 >= 224) {
        return false;
      }
      if (!icmp) {
        return true;
      }
      if (type == 0 || type == 8 || type >= 13 && type <= 18) {
        return true; // echo, timestamp, information and address mask messages
      }
      return Set.of(3, 4, 5, 11, 12).contains(type) ? Boolean.FALSE : null;
    }
    if ((d[0] & 0xff) == 0xff || (s[0] & 0xff) == 0xff || Arrays.equals(s, new byte[16])) {
      return false;
    }
    if (!icmp) {
      return true;
    }
    if (type < 0) {
      return null;
    }
    return type < 128 || type == 137 ? Boolean.FALSE : type == 128 || type == 129 ? Boolean.TRUE : null;
  }

  /** True if {@code reply} is an ICMP message back to {@code p}'s sender quoting the start of {@code p}. */
  static boolean quotes(byte[] reply, byte[] p) {
    int at = version(reply) == 4 ? 28 : 48;
    return valid(reply) && reply.length > at && Arrays.equals(dst(reply), src(p))
        && reply[at] == p[0] && reply.length - at <= p.length
        && Arrays.equals(reply, at, reply.length, p, 0, reply.length - at);
  }

  /** RFC 792 type 3 code 13 or RFC 4443 type 1 code 1, back to the sender, quoting as much as each RFC says. */
  static void unreachable(byte[] r, byte[] p) {
    assertEquals(version(p), version(r), "the unreachable is of the packet's IP version");
    assertArrayEquals(dst(p), src(r), "the unreachable comes from the packet's destination");
    assertArrayEquals(src(p), dst(r), "the unreachable goes to the packet's source");
    if (version(r) == 4) {
      assertEquals(0x45, r[0] & 0xff, "an IPv4 header without options");
      assertEquals(r.length, get16(r, 2), "IPv4 total length");
      assertTrue(ipv4ChecksumOk(r), "IPv4 header checksum of the unreachable");
      assertEquals(ICMP, protocol(r), "ICMP");
      assertEquals(3, r[20], "destination unreachable (RFC 792)");
      assertEquals(13, r[21], "communication administratively prohibited (RFC 1812 §5.2.7.1)");
      assertEquals(Math.min(p.length, headerLength(p) + 8), r.length - 28, "quotes the header and 8 bytes (RFC 792)");
    } else {
      assertEquals(r.length - 40, get16(r, 4), "IPv6 payload length");
      assertEquals(ICMPV6, protocol(r), "ICMPv6, no extension header");
      assertEquals(1, r[40], "destination unreachable (RFC 4443 §3.1)");
      assertEquals(1, r[41], "communication administratively prohibited");
      assertEquals(Math.min(p.length, 1280 - 48), r.length - 48, "quotes as much as fits 1280 bytes (RFC 4443 §2.4(c))");
    }
    assertTrue(l4ChecksumOk(r), "the unreachable's checksum (RFC 792; RFC 4443 §2.3)");
  }

  static <T> List<T> drainQueue(ConcurrentLinkedQueue<T> q) {
    List<T> out = new ArrayList<>();
    for (T t = q.poll(); t != null; t = q.poll()) {
      out.add(t);
    }
    return out;
  }

  static List<byte[]> drainTun() {
    List<byte[]> got = new ArrayList<>();
    try {
      for (byte[] p = TUN.delivered(Duration.ZERO); p != null; p = TUN.delivered(Duration.ZERO)) {
        got.add(p);
      }
    } catch (InterruptedException e) {
      throw new AssertionError(e);
    }
    assertEquals(0, TUN.dropped(), "the TUN device's queue overflowed");
    return got;
  }
}
