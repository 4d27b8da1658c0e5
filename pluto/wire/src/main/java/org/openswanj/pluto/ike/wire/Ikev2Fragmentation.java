package org.openswanj.pluto.ike.wire;

import java.util.ArrayList;
import java.util.List;

/**
 * IKEv2 fragmentation (RFC 7383), the sending side: the IKEV2_FRAGMENTATION_SUPPORTED notify (§2.3), the message
 * size to aim for (§2.5.1) and the split of a protected message into Encrypted Fragment payloads, each sealed on
 * its own with the SA's {@link IkeCodec.SkSealer} (§2.5). Pure: no state, no I/O.
 */
public final class Ikev2Fragmentation {
  private static final int SKF_HEADER = 8;
  /** RFC 7383 §2.5: Fragment Number and Total Fragments are 16 bits. */
  static final int MAX_FRAGMENTS = 0xffff;

  private Ikev2Fragmentation() {}

  /** The IP version of the path, for the §2.5.1 sizes. */
  public enum IpVersion {
    /** RFC 7383 §2.5.1: 576 bytes, the IPv4 datagram every host must accept (RFC 791). */
    IPV4(576, 20),
    /** RFC 7383 §2.5.1: 1280 bytes, the IPv6 minimum MTU (RFC 8200 §5). */
    IPV6(1280, 40);

    private final int minimumMtu;
    private final int ipHeader;

    IpVersion(int minimumMtu, int ipHeader) {
      this.minimumMtu = minimumMtu;
      this.ipHeader = ipHeader;
    }
  }

  /** How the IKE message travels in UDP. */
  public enum Encapsulation {
    /** Port 500: the IKE message fills the UDP payload. */
    PORT_500(0),
    /** Port 4500: the four-byte non-ESP marker comes first (RFC 3948 §2.2). */
    PORT_4500(4);

    private final int marker;

    Encapsulation(int marker) {
      this.marker = marker;
    }
  }

  /** RFC 7383 §2.3: sent in IKE_SA_INIT (both ways) to say we reassemble; protocol 0, no SPI, no data. */
  public static NotifyPayload supportedNotify() {
    return new NotifyPayload(NotifyType.IKEV2_FRAGMENTATION_SUPPORTED, new byte[0]);
  }

  /** True if the peer's IKE_SA_INIT carried IKEV2_FRAGMENTATION_SUPPORTED. */
  public static boolean peerSupports(List<Payload> initPayloads) {
    return initPayloads.stream().anyMatch(p -> p instanceof NotifyPayload n
        && n.type() == NotifyType.IKEV2_FRAGMENTATION_SUPPORTED);
  }

  /**
   * The largest IKE message (header included) for a path MTU: MTU − IP header − 8 (UDP) − the non-ESP marker.
   * RFC 7383 §2.5.1 recommends the minimum MTU when the path's is not known: 548 (IPv4) or 1232 (IPv6) on port 500.
   */
  public static int maxMessageSize(IpVersion ip, int pathMtu, Encapsulation encap) {
    return pathMtu - ip.ipHeader - 8 - encap.marker;
  }

  public static int defaultMaxMessageSize(IpVersion ip, Encapsulation encap) {
    return maxMessageSize(ip, ip.minimumMtu, encap);
  }

  /**
   * Splits the protected message {@code header} + {@code inner} into datagrams of at most {@code maxMessageSize}
   * bytes (RFC 7383 §2.5): the encoded inner chain is cut into pieces, each sealed in its own SKF payload with the
   * same Message ID; the first carries the first inner payload's type, the others 0. The list is what to send and,
   * unchanged, what to retransmit (§2.5.3).
   *
   * @throws IllegalArgumentException if not even one byte of payload fits {@code maxMessageSize}, or more than
   *     65535 fragments would be needed
   */
  public static List<byte[]> split(IkeHeader header, List<Payload> inner, IkeCodec.SkSealer sealer,
      int maxMessageSize) {
    byte[] plain = IkeCodec.encodeChain(2, inner);
    int first = inner.isEmpty() ? 0 : inner.get(0).wireType();
    int piece = largestPiece(sealer, maxMessageSize - IkeHeader.SIZE - SKF_HEADER, Math.max(1, plain.length));
    int total = Math.max(1, (plain.length + piece - 1) / piece);
    if (total > MAX_FRAGMENTS) {
      throw new IllegalArgumentException(plain.length + " bytes need " + total + " fragments of " + piece
          + " bytes; RFC 7383 allows 65535");
    }
    List<byte[]> out = new ArrayList<>(total);
    for (int i = 0; i < total; i++) {
      int from = i * piece;
      byte[] p = java.util.Arrays.copyOfRange(plain, from, Math.min(plain.length, from + piece));
      out.add(IkeCodec.encodeFragment(header, first, i + 1, total, p, sealer));
    }
    return out;
  }

  /** The most plaintext one SKF body can carry within {@code room} bytes (sealing adds IV, padding, ICV). */
  private static int largestPiece(IkeCodec.SkSealer sealer, int room, int upTo) {
    int lo = 0;
    int hi = upTo;
    while (lo < hi) {
      int mid = (lo + hi + 1) >>> 1;
      if (sealer.sealedLength(mid) <= room) {
        lo = mid;
      } else {
        hi = mid - 1;
      }
    }
    if (lo == 0) {
      throw new IllegalArgumentException("a message size of " + (room + IkeHeader.SIZE + SKF_HEADER)
          + " bytes leaves no room for an encrypted fragment");
    }
    return lo;
  }
}
