package org.openswanj.pluto.crypto;

/**
 * A child SA's four keys, split from KEYMAT in RFC 7296 §2.17 order: all initiator-to-responder keys first,
 * encryption before integrity. For AEAD the integrity keys are empty and the encryption keys carry the salt.
 */
public record EspKeys(SecretBytes encI, SecretBytes integI, SecretBytes encR, SecretBytes integR) {

  /** KEYMAT length needed for one pair of child SAs. */
  public static int keymatLength(int encKeyLen, int integKeyLen) {
    return 2 * (encKeyLen + integKeyLen);
  }

  /**
   * @throws IllegalArgumentException if {@code keymat} is shorter than {@link #keymatLength}
   */
  public static EspKeys split(byte[] keymat, int encKeyLen, int integKeyLen) {
    int need = keymatLength(encKeyLen, integKeyLen);
    if (encKeyLen < 0 || integKeyLen < 0 || keymat.length < need) {
      throw new IllegalArgumentException("KEYMAT is " + keymat.length + " bytes, need " + need);
    }
    int a = encKeyLen;
    int b = a + integKeyLen;
    int c = b + encKeyLen;
    return new EspKeys(SecretBytes.copyOfRange(keymat, 0, a), SecretBytes.copyOfRange(keymat, a, b),
        SecretBytes.copyOfRange(keymat, b, c), SecretBytes.copyOfRange(keymat, c, need));
  }

  public void wipe() {
    encI.wipe();
    integI.wipe();
    encR.wipe();
    integR.wipe();
  }
}
