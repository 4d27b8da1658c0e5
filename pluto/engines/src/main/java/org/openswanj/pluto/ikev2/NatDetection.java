package org.openswanj.pluto.ikev2;

import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.List;
import org.openswanj.pluto.ike.wire.NotifyPayload;
import org.openswanj.pluto.ike.wire.NotifyType;

/** NAT_DETECTION_SOURCE_IP / NAT_DETECTION_DESTINATION_IP (RFC 7296 §2.23): SHA-1(SPIi | SPIr | IP | Port). */
final class NatDetection {
  private NatDetection() {}

  static byte[] hash(long spiI, long spiR, InetSocketAddress a) {
    try {
      MessageDigest d = MessageDigest.getInstance("SHA-1");
      d.update(ByteBuffer.allocate(16).putLong(spiI).putLong(spiR).array());
      d.update(a.getAddress().getAddress());
      d.update(ByteBuffer.allocate(2).putShort((short) a.getPort()).array());
      return d.digest();
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-1 missing from the JDK", e);
    }
  }

  /**
   * The two notifies for a message from {@code local} to {@code remote}. With {@code forceEncaps} the source
   * hash is deliberately wrong, so the peer sees a NAT and both move to 4500 (Openswan's forceencaps).
   */
  static List<NotifyPayload> payloads(long spiI, long spiR, InetSocketAddress local, InetSocketAddress remote,
      boolean forceEncaps) {
    byte[] src = hash(spiI, spiR, local);
    if (forceEncaps) {
      src = hash(spiI, spiR, new InetSocketAddress(local.getAddress(), 1));
    }
    return List.of(new NotifyPayload(NotifyType.NAT_DETECTION_SOURCE_IP, src),
        new NotifyPayload(NotifyType.NAT_DETECTION_DESTINATION_IP, hash(spiI, spiR, remote)));
  }

  /** True when none of the peer's source hashes matches where its message came from: the peer is behind a NAT. */
  static boolean peerBehindNat(Ikev2Message m, long spiI, long spiR, InetSocketAddress from) {
    List<NotifyPayload> src = m.asMessage().notifies().stream()
        .filter(n -> n.type() == NotifyType.NAT_DETECTION_SOURCE_IP).toList();
    if (src.isEmpty()) {
      return false;
    }
    byte[] want = hash(spiI, spiR, from);
    return src.stream().noneMatch(n -> MessageDigest.isEqual(n.data(), want));
  }

  /** True when the peer's destination hash does not match our address: we are behind a NAT. */
  static boolean weAreBehindNat(Ikev2Message m, long spiI, long spiR, InetSocketAddress us) {
    return m.notify(NotifyType.NAT_DETECTION_DESTINATION_IP)
        .map(n -> !MessageDigest.isEqual(n.data(), hash(spiI, spiR, us))).orElse(false);
  }
}
