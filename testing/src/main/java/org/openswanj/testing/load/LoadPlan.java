package org.openswanj.testing.load;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.List;
import org.openswanj.pluto.ike.wire.TrafficSelector;

/**
 * One load run, validated: where to send, from which addresses, as which IDs, how many handshakes at once,
 * and for how long.
 */
record LoadPlan(InetSocketAddress target, List<InetAddress> sources, Identities ids, Selectors selectors,
    Shape shape, Timing timing, byte[] psk) {

  /**
   * The Child SA's selectors: by default the two hosts; with {@code tsiBase}, TSi is tsiBase + the ID number
   * (so an ID always asks for the same inner address); with {@code tsr}, TSr is that range. Host-to-host
   * selectors cover the IKE packets too, which a backend routing by selector then tunnels.
   */
  record Selectors(InetAddress tsiBase, TrafficSelector tsr, int ids) {
    Handshake.Selectors forHandshake(long n, InetAddress local, InetAddress target) {
      InetAddress i = tsiBase == null ? local : com.google.common.net.InetAddresses.fromInteger(
          com.google.common.net.InetAddresses.coerceToInteger(tsiBase) + (int) Math.floorMod(n, (long) ids));
      return new Handshake.Selectors(TrafficSelector.ofRange(i, i), tsr != null ? tsr : TrafficSelector.ofRange(target, target));
    }
  }

  /** IDi is {@code prefix + n + suffix} as an ID_FQDN, n in [0, count). */
  record Identities(String prefix, int count, String suffix) {
    byte[] fqdn(long n) {
      return (prefix + Math.floorMod(n, count) + suffix).getBytes(java.nio.charset.StandardCharsets.US_ASCII);
    }
  }

  /**
   * Concurrency (handshakes in flight), worker threads, DH reuse, Delete after success, the suite; with
   * {@code initOnly} a handshake ends at the IKE_SA_INIT answer (a COOKIE is counted and never returned),
   * which is what a spoofing flood leaves a responder with.
   */
  record Shape(int concurrency, int threads, int keReuse, boolean delete, Suite suite, boolean initOnly) {}

  /**
   * Warm-up and measured seconds; the first retransmission timeout (doubling) and tries per request. With a
   * {@code count} above 0 the run starts that many handshakes in all and ends when they are done ({@code
   * seconds} is then only a cap).
   */
  record Timing(double warmupSeconds, double seconds, long retransmitMillis, int tries, long count) {
    boolean counted() {
      return count > 0;
    }
  }
}
