package org.openswanj.pluto.crypto;

/**
 * The seven IKE SA keys of RFC 7296 §2.14, in the order prf+ yields them. SK_ai/SK_ar are empty for AEAD
 * ciphers (RFC 5282 §7.1). {@code toString()} is redacted because every component is.
 */
public record IkeSaKeys(SecretBytes skD, SecretBytes skAi, SecretBytes skAr, SecretBytes skEi, SecretBytes skEr,
    SecretBytes skPi, SecretBytes skPr) {

  /** Zeroes every key (when the IKE SA dies). */
  public void wipe() {
    for (SecretBytes s : new SecretBytes[] {skD, skAi, skAr, skEi, skEr, skPi, skPr}) {
      s.wipe();
    }
  }
}
