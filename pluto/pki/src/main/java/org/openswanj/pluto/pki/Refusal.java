package org.openswanj.pluto.pki;

/** Why a peer's certificate was refused. */
public enum Refusal {
  EXPIRED,
  NOT_YET_VALID,
  REVOKED,
  UNKNOWN_CA,
  /** The peer's ID is neither the certificate's subject nor one of its subjectAltNames. */
  ID_NOT_IN_CERT,
  /** rightca= names a CA that is not on the peer's path. */
  CA_MISMATCH,
  WRONG_KEY_USAGE,
  KEY_TOO_SMALL,
  /** strictcrlpolicy=yes and neither a CRL nor OCSP could say the certificate is good. */
  REVOCATION_UNAVAILABLE,
  /** Not a certificate we can read, or none was sent. */
  BAD_CERTIFICATE
}
