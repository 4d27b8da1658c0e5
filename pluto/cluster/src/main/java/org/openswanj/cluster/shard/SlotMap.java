package org.openswanj.cluster.shard;

import com.google.common.hash.HashFunction;
import com.google.common.hash.Hashing;
import java.nio.charset.StandardCharsets;
import java.util.Collection;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * N nodes active-active (docs/HA.md, design; not used by the two-node daemon yet): the responder's SPIs carry
 * a slot number in their top {@code bits} bits (the IKE SPI we choose as responder, RFC 7296 §2.6, and the
 * inbound ESP SPI we choose, RFC 4303 §2.1), so a front end routes every datagram of an SA by looking at one
 * field; slots, not SAs, belong to nodes. A slot's owner among the live nodes is chosen by rendezvous hashing
 * (highest random weight): every node computes the same map from the same member list in etcd, a node's
 * failure moves exactly its own slots (spread over all survivors), and a join takes about 1/(N+1) of the
 * slots, only from what the others held. Pure: no etcd, no clock.
 */
public final class SlotMap {
  private static final HashFunction HASH = Hashing.murmur3_128(0x5107);
  private final int bits;

  /** @param bits slot bits at the top of each SPI, 1..16 */
  public SlotMap(int bits) {
    if (bits < 1 || bits > 16) {
      throw new IllegalArgumentException("slot bits must be 1..16, not " + bits);
    }
    this.bits = bits;
  }

  public int slots() {
    return 1 << bits;
  }

  /** The slot an IKE responder SPI names (its top bits). */
  public int slotOf(long responderSpi) {
    return (int) (responderSpi >>> (64 - bits));
  }

  /** The slot an inbound ESP SPI names (its top bits; SPIs 0-255 are reserved, RFC 4303 §2.1). */
  public int slotOfEsp(int spi) {
    return spi >>> (32 - bits);
  }

  /** A responder IKE SPI in {@code slot}: the slot in the top bits, {@code random} below. */
  public long ikeSpiIn(int slot, long random) {
    long low = random & (-1L >>> bits);
    long spi = ((long) slot << (64 - bits)) | low;
    return spi == 0 ? 1 : spi; // RFC 7296 §3.1: a responder SPI is never zero
  }

  /** The owner of {@code slot} among {@code live} (null if none is live): the highest weight wins. */
  public String owner(int slot, Collection<String> live) {
    String best = null;
    long bestWeight = Long.MIN_VALUE;
    for (String node : live) {
      long w = HASH.newHasher().putString(node, StandardCharsets.UTF_8).putInt(slot).hash().asLong();
      if (best == null || w > bestWeight || (w == bestWeight && node.compareTo(best) < 0)) {
        best = node;
        bestWeight = w;
      }
    }
    return best;
  }

  /** Every slot's owner among {@code live}. */
  public Map<Integer, String> assign(Set<String> live) {
    Set<String> sorted = new TreeSet<>(live);
    Map<Integer, String> out = new HashMap<>();
    for (int s = 0; s < slots(); s++) {
      out.put(s, owner(s, sorted));
    }
    return out;
  }
}
