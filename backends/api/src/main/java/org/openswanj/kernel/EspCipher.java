package org.openswanj.kernel;

/**
 * ESP encryption transforms in the kernel's vocabulary. Key lengths are in bytes and include the salt
 * for AEAD ciphers (RFC 4106 §8.1: 4 bytes; RFC 7634 §2: 4 bytes).
 */
public enum EspCipher {
  NULL("ecb(cipher_null)", false, 0),
  AES_CBC("cbc(aes)", false, 16),
  AES_CTR("rfc3686(ctr(aes))", false, 8),
  AES_GCM_8("rfc4106(gcm(aes))", true, 8),
  AES_GCM_12("rfc4106(gcm(aes))", true, 8),
  AES_GCM_16("rfc4106(gcm(aes))", true, 8),
  CHACHA20_POLY1305("rfc7539esp(chacha20,poly1305)", true, 8),
  TRIPLE_DES_CBC("cbc(des3_ede)", false, 8);

  private final String xfrmName;
  private final boolean aead;
  private final int ivLength;

  EspCipher(String xfrmName, boolean aead, int ivLength) {
    this.xfrmName = xfrmName;
    this.aead = aead;
    this.ivLength = ivLength;
  }

  /** The Linux crypto API name used in XFRM_MSG_NEWSA. */
  public String xfrmName() {
    return xfrmName;
  }

  public boolean aead() {
    return aead;
  }

  /** Explicit IV carried in each ESP packet, in bytes. */
  public int ivLength() {
    return ivLength;
  }

  /** ICV length in bytes for AEAD ciphers (RFC 4106 §5), 0 otherwise. */
  public int icvLength() {
    return switch (this) {
      case AES_GCM_8 -> 8;
      case AES_GCM_12 -> 12;
      case AES_GCM_16, CHACHA20_POLY1305 -> 16;
      default -> 0;
    };
  }
}
