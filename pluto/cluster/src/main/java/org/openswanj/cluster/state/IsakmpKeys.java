package org.openswanj.cluster.state;

import java.util.Objects;
import org.openswanj.kernel.SecretKey;

/**
 * The ISAKMP SA keys a standby needs (RFC 2409 §5): SKEYID_d derives Quick Mode KEYMAT (§5.5), SKEYID_a keys
 * HASH(1..3) of Quick Mode and Informational exchanges, SKEYID_e (and the cipher key derived from it, App. B)
 * encrypts them; {@code phase1Iv} is the last CBC block of phase 1, from which each new exchange's IV is hashed
 * with its message ID (App. B). SKEYID itself is only needed inside phase 1 and is not replicated. No key bytes in
 * {@code toString()}.
 */
public record IsakmpKeys(SecretKey skeyidD, SecretKey skeyidA, SecretKey skeyidE, SecretKey encKey,
    SecretKey phase1Iv) {
  public IsakmpKeys {
    Objects.requireNonNull(skeyidD, "skeyidD");
    Objects.requireNonNull(skeyidA, "skeyidA");
    Objects.requireNonNull(skeyidE, "skeyidE");
    Objects.requireNonNull(encKey, "encKey");
    Objects.requireNonNull(phase1Iv, "phase1Iv");
  }

  public void wipe() {
    for (SecretKey k : new SecretKey[] {skeyidD, skeyidA, skeyidE, encKey, phase1Iv}) {
      k.wipe();
    }
  }
}
