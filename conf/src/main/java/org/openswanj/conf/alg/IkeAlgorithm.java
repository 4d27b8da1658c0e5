package org.openswanj.conf.alg;

import org.openswanj.alg.DhGroup;
import org.openswanj.alg.Encryption;
import org.openswanj.alg.Integrity;
import org.openswanj.alg.Prf;

/**
 * One IKE SA proposal tuple from {@code ike=}: cipher (key length in bits, 0 = the cipher's default),
 * integrity ({@code null} for AEAD), PRF and DH group.
 */
public record IkeAlgorithm(Encryption encryption, int keyLength, Integrity integrity, Prf prf, DhGroup dhGroup) {
  public int effectiveKeyLength() {
    return keyLength != 0 ? keyLength : encryption.defaultKeyLength();
  }
}
