package org.openswanj.conf.alg;

import org.openswanj.alg.DhGroup;
import org.openswanj.alg.Encryption;
import org.openswanj.alg.Integrity;

/**
 * One Child SA (ESP) proposal tuple from {@code esp=} / {@code phase2alg=}: cipher (key length in bits, 0 =
 * default), integrity ({@code null} for AEAD), and the PFS group ({@code null}: the IKE SA's group if
 * {@code pfs=yes}).
 */
public record EspAlgorithm(Encryption encryption, int keyLength, Integrity integrity, DhGroup pfsGroup) {
  public int effectiveKeyLength() {
    return keyLength != 0 ? keyLength : encryption.defaultKeyLength();
  }
}
