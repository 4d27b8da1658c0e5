package org.openswanj.cluster.state;

import java.util.Objects;
import org.openswanj.kernel.SecretKey;

/**
 * The IKE SA keys a standby needs to continue it (RFC 7296 §2.14): SK_d derives Child SA keys for rekeys,
 * SK_a and SK_e protect IKE messages. SK_p is only needed during IKE_AUTH, so it is not replicated. For AEAD
 * ciphers SK_ai/SK_ar are empty. {@code toString()} shows no key bytes.
 */
public record IkeKeys(SecretKey skD, SecretKey skAi, SecretKey skAr, SecretKey skEi, SecretKey skEr) {
  public IkeKeys {
    Objects.requireNonNull(skD, "skD");
    Objects.requireNonNull(skAi, "skAi");
    Objects.requireNonNull(skAr, "skAr");
    Objects.requireNonNull(skEi, "skEi");
    Objects.requireNonNull(skEr, "skEr");
  }

  public void wipe() {
    for (SecretKey k : new SecretKey[] {skD, skAi, skAr, skEi, skEr}) {
      k.wipe();
    }
  }
}
