package org.openswanj.cluster.state;

import java.util.Objects;
import org.openswanj.alg.Encryption;
import org.openswanj.alg.Integrity;
import org.openswanj.kernel.IpsecMode;
import org.openswanj.kernel.Replay;
import org.openswanj.kernel.UdpEncap;

/**
 * A Child SA's transforms and how its packets are wrapped.
 *
 * @param integrity null for an AEAD cipher
 * @param replay the inbound replay window size and ESN (RFC 4304); a takeover starts the window afresh
 * @param udp the UDP encapsulation ports (RFC 3948), or null
 */
public record ChildAlgorithms(Encryption encryption, int keyBits, Integrity integrity, IpsecMode mode,
    Replay replay, UdpEncap udp) {
  public ChildAlgorithms {
    Objects.requireNonNull(encryption, "encryption");
    Objects.requireNonNull(mode, "mode");
    Objects.requireNonNull(replay, "replay");
    if (keyBits < 0) {
      throw new IllegalArgumentException("key length " + keyBits + " < 0");
    }
  }
}
