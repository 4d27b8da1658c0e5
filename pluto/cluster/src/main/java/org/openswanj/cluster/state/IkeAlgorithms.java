package org.openswanj.cluster.state;

import java.util.Objects;
import org.openswanj.alg.DhGroup;
import org.openswanj.alg.Encryption;
import org.openswanj.alg.Integrity;
import org.openswanj.alg.Prf;

/**
 * The IKE SA's negotiated transforms (RFC 7296 §3.3.2).
 *
 * @param integrity null for an AEAD cipher (RFC 5282 §8)
 */
public record IkeAlgorithms(Encryption encryption, int keyBits, Integrity integrity, Prf prf, DhGroup dh) {
  public IkeAlgorithms {
    Objects.requireNonNull(encryption, "encryption");
    Objects.requireNonNull(prf, "prf");
    Objects.requireNonNull(dh, "dh");
    if (keyBits < 0) {
      throw new IllegalArgumentException("key length " + keyBits + " < 0");
    }
  }
}
