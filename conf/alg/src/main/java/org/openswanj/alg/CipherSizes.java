package org.openswanj.alg;

/**
 * A cipher's sizes, bytes.
 *
 * @param block the cipher's block size (1 for a stream cipher)
 * @param iv explicit IV carried in each ESP packet / SK payload
 * @param salt bytes taken from the end of the key material as nonce salt (RFC 4106 §8.1, RFC 3686 §5.1, RFC 7634
 *     §2)
 * @param icv the AEAD integrity check value (0 when integrity is a separate transform)
 */
public record CipherSizes(int block, int iv, int salt, int icv) {}
