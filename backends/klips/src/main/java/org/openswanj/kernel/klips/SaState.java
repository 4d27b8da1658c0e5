package org.openswanj.kernel.klips;

import java.net.InetSocketAddress;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.openswanj.kernel.SaId;
import org.openswanj.kernel.SaSpec;
import org.openswanj.kernel.SaTransform;
import org.openswanj.kernel.UdpEncap;
import org.openswanj.kernel.SaUsage;
import org.openswanj.kernel.klips.esp.EspTransform;
import org.openswanj.kernel.klips.esp.ReplayWindow;
import org.openswanj.kernel.klips.net.PacketSink;
import org.openswanj.kernel.klips.net.PacketSocket;
import org.openswanj.kernel.klips.net.SockAddr;

/**
 * One installed SA and its live counters. Immutable configuration; counters are atomics written by the
 * data-path threads and read by {@code querySa}/{@code describe}.
 */
final class SaState {
  final SaId id;
  final SaSpec spec;
  final EspTransform transform;
  /** Inbound only; null when the replay check is off (replayWindow 0). */
  final ReplayWindow window;
  final CompiledSelector selector;
  /** Outbound raw ESP: the socket and the peer's address; null for UDP encapsulation. */
  final PacketSocket rawSender;
  final SockAddr rawPeer;
  /**
   * UDP encapsulation (RFC 3948): our and the peer's address and port; null for raw ESP. The peer's moves when pluto
   * follows a new NAT mapping ({@link KlipsBackend#updateSaEncap}).
   */
  final InetSocketAddress encapLocal;
  volatile InetSocketAddress encapPeer;
  /** Outbound UDP encapsulation: {@link #encapPeer} as a native sockaddr for the batched sender (set together). */
  volatile SockAddr encapPeerNative;
  /** Inbound only: the ipsecN device decrypted packets appear on. */
  final PacketSink tun;
  final long addedNanos;

  final AtomicLong nextSeq = new AtomicLong(1);
  final AtomicLong bytes = new AtomicLong();
  final AtomicLong packets = new AtomicLong();
  final AtomicLong lastUsedSeconds = new AtomicLong();
  final AtomicLong replayFailures = new AtomicLong();
  final AtomicLong integrityFailures = new AtomicLong();
  final AtomicLong selectorFailures = new AtomicLong();
  final AtomicBoolean softExpired = new AtomicBoolean();
  final AtomicBoolean hardExpired = new AtomicBoolean();
  volatile long lastSendNanos;
  volatile InetSocketAddress reportedMapping;

  SaState(SaId id, SaSpec spec, EspTransform transform, PacketSocket rawSender, PacketSink tun, long nowNanos) {
    this.id = id;
    this.spec = spec;
    this.transform = transform;
    // a cluster takeover starts past the old node's numbers (RFC 4303 §3.3.3: never reused)
    this.nextSeq.set(Math.max(1, spec.replay().firstOutboundSeq()));
    int w = spec.replay().window();
    this.window = spec.inbound() && w > 0 ? new ReplayWindow(Math.max(ReplayWindow.MIN_SIZE, w)) : null;
    if (window != null) {
      window.startAbove(spec.replay().inboundFloor()); // RFC 6311 §5.2 after a takeover; no-op for a new SA
    }
    this.selector = CompiledSelector.of(spec.binding().selector());
    this.rawSender = rawSender;
    this.rawPeer = rawSender == null ? null : SockAddr.of(id.dst(), 0);
    UdpEncap udp = spec.encapsulation().udp();
    if (udp != null) {
      // the ports are the packets': an inbound SA's source port is the peer's, its destination port ours
      this.encapLocal = spec.inbound() ? new InetSocketAddress(id.dst(), udp.dstPort())
          : new InetSocketAddress(id.src(), udp.srcPort());
      this.encapPeer = spec.inbound() ? new InetSocketAddress(id.src(), udp.srcPort())
          : new InetSocketAddress(id.dst(), udp.dstPort());
      this.encapPeerNative = SockAddr.of(encapPeer.getAddress(), encapPeer.getPort());
    } else {
      this.encapLocal = null;
      this.encapPeer = null;
    }
    this.tun = tun;
    this.addedNanos = nowNanos;
  }

  /** Follows the peer's new NAT mapping (its port; RFC 3948 §4). */
  void moveEncapPeer(int port) {
    InetSocketAddress moved = new InetSocketAddress(encapPeer.getAddress(), port);
    encapPeerNative = SockAddr.of(moved.getAddress(), port);
    encapPeer = moved;
  }

  /**
   * Without ESN, a soft expiry at this sequence number: a quarter of the 32-bit space is left for pluto to
   * rekey before the counter runs out (RFC 4303 §3.3.3: a new SA must be in place before it would cycle).
   */
  static final long SOFT_SEQUENCE = 0xC000_0000L;

  /** RFC 4303 §3.3.3: without ESN the counter must not cycle; the SA is dead after 2^32 - 1. */
  boolean sequenceExhausted(long seq) {
    return spec.replay().esn() ? seq == -1L : seq > 0xffffffffL;
  }

  /** True once a non-ESN SA's outbound counter has reached {@link #SOFT_SEQUENCE}. */
  boolean sequenceRunningOut(long seq) {
    return !spec.replay().esn() && seq >= SOFT_SEQUENCE;
  }

  /**
   * Counts {@code n} packets of {@code length} inner bytes in all, used at {@code epochSeconds}. The time is
   * stored only when it moved on: a volatile store per packet costs more than the counting.
   */
  void count(long length, int n, long epochSeconds) {
    bytes.addAndGet(length);
    packets.addAndGet(n);
    if (lastUsedSeconds.get() < epochSeconds) {
      lastUsedSeconds.set(epochSeconds);
    }
  }

  SaUsage usage() {
    return new SaUsage(bytes.get(), packets.get(), lastUsedSeconds.get(), replayFailures.get(), integrityFailures.get());
  }

  String describe() {
    SaTransform t = spec.transform();
    String name = spec.binding().name();
    return String.format("%s %s %s %s%s %s: %d bytes, %d packets, replay %d, integrity %d, selector %d%s",
        spec.inbound() ? "in " : "out", id, spec.encapsulation().mode().name().toLowerCase(java.util.Locale.ROOT),
        t.cipher(), t.integrity() == null ? "" : "+" + t.integrity(),
        encapPeer == null ? "raw" : "udp " + encapPeer.getAddress().getHostAddress() + ":" + encapPeer.getPort(),
        bytes.get(), packets.get(), replayFailures.get(),
        integrityFailures.get(), selectorFailures.get(), name == null ? "" : " \"" + name + "\"");
  }
}
