package org.openswanj.kernel.klips;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import org.openswanj.kernel.klips.net.Libc;

/**
 * A pooled packet slot travelling the pipeline (wireguard-go's QueueOutboundElement/InboundElement):
 * two direct buffers (clear and wire) plus what the sequential stage decided. Handed from the sequential
 * stage to a worker and to the ordered stage at once; the ordered stage waits on {@link #awaitDone()}.
 */
final class Element {
  static final int BUFFER = 16384;
  /** Room left before an inbound transport-mode payload for the IP header we rebuild. */
  static final int HEADROOM = 64;

  static final int PENDING = 0;
  static final int OK = 1;
  static final int DROP_INTEGRITY = 2;
  static final int DROP_MALFORMED = 3;
  static final int DROP_OTHER = 4;

  final ByteBuffer clear = ByteBuffer.allocateDirect(BUFFER).order(ByteOrder.BIG_ENDIAN);
  final ByteBuffer wire = ByteBuffer.allocateDirect(BUFFER).order(ByteOrder.BIG_ENDIAN);
  final long clearAddress = Libc.address(clear);
  final long wireAddress = Libc.address(wire);

  boolean outbound;
  SaState sa;
  long seq;
  int nextHeader;
  /** Inbound: start and length of the ESP packet in {@link #wire}. */
  int espOffset;
  int espLength;
  /** Inbound ESP-in-UDP: where it came from (NAT mapping check); null for raw ESP. */
  java.net.InetSocketAddress udpFrom;
  private int status;

  void reset() {
    clear.clear();
    wire.clear();
    sa = null;
    seq = 0;
    nextHeader = 0;
    espOffset = 0;
    espLength = 0;
    udpFrom = null;
    synchronized (this) {
      status = PENDING;
    }
  }

  synchronized void done(int s) {
    status = s;
    notifyAll();
  }

  synchronized int awaitDone() throws InterruptedException {
    while (status == PENDING) {
      wait();
    }
    return status;
  }
}
