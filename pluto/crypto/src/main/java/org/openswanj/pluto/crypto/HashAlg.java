package org.openswanj.pluto.crypto;

import java.util.Optional;

/** IKEv2 Hash Algorithms registry (RFC 7427 §7, IANA "IKEv2 Hash Algorithms"; IDENTITY from RFC 8420 §2). */
public enum HashAlg {
  SHA1(1, "SHA-1", "SHA1", "1.3.14.3.2.26", 20),
  SHA2_256(2, "SHA-256", "SHA256", "2.16.840.1.101.3.4.2.1", 32),
  SHA2_384(3, "SHA-384", "SHA384", "2.16.840.1.101.3.4.2.2", 48),
  SHA2_512(4, "SHA-512", "SHA512", "2.16.840.1.101.3.4.2.3", 64),
  /** RFC 8420 §2: the signature algorithm hashes internally (Ed25519); no digest of its own. */
  IDENTITY(5, "", "", "", 0);

  private final int wireValue;
  private final String jcaDigest;
  private final String jcaPrefix;
  private final String oid;
  private final int length;

  HashAlg(int wireValue, String jcaDigest, String jcaPrefix, String oid, int length) {
    this.wireValue = wireValue;
    this.jcaDigest = jcaDigest;
    this.jcaPrefix = jcaPrefix;
    this.oid = oid;
    this.length = length;
  }

  public int wireValue() {
    return wireValue;
  }

  /** JCA MessageDigest name ("SHA-256"); empty for {@link #IDENTITY}. */
  public String jcaDigest() {
    return jcaDigest;
  }

  /** The hash part of JCA signature names ("SHA256" as in "SHA256withRSA"); empty for {@link #IDENTITY}. */
  public String jcaPrefix() {
    return jcaPrefix;
  }

  /** The digest's OID (RFC 8017 App. B.1, RFC 5754); empty for {@link #IDENTITY}. */
  public String oid() {
    return oid;
  }

  /** Digest length in bytes (the RSASSA-PSS salt length strongSwan and Libreswan use); 0 for IDENTITY. */
  public int length() {
    return length;
  }

  public static Optional<HashAlg> fromWire(int value) {
    for (HashAlg h : values()) {
      if (h.wireValue == value) {
        return Optional.of(h);
      }
    }
    return Optional.empty();
  }

  /** The digest with this OID, if it is one of ours; never throws. */
  public static Optional<HashAlg> fromOid(String oid) {
    for (HashAlg h : values()) {
      if (!h.oid.isEmpty() && h.oid.equals(oid)) {
        return Optional.of(h);
      }
    }
    return Optional.empty();
  }
}
