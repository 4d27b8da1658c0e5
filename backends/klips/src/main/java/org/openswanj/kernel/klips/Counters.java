package org.openswanj.kernel.klips;

import java.util.concurrent.atomic.AtomicLong;

/** Drops and errors not tied to one SA, shown by {@code ipsec look}. Written by every data-path thread. */
final class Counters {
  final AtomicLong unknownSpi = new AtomicLong();
  final AtomicLong noEroute = new AtomicLong();
  final AtomicLong malformed = new AtomicLong();
  final AtomicLong shunted = new AtomicLong();
  final AtomicLong sendErrors = new AtomicLong();
}
