package org.openswanj.kernel.klips;

import java.io.IOException;
import java.net.InetAddress;
import java.nio.ByteBuffer;
import java.util.function.LongSupplier;
import org.openswanj.kernel.IpsecMode;
import org.openswanj.kernel.PolicyAction;
import org.openswanj.kernel.klips.esp.EspCodec;
import org.openswanj.kernel.klips.net.IpPacket;
import org.openswanj.kernel.klips.net.SockAddr;

/**
 * What happens to a packet routed into {@code ipsecN}: eroute lookup, then for IPSEC eroutes a sequence
 * number and ESP encapsulation (RFC 4303 §3.1), for shunts %trap/%hold/%pass/%drop/%reject their action.
 *
 * <p>Thread-safety: stateless apart from shared atomics; called by every outbound thread at once, each
 * with its own {@link Element}. Sequence numbers come from the SA's atomic counter, so one thread's packets
 * carry increasing numbers in the order it read them.
 */
final class OutboundStage {
  /** Outcome of {@link #process}. */
  enum Verdict { SEND, CONSUMED }

  private final DataPath.Tables tables;
  private final Counters counters;
  private final LongSupplier epochSeconds;
  private final Reassembly reassembly;

  OutboundStage(DataPath.Tables tables, Counters counters, LongSupplier epochSeconds, Reassembly reassembly) {
    this.tables = tables;
    this.counters = counters;
    this.epochSeconds = epochSeconds;
    this.reassembly = reassembly;
  }

  /**
   * Runs the packet in {@code e.clear} (0..limit) through the eroutes. SEND: {@code e.wire} holds the ESP
   * packet (position 0, limit its end) and {@code e.sa} the SA to send it with; CONSUMED: handled or dropped.
   */
  Verdict process(Element e, IpsecInterface ifc) {
    ByteBuffer b = e.clear;
    int len = b.limit();
    if (!IpPacket.valid(b, 0, len)) {
      counters.malformed.incrementAndGet();
      return Verdict.CONSUMED;
    }
    Eroute r = DataPath.lookup(tables.eroutes(), b, len);
    if (IpPacket.fragment(b, 0) && forTransport(r, b)) {
      len = reassembly.add(b, len);
      if (len < 0) {
        return Verdict.CONSUMED; // held until the datagram is whole, or dropped and counted
      }
      b.position(0).limit(len);
      e.reassembled = true;
      r = DataPath.lookup(tables.eroutes(), b, len); // the whole datagram has its ports again
    }
    if (r == null) {
      counters.noEroute.incrementAndGet(); // KLIPS drops what is routed into ipsecN without an eroute
      return Verdict.CONSUMED;
    }
    switch (r.spec().action()) {
      case IPSEC -> {
        return protect(e, r.sa()) ? Verdict.SEND : Verdict.CONSUMED;
      }
      case TRAP, HOLD -> hold(e, r, len);
      case PASS -> pass(e, ifc, len);
      case DROP -> counters.shunted.incrementAndGet();
      case REJECT -> reject(e, ifc, len);
    }
    return Verdict.CONSUMED;
  }

  /**
   * True if the IPv4 fragment in {@code b} goes to a transport-mode SA, so it is reassembled first: RFC 4303 §3.1.1,
   * transport mode protects whole datagrams (the receiver rebuilds the IP header without the fragment's offset and
   * flags, so a sealed fragment would be delivered as a datagram). The kernel fragments a packet larger than
   * ipsecN's MTU before it reaches us; the whole datagram's ESP packet is fragmented after ESP instead (RFC 4303
   * §3.3.5), as XFRM does. A later fragment carries no ports, so it matches no eroute with ports: it is held if an
   * eroute to a transport-mode SA takes its addresses and protocol, and the whole datagram is routed again. In
   * tunnel mode the fragments travel inside ESP as they are.
   */
  private boolean forTransport(Eroute r, ByteBuffer b) {
    if (transport(r)) {
      return true;
    }
    if ((b.getShort(6) & 0x1fff) == 0) {
      return false; // a first fragment has its ports: its eroute is the datagram's
    }
    for (Eroute o : tables.eroutes()) {
      if (transport(o) && o.selector().matchesAnyPort(b, 0)) {
        return true;
      }
    }
    return false;
  }

  private static boolean transport(Eroute r) {
    return r != null && r.spec().action() == PolicyAction.IPSEC && r.sa() != null
        && r.sa().spec.encapsulation().mode() != IpsecMode.TUNNEL;
  }

  private boolean protect(Element e, SaState sa) {
    if (sa == null || sa.hardExpired.get()) {
      counters.shunted.incrementAndGet();
      return false;
    }
    boolean tunnel = sa.spec.encapsulation().mode() == IpsecMode.TUNNEL;
    long seq = sa.nextSeq.getAndIncrement();
    if (sa.sequenceExhausted(seq)) {
      if (sa.hardExpired.compareAndSet(false, true)) {
        tables.expire(sa, true);
      }
      counters.shunted.incrementAndGet();
      return false;
    }
    if (sa.sequenceRunningOut(seq) && sa.softExpired.compareAndSet(false, true)) {
      tables.expire(sa, false); // pluto rekeys while the SA still works
    }
    int nextHeader;
    e.clearLength = e.clear.remaining();
    if (tunnel) {
      nextHeader = IpPacket.version(e.clear, 0) == 4 ? IpPacket.PROTO_IPIP : IpPacket.PROTO_IPV6;
    } else {
      nextHeader = IpPacket.protocol(e.clear, 0);
      e.clear.position(IpPacket.headerLength(e.clear, 0)); // RFC 4303 §3.1.1: ESP follows the IP header
    }
    try {
      EspCodec.encode(sa.transform, sa.id.spi(), seq, sa.spec.replay().esn(), nextHeader, e.clear, e.wire);
    } catch (java.security.GeneralSecurityException | RuntimeException ex) {
      counters.sendErrors.incrementAndGet();
      return false;
    }
    e.wire.flip();
    e.sa = sa;
    e.seq = seq;
    return true;
  }

  /**
   * Counts the first {@code count} packets of a sent batch against their SAs: their inner lengths (bytes,
   * packets, byte lifetimes), as XFRM does. One clock read per batch and one update per run of packets of the
   * same SA (a batch is mostly one SA), not per packet.
   */
  void sent(Element[] batch, int count) {
    long nanos = System.nanoTime();
    long seconds = epochSeconds.getAsLong();
    int i = 0;
    while (i < count) {
      SaState sa = batch[i].sa;
      long bytes = 0;
      int n = 0;
      for (; i < count && batch[i].sa == sa; i++, n++) {
        bytes += batch[i].clearLength;
      }
      account(sa, bytes, n, nanos, seconds);
    }
  }

  /** Counts one sent packet (ESP in UDP leaves one at a time). */
  void sent(Element e) {
    account(e.sa, e.clearLength, 1, System.nanoTime(), epochSeconds.getAsLong());
  }

  private void account(SaState sa, long bytes, int packets, long nanos, long seconds) {
    sa.lastSendNanos = nanos;
    sa.count(bytes, packets, seconds);
    DataPath.checkBytes(tables, sa);
  }

  private void hold(Element e, Eroute r, int len) {
    byte[] copy = new byte[len];
    e.clear.get(0, copy);
    if (r.hold().hold(copy) && r.spec().action() == PolicyAction.TRAP) {
      tables.acquire(r, e.clear, 0, len);
    }
  }

  private void pass(Element e, IpsecInterface ifc, int len) {
    try {
      boolean v6 = IpPacket.version(e.clear, 0) == 6;
      byte[] dst = new byte[v6 ? 16 : 4];
      e.clear.get(IpPacket.addressOffset(e.clear, 0, true), dst);
      ifc.passSocket(v6).send(e.clearAddress, 0, len, SockAddr.of(InetAddress.getByAddress(dst), 0));
      counters.shunted.incrementAndGet();
    } catch (IOException ex) {
      counters.sendErrors.incrementAndGet();
    }
  }

  private void reject(Element e, IpsecInterface ifc, int len) {
    counters.shunted.incrementAndGet();
    if (!IpPacket.mayAnswerWithError(e.clear, 0, len)) {
      return;
    }
    int n = IpPacket.icmpUnreachable(e.clear, 0, len, e.wire, Element.HEADROOM);
    try {
      ifc.tun.write(e.wire, e.wireAddress, Element.HEADROOM, n);
    } catch (IOException ex) {
      counters.sendErrors.incrementAndGet();
    }
  }
}
