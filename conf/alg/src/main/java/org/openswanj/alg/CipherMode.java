package org.openswanj.alg;

/** How a cipher is used in ESP and IKE, which decides the IV, padding and integrity it needs. */
public enum CipherMode {
  /** Block cipher in CBC mode: random IV, padding to the block, separate integrity (RFC 3602, RFC 2451). */
  CBC,
  /** Counter mode: nonce from the key, IV per packet, separate integrity (RFC 3686). */
  CTR,
  /** Combined mode: integrity in the cipher, no separate integrity transform (RFC 4106, RFC 7634). */
  AEAD,
  /** No encryption (RFC 2410). */
  NONE
}
