package org.openswanj.pluto.ikev1;

import java.security.Key;
import java.util.Optional;
import org.openswanj.alg.Prf;
import org.openswanj.pluto.crypto.sig.EcdsaSignature;
import org.openswanj.pluto.crypto.sig.Ikev1RsaSignature;
import org.openswanj.pluto.crypto.sig.KeyKind;
import org.openswanj.pluto.crypto.sig.SignatureScheme;

/**
 * The phase 1 authentication methods we speak (IANA "IPSEC Authentication Methods", RFC 2409 App. A class 3;
 * RFC 4754 §3 for ECDSA). One method for both ends: it is negotiated in the SA payload, so with ECDSA the curve
 * (and so the hash) is the same for our signature and the peer's.
 */
enum V1AuthMethod {
  PRESHARED_KEY(1, "OAKLEY_PRESHARED_KEY", null),
  RSA_SIG(3, "OAKLEY_RSA_SIG", KeyKind.RSA),
  /** RFC 4754 §3: ECDSA-256 with SHA-256 on P-256. */
  ECDSA_256(9, "OAKLEY_ECDSA_P256", KeyKind.ECDSA_P256),
  ECDSA_384(10, "OAKLEY_ECDSA_P384", KeyKind.ECDSA_P384),
  ECDSA_521(11, "OAKLEY_ECDSA_P521", KeyKind.ECDSA_P521);

  private final int wireValue;
  private final String plutoName;
  private final KeyKind key;

  V1AuthMethod(int wireValue, String plutoName, KeyKind key) {
    this.wireValue = wireValue;
    this.plutoName = plutoName;
    this.key = key;
  }

  int wireValue() {
    return wireValue;
  }

  /** As Openswan/Libreswan log it in "ISAKMP SA established {auth=...}". */
  String plutoName() {
    return plutoName;
  }

  boolean signature() {
    return key != null;
  }

  boolean ecdsa() {
    return key != null && key != KeyKind.RSA;
  }

  static Optional<V1AuthMethod> fromWire(int value) {
    for (V1AuthMethod m : values()) {
      if (m.wireValue == value) {
        return Optional.of(m);
      }
    }
    return Optional.empty();
  }

  /** The signature method for our key: RSA → 3, ECDSA by its curve → 9/10/11 (RFC 4754 §3); empty otherwise. */
  static Optional<V1AuthMethod> forKey(Key k) {
    Optional<KeyKind> kind = k == null ? Optional.empty() : KeyKind.of(k);
    for (V1AuthMethod m : values()) {
      if (m.key != null && kind.isPresent() && m.key == kind.get()) {
        return Optional.of(m);
      }
    }
    return Optional.empty();
  }

  /**
   * The PRF of HASH_I/HASH_R. RFC 2409 §5 uses the negotiated one; with ECDSA, RFC 4754 §4 binds the hash to the
   * method, so it is HMAC with SHA-256/384/512 whatever was negotiated (as strongSwan computes it; SKEYID itself
   * still comes from the negotiated PRF).
   */
  Prf hashPrf(Prf negotiated) {
    return switch (this) {
      case ECDSA_256 -> Prf.HMAC_SHA2_256;
      case ECDSA_384 -> Prf.HMAC_SHA2_384;
      case ECDSA_521 -> Prf.HMAC_SHA2_512;
      default -> negotiated;
    };
  }

  /** How SIG_I/SIG_R are made: PKCS#1 over HASH (RSA), or ECDSA over HASH with r ‖ s (RFC 4754 §7). */
  SignatureScheme scheme() {
    if (key == null) {
      throw new IllegalStateException(this + " does not sign");
    }
    return key == KeyKind.RSA ? new Ikev1RsaSignature() : EcdsaSignature.ikev1(key);
  }
}
