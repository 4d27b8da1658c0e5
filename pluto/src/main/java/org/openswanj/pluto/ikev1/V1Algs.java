package org.openswanj.pluto.ikev1;

import org.openswanj.alg.DhGroup;
import org.openswanj.alg.Encryption;
import org.openswanj.alg.Integrity;
import org.openswanj.alg.Prf;

/**
 * One IKEv1 phase 1 algorithm set (RFC 2409 App. A): a CBC cipher and key size, the hash (whose HMAC is the
 * PRF, §4) and the Oakley group. Authentication is by pre-shared key.
 */
public record V1Algs(Encryption enc, int keyBits, Integrity hash, DhGroup dh) {
  public Prf prf() {
    return hash.matchingPrf().orElse(Prf.HMAC_SHA1);
  }

  public int keyBytes() {
    return enc == Encryption.DES3_CBC ? 24 : keyBits / 8;
  }

  /** Openswan's form: {@code auth=OAKLEY_PRESHARED_KEY cipher=aes_128 prf=oakley_sha group=modp2048}. */
  public String describe() {
    String cipher = enc == Encryption.DES3_CBC ? "oakley_3des_cbc_192" : "aes_" + keyBits;
    return "auth=OAKLEY_PRESHARED_KEY cipher=" + cipher + " prf=" + oakleyHash() + " group=" + dh.configName();
  }

  String oakleyHash() {
    return switch (hash) {
      case HMAC_MD5_96 -> "oakley_md5";
      case HMAC_SHA1_96 -> "oakley_sha";
      case HMAC_SHA2_256_128 -> "oakley_sha2_256";
      case HMAC_SHA2_384_192 -> "oakley_sha2_384";
      case HMAC_SHA2_512_256 -> "oakley_sha2_512";
      default -> hash.configName();
    };
  }

  /** The JCA digest of the hash, for NAT-D (RFC 3947 §3.2) and the IVs (RFC 2409 App. B). */
  String digestName() {
    return switch (hash) {
      case HMAC_MD5_96 -> "MD5";
      case HMAC_SHA2_256_128 -> "SHA-256";
      case HMAC_SHA2_384_192 -> "SHA-384";
      case HMAC_SHA2_512_256 -> "SHA-512";
      default -> "SHA-1";
    };
  }
}
