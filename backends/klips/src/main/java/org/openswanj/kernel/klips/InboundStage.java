package org.openswanj.kernel.klips;

import java.io.IOException;
import java.nio.ByteBuffer;
import org.openswanj.kernel.IpsecMode;
import org.openswanj.kernel.klips.esp.EspCodec;
import org.openswanj.kernel.klips.esp.EspException;
import org.openswanj.kernel.klips.net.IpPacket;
import org.openswanj.kernel.klips.net.TcpCoalescer;

/**
 * What happens to a received ESP packet, start to finish: SPI lookup, ESN inference (RFC 4304 App. A; only
 * on ESN SAs),
 * replay pre-check (RFC 4303 §3.4.3, before the costly ICV check), authenticate and decrypt, replay window
 * update (only after the ICV verified), selector check (RFC 4301 §5.2), write to {@code ipsecN} (consecutive
 * TCP segments of one flow merged by the thread's {@link TcpCoalescer}).
 *
 * <p>Thread-safety: called by every inbound thread at once, each with its own {@link Element}; the replay
 * window is synchronized and re-checked on update, so a duplicate that two threads open at once is still
 * delivered only once.
 */
final class InboundStage {
  private final DataPath.Tables tables;
  private final Counters counters;

  InboundStage(DataPath.Tables tables, Counters counters) {
    this.tables = tables;
    this.counters = counters;
  }

  /**
   * Processes the ESP packet at {@code e.wire[espOffset, espOffset + espLength)}; what it delivers goes
   * through the calling thread's {@code gro}, which the caller flushes at the end of its batch; the SA's use is
   * recorded at {@code epochSeconds} (read once per batch by the caller).
   */
  void process(Element e, TcpCoalescer gro, long epochSeconds) {
    if (e.espLength < EspCodec.HEADER) {
      counters.malformed.incrementAndGet();
      return;
    }
    // RFC 7296 §2.23: ESP raw or in UDP, whichever the SA was made for, is processed (either side may choose; Linux
    // XFRM drops the mismatch, XfrmInStateMismatch); only ESP in UDP can bring NAT mapping news
    SaState sa = tables.inbound(e.wire.getInt(e.espOffset));
    if (sa == null) {
      counters.unknownSpi.incrementAndGet();
      return;
    }
    int seqLow = e.wire.getInt(e.espOffset + 4);
    // RFC 4303 §3.4.3 and App. A2: high-order bits are inferred only with ESN; without it the ICV covers the
    // 32-bit number alone, so an inferred 2^32 + n would let an old packet n pass as new.
    long seq = sa.window != null && sa.spec.replay().esn() ? sa.window.infer(seqLow) : seqLow & 0xffffffffL;
    if (sa.window != null && !sa.window.check(seq)) {
      sa.replayFailures.incrementAndGet();
      counters.replay.incrementAndGet();
      return;
    }
    e.sa = sa;
    e.seq = seq;
    e.wire.limit(e.espOffset + e.espLength).position(e.espOffset);
    e.clear.clear().position(Element.HEADROOM);
    try {
      e.nextHeader = EspCodec.decode(sa.transform, seq, sa.spec.replay().esn(), e.wire, e.clear);
    } catch (EspException ex) {
      if (ex.reason() == EspException.Reason.INTEGRITY) {
        sa.integrityFailures.incrementAndGet();
        counters.integrity.incrementAndGet();
      } else {
        counters.malformed.incrementAndGet();
      }
      return;
    }
    deliver(e, gro, epochSeconds);
  }

  private void deliver(Element e, TcpCoalescer gro, long epochSeconds) {
    SaState sa = e.sa;
    if (sa.window != null && !sa.window.accept(e.seq)) {
      sa.replayFailures.incrementAndGet(); // its twin was accepted meanwhile
      counters.replay.incrementAndGet();
      return;
    }
    ByteBuffer b = e.clear;
    if (sa.spec.encapsulation().mode() == IpsecMode.TRANSPORT) {
      Inner.rebuildTransportHeader(e);
      if (sa.spec.encapsulation().udp() != null) {
        Inner.recomputeChecksum(b); // RFC 3948 §3.1.2
      }
    } else if (e.nextHeader != IpPacket.PROTO_IPIP && e.nextHeader != IpPacket.PROTO_IPV6
        || !b.hasRemaining() || (b.get(b.position()) >>> 4 & 0xf) != (e.nextHeader == IpPacket.PROTO_IPV6 ? 6 : 4)) {
      // tunnel mode carries whole IP packets only, of the version the Next Header names (RFC 4303 §2.6: 4 is
      // IPv4, 41 IPv6); Linux drops an IPv4 packet announced as 41 too
      sa.selectorFailures.incrementAndGet();
      counters.selector.incrementAndGet();
      return;
    }
    int off = b.position();
    int len = b.remaining();
    // RFC 4301 §5.2: the decrypted packet must match the SA's selector, else it is dropped.
    if (!IpPacket.valid(b, off, len) || !sa.selector.matches(b, off, len)) {
      sa.selectorFailures.incrementAndGet();
      counters.selector.incrementAndGet();
      return;
    }
    if (e.udpFrom != null && sa.encapPeer != null && !e.udpFrom.equals(sa.encapPeer)
        && !e.udpFrom.equals(sa.reportedMapping)) {
      sa.reportedMapping = e.udpFrom; // RFC 3948 §5: authenticated traffic from a new NAT mapping
      tables.mapping(sa, e.udpFrom);
    }
    try {
      gro.write(sa.tun, b, e.clearAddress, off, len); // off >= HEADROOM - 40: room for the virtio header
      sa.count(len, 1, epochSeconds); // the decrypted inner packet, as XFRM and charon count
      DataPath.checkBytes(tables, sa);
    } catch (IOException ex) {
      counters.sendErrors.incrementAndGet();
    }
  }
}
