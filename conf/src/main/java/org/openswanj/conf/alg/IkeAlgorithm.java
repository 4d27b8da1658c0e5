package org.openswanj.conf.alg;

/**
 * One IKE SA proposal tuple from {@code ike=}: cipher (key length in bits, 0 = the cipher's default),
 * integrity ({@code null} for AEAD), PRF and DH group.
 */
public record IkeAlgorithm(Encryption encryption, int keyLength, Integrity integrity, Prf prf, DhGroup dhGroup) {
  public int effectiveKeyLength() {
    return keyLength != 0 ? keyLength : encryption.defaultKeyLength();
  }
}
