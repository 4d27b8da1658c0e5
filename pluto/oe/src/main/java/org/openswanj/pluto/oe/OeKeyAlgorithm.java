package org.openswanj.pluto.oe;

import java.util.Optional;

/**
 * Public-key algorithms of the IPSECKEY "Algorithm Type Field" registry that OE can use, each with the key
 * format the registry names. DSA (1) is left out: no IKE peer authenticates with DSA any more.
 */
public enum OeKeyAlgorithm {
  /** RFC 4025 §2.4: RFC 3110 §2 format (exponent length, exponent, modulus). */
  RSA(2),
  /** RFC 8005 §4 / RFC 6605 §4: the curve point X | Y, 64 bytes for P-256, 96 for P-384. */
  ECDSA(3),
  /** RFC 9373 §2 / RFC 8080 §3: the raw public key, 32 bytes for Ed25519, 57 for Ed448. */
  EDDSA(4);

  private final int wireValue;

  OeKeyAlgorithm(int wireValue) {
    this.wireValue = wireValue;
  }

  /** The IPSECKEY algorithm number. */
  public int wireValue() {
    return wireValue;
  }

  /** The algorithm for an IPSECKEY algorithm number; empty for 0 (no key), DSA and unassigned values. */
  public static Optional<OeKeyAlgorithm> fromWire(int value) {
    for (OeKeyAlgorithm a : values()) {
      if (a.wireValue == value) {
        return Optional.of(a);
      }
    }
    return Optional.empty();
  }
}
