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
  /** IPv4 fragments routed to a transport-mode SA, which protects whole datagrams only (RFC 4303 §3.1.1). */
  final AtomicLong fragments = new AtomicLong();
}
