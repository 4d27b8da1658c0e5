package org.openswanj.kernel.klips;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import org.openswanj.kernel.klips.net.Libc;

/**
 * A packet slot owned by one data-path thread (wireguard-go's QueueOutboundElement/InboundElement): two
 * direct buffers (clear and wire) plus what the stages decided about the packet. Each thread has a fixed
 * batch of them, reused for every packet, so the hot path allocates no buffers.
 */
final class Element {
  static final int BUFFER = 16384;
  /** Room left before an inbound transport-mode payload for the IP header we rebuild. */
  static final int HEADROOM = 64;
  /** Room kept after an outbound packet read from ipsecN for the ESP trailer (padding, pad length, next header). */
  static final int TRAILER = 64;
  /**
   * The longest packet the outbound stage takes: ESP adds at most 8 (SPI, sequence number) + 16 (IV) + 17 (padding,
   * pad length, next header) + 32 (ICV) bytes, which must fit the wire buffer. The MTU of ipsecN is no larger.
   */
  static final int MAX_PACKET = BUFFER - HEADROOM - TRAILER;

  final ByteBuffer clear = ByteBuffer.allocateDirect(BUFFER).order(ByteOrder.BIG_ENDIAN);
  final ByteBuffer wire = ByteBuffer.allocateDirect(BUFFER).order(ByteOrder.BIG_ENDIAN);
  final long clearAddress = Libc.address(clear);
  final long wireAddress = Libc.address(wire);

  SaState sa;
  long seq;
  int nextHeader;
  /** Inbound: start and length of the ESP packet in {@link #wire}. */
  int espOffset;
  int espLength;
  /** Outbound: the length of the clear (inner) packet, counted against the SA as XFRM and charon count. */
  int clearLength;
  /**
   * Outbound: the packet was reassembled from fragments (transport mode), so its ESP packet may be longer than the
   * path MTU and must leave as a datagram of its own for the kernel to fragment, not as a UDP GSO segment.
   */
  boolean reassembled;
  /** Inbound ESP-in-UDP: where it came from (NAT mapping check); null for raw ESP. */
  java.net.InetSocketAddress udpFrom;

  void reset() {
    clear.clear();
    wire.clear();
    sa = null;
    seq = 0;
    nextHeader = 0;
    espOffset = 0;
    espLength = 0;
    clearLength = 0;
    udpFrom = null;
    reassembled = false;
  }

  static Element[] batch(int n) {
    Element[] b = new Element[n];
    for (int i = 0; i < n; i++) {
      b[i] = new Element();
    }
    return b;
  }
}
