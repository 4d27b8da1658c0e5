package org.openswanj.kernel.klips.esp;

/**
 * The anti-replay sliding window of RFC 4303 §3.4.3, with the 64-bit sequence numbers of RFC 4304
 * (the receiver infers the high-order 32 bits, Appendix A). A ring of 64-bit blocks, as in wireguard-go:
 * advancing the window clears whole blocks, so both check and update are O(1).
 *
 * <p>Thread-safety: all methods synchronize on the window; the data path checks before decrypting and
 * updates only after the ICV verified (§3.4.3: the window must not move on a forged packet).
 */
public final class ReplayWindow {
  public static final int MIN_SIZE = 32;
  public static final int MAX_SIZE = 2048;

  private final int size;
  private final long[] ring;
  private final int ringMask;
  private long highest;

  /** @param size window size in packets, {@value #MIN_SIZE}..{@value #MAX_SIZE} */
  public ReplayWindow(int size) {
    if (size < MIN_SIZE || size > MAX_SIZE) {
      throw new IllegalArgumentException("replay window " + size + " outside " + MIN_SIZE + ".." + MAX_SIZE);
    }
    this.size = size;
    int blocks = Integer.highestOneBit(size / 64 + 1) << 1; // power of two, > size/64 + 1
    this.ring = new long[blocks];
    this.ringMask = blocks - 1;
  }

  public int size() {
    return size;
  }

  /** The highest sequence number accepted so far (0 before the first). */
  public synchronized long highest() {
    return highest;
  }

  /**
   * Starts the window with every number below {@code floor} seen, as if {@code floor - 1} had been the last
   * accepted: a cluster node taking an SA over whose peer advanced its counter past what the old node may have
   * received (RFC 6311 §5.2). The bits above it in its block stay clear, as {@link #accept} leaves them.
   */
  public synchronized void startAbove(long floor) {
    if (floor <= 1) {
      return;
    }
    highest = floor - 1;
    java.util.Arrays.fill(ring, -1L);
    int bit = (int) (highest & 63);
    ring[blockOf(highest)] = bit == 63 ? -1L : (1L << (bit + 1)) - 1;
  }

  /** RFC 4304 Appendix A: the full 64-bit sequence number of a packet carrying {@code seqLow}. */
  public synchronized long infer(int seqLow) {
    long tl = highest & 0xffffffffL;
    long th = highest >>> 32;
    long sl = seqLow & 0xffffffffL;
    long bottom = (tl - size + 1) & 0xffffffffL;
    long hi;
    if (tl >= size - 1) {
      hi = sl >= bottom ? th : th + 1; // case A: the window lies within one 2^32 block
    } else {
      hi = sl >= bottom ? th - 1 : th; // case B: the window spans a wrap
    }
    if (hi < 0) {
      hi = 0;
    }
    return (hi << 32) | sl;
  }

  /** True if {@code seq} is neither too old nor already seen (does not move the window). */
  public synchronized boolean check(long seq) {
    if (seq == 0) {
      return false; // §3.3.3: the first packet carries 1
    }
    if (seq > highest) {
      return true;
    }
    if (highest - seq >= size) {
      return false;
    }
    return (ring[blockOf(seq)] & bitOf(seq)) == 0;
  }

  /** Records {@code seq} after its ICV verified; false if it is (now) a replay. */
  public synchronized boolean accept(long seq) {
    if (!check(seq)) {
      return false;
    }
    if (seq > highest) {
      long from = highest >>> 6;
      long to = seq >>> 6;
      long clear = Math.min(to - from, ring.length);
      for (long i = 1; i <= clear; i++) {
        ring[(int) ((from + i) & ringMask)] = 0;
      }
      highest = seq;
    }
    ring[blockOf(seq)] |= bitOf(seq);
    return true;
  }

  private int blockOf(long seq) {
    return (int) ((seq >>> 6) & ringMask);
  }

  private static long bitOf(long seq) {
    return 1L << (seq & 63);
  }
}
