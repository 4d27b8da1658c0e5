package org.openswanj.pluto.crypto;

import java.util.Optional;

/** IKEv2 Hash Algorithms registry (RFC 7427 §7, IANA "IKEv2 Hash Algorithms"). */
public enum HashAlg {
  SHA1(1, "SHA-1", "SHA1withRSA", "1.2.840.113549.1.1.5"),
  SHA2_256(2, "SHA-256", "SHA256withRSA", "1.2.840.113549.1.1.11"),
  SHA2_384(3, "SHA-384", "SHA384withRSA", "1.2.840.113549.1.1.12"),
  SHA2_512(4, "SHA-512", "SHA512withRSA", "1.2.840.113549.1.1.13");

  private final int wireValue;
  private final String jcaDigest;
  private final String jcaRsaSignature;
  private final String rsaSignatureOid;

  HashAlg(int wireValue, String jcaDigest, String jcaRsaSignature, String rsaSignatureOid) {
    this.wireValue = wireValue;
    this.jcaDigest = jcaDigest;
    this.jcaRsaSignature = jcaRsaSignature;
    this.rsaSignatureOid = rsaSignatureOid;
  }

  public int wireValue() {
    return wireValue;
  }

  /** JCA MessageDigest name. */
  public String jcaDigest() {
    return jcaDigest;
  }

  String jcaRsaSignature() {
    return jcaRsaSignature;
  }

  /** OID of shaXWithRSAEncryption (RFC 8017 App. C), used in RFC 7427 AlgorithmIdentifiers. */
  String rsaSignatureOid() {
    return rsaSignatureOid;
  }

  public static Optional<HashAlg> fromWire(int value) {
    for (HashAlg h : values()) {
      if (h.wireValue == value) {
        return Optional.of(h);
      }
    }
    return Optional.empty();
  }
}
