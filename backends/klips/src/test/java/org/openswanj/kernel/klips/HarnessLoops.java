package org.openswanj.kernel.klips;

/**
 * The per-byte loops of the klips outbound fuzz target's harness and model, in a class of their own so that
 * {@code testing/fuzz/run-fuzz} can leave them out of Jazzer's instrumentation: instrumented, every byte the harness
 * generated or checksummed went through coverage, compare and division hooks, which took most of each input's time.
 * The harness's and the model's branches stay instrumented, so their coverage still guides the fuzzer.
 */
final class HarnessLoops {
  private HarnessLoops() {}

  /** {@code n} bytes repeating {@code pattern}, or a fixed sequence if the pattern is empty. */
  static byte[] fill(byte[] pattern, int n) {
    byte[] out = new byte[n];
    if (pattern.length == 0) {
      for (int i = 0; i < n; i++) {
        out[i] = (byte) (i * 7 + 3);
      }
      return out;
    }
    int done = Math.min(n, pattern.length);
    System.arraycopy(pattern, 0, out, 0, done);
    while (done < n) { // the pattern repeated: double what is there (out[i] = pattern[i % pattern.length])
      int copy = Math.min(done - done % pattern.length, n - done);
      System.arraycopy(out, 0, out, done, copy);
      done += copy;
    }
    return out;
  }

  /** The complemented 16-bit one's complement sum (RFC 1071) of {@code len} bytes at {@code off}, from {@code sum}. */
  static int checksum(byte[] b, int off, int len, long sum) {
    for (int i = 0; i + 1 < len; i += 2) {
      sum += ((b[off + i] & 0xff) << 8) | (b[off + i + 1] & 0xff);
    }
    if ((len & 1) != 0) {
      sum += (b[off + len - 1] & 0xff) << 8;
    }
    while ((sum >> 16) != 0) {
      sum = (sum & 0xffff) + (sum >> 16);
    }
    return (int) (~sum & 0xffff);
  }
}
