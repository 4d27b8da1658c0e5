package org.openswanj.pluto.crypto;

import org.openswanj.alg.DhGroup;

/**
 * One side's ephemeral Diffie-Hellman key. Implementations keep the private value out of
 * {@code toString()}.
 */
public interface DhKeyPair {
  DhGroup group();

  /**
   * KE payload data, RFC 7296 §3.4: MODP big-endian padded to the prime length; ECP x ‖ y (RFC 5903 §7);
   * Curve25519 the 32-byte u-coordinate (RFC 8031 §3).
   */
  byte[] publicValue();

  /**
   * g^ir in the form RFC 7296 §2.14 feeds to the PRF: MODP padded to the prime length, ECP the x-coordinate
   * (RFC 5903 §7), Curve25519 the 32-byte X25519 result (RFC 8031 §3).
   *
   * @throws InvalidKeException wrong length, point not on the curve, MODP value outside 1 &lt; y &lt; p-1,
   *     or an all-zero X25519 result (RFC 7296 §3.4, RFC 5903 §9, RFC 8031 §2)
   */
  byte[] sharedSecret(byte[] peerPublicValue) throws InvalidKeException;
}
