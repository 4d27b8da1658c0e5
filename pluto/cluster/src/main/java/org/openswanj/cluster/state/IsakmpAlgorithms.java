package org.openswanj.cluster.state;

import java.util.Objects;
import org.openswanj.alg.DhGroup;
import org.openswanj.alg.Encryption;
import org.openswanj.alg.Integrity;

/**
 * The ISAKMP SA's negotiated attributes (RFC 2409 App. A): a CBC cipher and its key length, the hash (its HMAC is
 * the PRF, §4), the Oakley group, and the authentication method (1 pre-shared key, 3 RSA, 9-11 RFC 4754 ECDSA).
 */
public record IsakmpAlgorithms(Encryption encryption, int keyBits, Integrity hash, DhGroup dh, int authMethod) {
  public IsakmpAlgorithms {
    Objects.requireNonNull(encryption, "encryption");
    Objects.requireNonNull(hash, "hash");
    Objects.requireNonNull(dh, "dh");
    if (keyBits < 0 || authMethod < 0 || authMethod > 0xffff) {
      throw new IllegalArgumentException("key length " + keyBits + " or auth method " + authMethod + " out of range");
    }
  }
}
