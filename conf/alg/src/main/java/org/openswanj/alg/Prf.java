package org.openswanj.alg;

import java.util.Optional;

/**
 * Pseudo-random functions: IKEv2 Transform Type 2 ids (RFC 7296 §3.3.2, RFC 4868, RFC 4434), output size in
 * bytes and implementation. IKEv1 has no PRF registry of its own: its PRF is the HMAC of the negotiated hash
 * (RFC 2409 §4).
 */
public enum Prf implements Algorithm {
  HMAC_MD5(1, 16, MacImpl.hmac(null, "HmacMD5", "MD5"), Names.of(null, "OAKLEY_MD5", "oakley_md5", "prfmd5", "md5")),
  HMAC_SHA1(2, 20, MacImpl.hmac(null, "HmacSHA1", "SHA-1"),
      Names.of(null, "OAKLEY_SHA1", "oakley_sha", "prfsha1", "sha1")),
  AES128_XCBC(4, 16, new MacImpl(MacImpl.Construction.AES_XCBC, null, null, null),
      Names.of(null, null, "aes_xcbc", "prfaesxcbc", "aes_xcbc")),
  HMAC_SHA2_256(5, 32, MacImpl.hmac(null, "HmacSHA256", "SHA-256"),
      Names.of(null, "OAKLEY_SHA2_256", "oakley_sha2_256", "prfsha256", "sha2_256", "prfsha2_256", "sha256")),
  HMAC_SHA2_384(6, 48, MacImpl.hmac(null, "HmacSHA384", "SHA-384"),
      Names.of(null, "OAKLEY_SHA2_384", "oakley_sha2_384", "prfsha384", "sha2_384", "prfsha2_384", "sha384")),
  HMAC_SHA2_512(7, 64, MacImpl.hmac(null, "HmacSHA512", "SHA-512"),
      Names.of(null, "OAKLEY_SHA2_512", "oakley_sha2_512", "prfsha512", "sha2_512", "prfsha2_512", "sha512"));

  private final int ikev2Id;
  private final int outputSize;
  private final MacImpl impl;
  private final Names names;

  Prf(int ikev2Id, int outputSize, MacImpl impl, Names names) {
    this.ikev2Id = ikev2Id;
    this.outputSize = outputSize;
    this.impl = impl;
    this.names = names;
  }

  public int ikev2Id() {
    return ikev2Id;
  }

  /** Output (and preferred key) size, bytes. */
  public int outputSize() {
    return outputSize;
  }

  public MacImpl impl() {
    return impl;
  }

  @Override
  public boolean implemented() {
    return impl.implemented();
  }

  @Override
  public Names names() {
    return names;
  }


  public static Optional<Prf> byName(String name) {
    return Lookup.byName(values(), name);
  }

  public static Optional<Prf> fromIkev2(int id) {
    return Lookup.first(values(), p -> p.ikev2Id == id);
  }
}
