package org.openswanj.alg;

import java.util.Optional;

/**
 * Integrity algorithms, one descriptor each: IKEv2 Transform Type 3 ids (RFC 7296 §3.3.2), IKEv1 Oakley hash ids
 * (RFC 2409 App. A, RFC 4868 §4) and IPsec DOI ESP authentication attribute values (RFC 2407 §4.5, RFC 4868 §4);
 * key and truncated ICV sizes in bytes (RFC 2404, RFC 4868 §2, RFC 3566); implementation and Openswan's names.
 */
public enum Integrity implements Algorithm {
  HMAC_MD5_96(new IanaIds(1, 1, 1), 16, 12, MacImpl.hmac("hmac(md5)", "HmacMD5", "MD5"),
      Names.of("AUTH_ALGORITHM_HMAC_MD5", "OAKLEY_MD5", "oakley_md5", "md5", "hmac_md5")),
  HMAC_SHA1_96(new IanaIds(2, 2, 2), 20, 12, MacImpl.hmac("hmac(sha1)", "HmacSHA1", "SHA-1"),
      Names.of("AUTH_ALGORITHM_HMAC_SHA1", "OAKLEY_SHA1", "oakley_sha", "sha1", "sha", "hmac_sha1")),
  // RFC 3566; IKEv1 has no Oakley hash for it. Openswan calls ESP's id 9 AUTH_ALGORITHM_AES_CBC; this is
  // the IANA name.
  AES_XCBC_96(new IanaIds(5, IanaIds.NONE, 9), 16, 12,
      new MacImpl(MacImpl.Construction.AES_XCBC, "xcbc(aes)", null, null),
      Names.of("AUTH_ALGORITHM_AES_XCBC", null, "aes_xcbc", "aes_xcbc", "aesxcbc")),
  HMAC_SHA2_256_128(new IanaIds(12, 4, 5), 32, 16, MacImpl.hmac("hmac(sha256)", "HmacSHA256", "SHA-256"),
      Names.of("AUTH_ALGORITHM_HMAC_SHA2_256", "OAKLEY_SHA2_256", "oakley_sha2_256", "sha2_256", "sha256", "sha2",
          "hmac_sha2_256")),
  HMAC_SHA2_384_192(new IanaIds(13, 5, 6), 48, 24, MacImpl.hmac("hmac(sha384)", "HmacSHA384", "SHA-384"),
      Names.of("AUTH_ALGORITHM_HMAC_SHA2_384", "OAKLEY_SHA2_384", "oakley_sha2_384", "sha2_384", "sha384",
          "hmac_sha2_384")),
  HMAC_SHA2_512_256(new IanaIds(14, 6, 7), 64, 32, MacImpl.hmac("hmac(sha512)", "HmacSHA512", "SHA-512"),
      Names.of("AUTH_ALGORITHM_HMAC_SHA2_512", "OAKLEY_SHA2_512", "oakley_sha2_512", "sha2_512", "sha512",
          "hmac_sha2_512")),
  // RFC 2857; parsed as Openswan 2.6 did (AUTH_ALGORITHM_HMAC_ + name), not implemented here
  HMAC_RIPEMD_160_96(new IanaIds(IanaIds.NONE, IanaIds.NONE, 8), 20, 12, MacImpl.NONE,
      Names.of("AUTH_ALGORITHM_HMAC_RIPEMD", null, "ripemd", "ripemd", "hmac_ripemd", "ripemd160"));

  private final IanaIds ids;
  private final int keySize;
  private final int icvSize;
  private final MacImpl impl;
  private final Names names;

  Integrity(IanaIds ids, int keySize, int icvSize, MacImpl impl, Names names) {
    this.ids = ids;
    this.keySize = keySize;
    this.icvSize = icvSize;
    this.impl = impl;
    this.names = names;
  }

  public IanaIds ids() {
    return ids;
  }

  public int ikev2Id() {
    return ids.ikev2();
  }

  /** IKEv1 Oakley hash algorithm id, or -1. */
  public int ikev1HashId() {
    return ids.ikev1();
  }

  /** IPsec DOI "Authentication Algorithm" attribute value for ESP in IKEv1. */
  public int espV1AuthId() {
    return ids.ipsecDoi();
  }

  /** Key size, bytes (RFC 7296 §3.3.5: integrity keys are fixed size). */
  public int keySize() {
    return keySize;
  }

  /** Truncated ICV size, bytes. */
  public int icvSize() {
    return icvSize;
  }

  public MacImpl impl() {
    return impl;
  }

  /** The Linux crypto API name XFRM takes ({@code XFRMA_ALG_AUTH_TRUNC}), or null. */
  public String xfrmName() {
    return impl.xfrm();
  }

  @Override
  public boolean implemented() {
    return impl.implemented();
  }

  @Override
  public Names names() {
    return names;
  }


  /** The PRF with the same hash (RFC 7296 §2.13: a common pairing when ike= names no PRF; RFC 2409 §4). */
  public Optional<Prf> matchingPrf() {
    return switch (this) {
      case HMAC_MD5_96 -> Optional.of(Prf.HMAC_MD5);
      case HMAC_SHA1_96 -> Optional.of(Prf.HMAC_SHA1);
      case AES_XCBC_96 -> Optional.of(Prf.AES128_XCBC);
      case HMAC_SHA2_256_128 -> Optional.of(Prf.HMAC_SHA2_256);
      case HMAC_SHA2_384_192 -> Optional.of(Prf.HMAC_SHA2_384);
      case HMAC_SHA2_512_256 -> Optional.of(Prf.HMAC_SHA2_512);
      case HMAC_RIPEMD_160_96 -> Optional.empty();
    };
  }

  public static Optional<Integrity> byName(String name) {
    return Lookup.byName(values(), name);
  }

  public static Optional<Integrity> fromIkev2(int id) {
    return Lookup.first(values(), i -> i.ids.ikev2() == id && id >= 0);
  }

  public static Optional<Integrity> fromEspV1(int id) {
    return Lookup.first(values(), i -> i.ids.ipsecDoi() == id && id >= 0);
  }

  public static Optional<Integrity> fromIkev1Hash(int id) {
    return Lookup.first(values(), i -> i.ids.ikev1() == id && id >= 0);
  }
}
