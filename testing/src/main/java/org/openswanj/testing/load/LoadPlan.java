package org.openswanj.testing.load;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.List;

/**
 * One load run, validated: where to send, from which addresses, as which IDs, how many handshakes at once,
 * and for how long.
 */
record LoadPlan(InetSocketAddress target, List<InetAddress> sources, Identities ids, Shape shape, Timing timing,
    byte[] psk) {

  /** IDi is {@code prefix + n + suffix} as an ID_FQDN, n in [0, count). */
  record Identities(String prefix, int count, String suffix) {
    byte[] fqdn(long n) {
      return (prefix + Math.floorMod(n, count) + suffix).getBytes(java.nio.charset.StandardCharsets.US_ASCII);
    }
  }

  /** Concurrency (handshakes in flight), worker threads, DH reuse, Delete after success, the suite. */
  record Shape(int concurrency, int threads, int keReuse, boolean delete, Suite suite) {}

  /** Warm-up and measured seconds; the first retransmission timeout (doubling) and tries per request. */
  record Timing(double warmupSeconds, double seconds, long retransmitMillis, int tries) {}
}
