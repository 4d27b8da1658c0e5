package org.openswanj.conf.alg;

import org.openswanj.alg.DhGroup;
import org.openswanj.alg.Encryption;
import org.openswanj.alg.Integrity;

/**
 * One Child SA proposal tuple from {@code esp=} / {@code phase2alg=}: cipher (key length in bits, 0 = default;
 * {@code null} for AH, which only authenticates), integrity ({@code null} for AEAD), and the PFS group
 * ({@code null}: the IKE SA's group if {@code pfs=yes}).
 */
public record EspAlgorithm(Encryption encryption, int keyLength, Integrity integrity, DhGroup pfsGroup) {
  /** An AH proposal ({@code phase2=ah}): integrity only (RFC 4302). */
  public static EspAlgorithm ah(Integrity integrity, DhGroup pfsGroup) {
    return new EspAlgorithm(null, 0, integrity, pfsGroup);
  }

  /** True for an AH proposal. */
  public boolean ah() {
    return encryption == null;
  }

  public int effectiveKeyLength() {
    return keyLength != 0 || ah() ? keyLength : encryption.defaultKeyLength();
  }
}
