package org.openswanj.kernel.klips;

import java.util.concurrent.atomic.AtomicLong;

/**
 * Drops and errors of the whole data path, shown by {@code ipsec look} and {@code whack --metrics}; the per-SA
 * failures are counted here too, so they outlive their SA. Written by every data-path thread.
 */
final class Counters {
  final AtomicLong unknownSpi = new AtomicLong();
  final AtomicLong noEroute = new AtomicLong();
  final AtomicLong malformed = new AtomicLong();
  final AtomicLong shunted = new AtomicLong();
  final AtomicLong sendErrors = new AtomicLong();
  final AtomicLong replay = new AtomicLong();
  final AtomicLong integrity = new AtomicLong();
  final AtomicLong selector = new AtomicLong();
  /**
   * IPv4 datagrams routed to a transport-mode SA as fragments and reassembled before ESP, which protects whole
   * datagrams only (RFC 4303 §3.1.1); see {@link Reassembly}.
   */
  final AtomicLong reassembled = new AtomicLong();
  /** Fragments given up: their datagram was not whole 30 s after its first fragment. */
  final AtomicLong fragmentsExpired = new AtomicLong();
  /** Fragments of a datagram dropped because two of its fragments overlapped (or it had two ends). */
  final AtomicLong fragmentsOverlap = new AtomicLong();
  /** Fragments of a datagram larger than the data path's buffer ({@link Element#MAX_PACKET}). */
  final AtomicLong fragmentsTooLarge = new AtomicLong();
  /** Fragments of the oldest datagram in progress, evicted when the table was full. */
  final AtomicLong fragmentsTableFull = new AtomicLong();
}
