package org.openswanj.conf.alg;

import java.util.List;
import java.util.Optional;

/**
 * Integrity algorithms: IKEv2 Transform Type 3 ids (RFC 7296 §3.3.2), IKEv1 Oakley hash ids (RFC 2409
 * App. A, RFC 4868 §4) and IPsec DOI ESP authentication attribute values (RFC 2407 §4.5, RFC 4868 §4).
 */
public enum Integrity {
  //               v2  v1hash v1espAuth keyLen icvLen names
  HMAC_MD5_96(      1,   1,     1,       16,   12, "md5", "hmac_md5"),
  HMAC_SHA1_96(     2,   2,     2,       20,   12, "sha1", "sha", "hmac_sha1"),
  AES_XCBC_96(      5,  -1,     9,       16,   12, "aes_xcbc", "aesxcbc"),
  HMAC_SHA2_256_128(12,  4,     5,       32,   16, "sha2_256", "sha256", "sha2", "hmac_sha2_256"),
  HMAC_SHA2_384_192(13,  5,     6,       48,   24, "sha2_384", "sha384", "hmac_sha2_384"),
  HMAC_SHA2_512_256(14,  6,     7,       64,   32, "sha2_512", "sha512", "hmac_sha2_512");

  private final int ikev2Id;
  private final int ikev1HashId;
  private final int espV1AuthId;
  private final int keySize;
  private final int icvSize;
  private final List<String> names;

  Integrity(int ikev2Id, int ikev1HashId, int espV1AuthId, int keySize, int icvSize, String... names) {
    this.ikev2Id = ikev2Id;
    this.ikev1HashId = ikev1HashId;
    this.espV1AuthId = espV1AuthId;
    this.keySize = keySize;
    this.icvSize = icvSize;
    this.names = List.of(names);
  }

  public int ikev2Id() {
    return ikev2Id;
  }

  /** IKEv1 Oakley hash algorithm id, or -1. */
  public int ikev1HashId() {
    return ikev1HashId;
  }

  /** IPsec DOI "Authentication Algorithm" attribute value for ESP in IKEv1. */
  public int espV1AuthId() {
    return espV1AuthId;
  }

  /** Key size, bytes. */
  public int keySize() {
    return keySize;
  }

  /** Truncated ICV size, bytes. */
  public int icvSize() {
    return icvSize;
  }

  public String configName() {
    return names.get(0);
  }

  public List<String> names() {
    return names;
  }

  /** The PRF with the same hash (RFC 7296 §2.13: a common pairing when ike= names no PRF). */
  public Optional<Prf> matchingPrf() {
    return switch (this) {
      case HMAC_MD5_96 -> Optional.of(Prf.HMAC_MD5);
      case HMAC_SHA1_96 -> Optional.of(Prf.HMAC_SHA1);
      case AES_XCBC_96 -> Optional.of(Prf.AES128_XCBC);
      case HMAC_SHA2_256_128 -> Optional.of(Prf.HMAC_SHA2_256);
      case HMAC_SHA2_384_192 -> Optional.of(Prf.HMAC_SHA2_384);
      case HMAC_SHA2_512_256 -> Optional.of(Prf.HMAC_SHA2_512);
    };
  }

  public static Optional<Integrity> byName(String name) {
    return Lookup.byName(values(), Integrity::names, name);
  }

  public static Optional<Integrity> fromIkev2(int id) {
    return Lookup.first(values(), i -> i.ikev2Id == id);
  }

  public static Optional<Integrity> fromEspV1(int id) {
    return Lookup.first(values(), i -> i.espV1AuthId == id);
  }

  public static Optional<Integrity> fromIkev1Hash(int id) {
    return Lookup.first(values(), i -> i.ikev1HashId == id && id >= 0);
  }
}
