package org.openswanj.kernel;

/** ESP integrity transforms in the kernel's vocabulary; lengths in bytes (RFC 2404, RFC 4868). */
public enum EspIntegrity {
  NONE("", 0, 0),
  HMAC_MD5_96("hmac(md5)", 16, 12),
  HMAC_SHA1_96("hmac(sha1)", 20, 12),
  HMAC_SHA2_256_128("hmac(sha256)", 32, 16),
  HMAC_SHA2_384_192("hmac(sha384)", 48, 24),
  HMAC_SHA2_512_256("hmac(sha512)", 64, 32),
  AES_XCBC_96("xcbc(aes)", 16, 12);

  private final String xfrmName;
  private final int keyLength;
  private final int icvLength;

  EspIntegrity(String xfrmName, int keyLength, int icvLength) {
    this.xfrmName = xfrmName;
    this.keyLength = keyLength;
    this.icvLength = icvLength;
  }

  public String xfrmName() {
    return xfrmName;
  }

  public int keyLength() {
    return keyLength;
  }

  /** Truncated ICV length in bytes. */
  public int icvLength() {
    return icvLength;
  }
}
