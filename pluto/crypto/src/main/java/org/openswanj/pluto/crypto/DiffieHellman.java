package org.openswanj.pluto.crypto;

import java.security.SecureRandom;
import org.openswanj.alg.DhGroup;

/** Ephemeral Diffie-Hellman for every group in {@link DhGroup}. */
public final class DiffieHellman {
  private DiffieHellman() {}

  /** A fresh key pair in {@code g}; all randomness comes from {@code r}. */
  public static DhKeyPair generate(DhGroup g, SecureRandom r) {
    return switch (g.kind()) {
      case MODP -> ModpDh.generate(g, r);
      case ECP -> EcpDh.generate(g, r);
      case CURVE25519 -> X25519Dh.generate(r);
    };
  }

  /**
   * A key pair from a known private value, for known-answer tests and replay: MODP and ECP take the
   * big-endian private integer, Curve25519 the 32-byte scalar (RFC 7748 §5).
   */
  public static DhKeyPair fromPrivate(DhGroup g, byte[] privateValue) {
    return switch (g.kind()) {
      case MODP -> ModpDh.fromPrivate(g, privateValue);
      case ECP -> EcpDh.fromPrivate(g, privateValue);
      case CURVE25519 -> X25519Dh.fromPrivate(privateValue);
    };
  }

  /** Big-endian unsigned, left-padded with zeros (or stripped of a sign byte) to {@code len} bytes. */
  static byte[] toFixed(java.math.BigInteger v, int len) {
    byte[] raw = v.toByteArray();
    byte[] out = new byte[len];
    int copy = Math.min(raw.length, len);
    System.arraycopy(raw, raw.length - copy, out, len - copy, copy);
    return out;
  }
}
