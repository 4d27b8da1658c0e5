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
    return keyBits / 8;
  }

  /** Openswan's form: {@code auth=OAKLEY_PRESHARED_KEY cipher=aes_128 prf=oakley_sha group=modp2048}. */
  public String describe() {
    return "auth=OAKLEY_PRESHARED_KEY cipher=" + enc.names().pluto() + "_" + keyBits + " prf=" + hash.names().pluto()
        + " group=" + dh.configName();
  }

  /** The JCA digest of the hash, for NAT-D (RFC 3947 §3.2) and the IVs (RFC 2409 App. B). */
  String digestName() {
    return hash.impl().digest();
  }
}
