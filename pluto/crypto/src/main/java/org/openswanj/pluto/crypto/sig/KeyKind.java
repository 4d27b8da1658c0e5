package org.openswanj.pluto.crypto.sig;

import java.math.BigInteger;
import java.security.AlgorithmParameters;
import java.security.GeneralSecurityException;
import java.security.Key;
import java.security.interfaces.ECKey;
import java.security.interfaces.EdECKey;
import java.security.interfaces.RSAKey;
import java.security.spec.ECGenParameterSpec;
import java.security.spec.ECParameterSpec;
import java.util.Optional;
import org.openswanj.pluto.crypto.HashAlg;

/** The kinds of signing keys IKE uses, told apart by key type and, for ECDSA, by the curve's group order. */
public enum KeyKind {
  RSA("RSA", HashAlg.SHA2_256, ""),
  /** RFC 4754 §3: method 9 is ECDSA with SHA-256 on P-256 (and so on for 10 and 11). */
  ECDSA_P256("ECDSA P-256", HashAlg.SHA2_256, "secp256r1"),
  ECDSA_P384("ECDSA P-384", HashAlg.SHA2_384, "secp384r1"),
  ECDSA_P521("ECDSA P-521", HashAlg.SHA2_512, "secp521r1"),
  /** RFC 8420 §2: Ed25519 signs the message itself, so the IKEv2 hash is IDENTITY. */
  ED25519("Ed25519", HashAlg.IDENTITY, "");

  private final String label;
  private final HashAlg naturalHash;
  private final BigInteger order;

  KeyKind(String label, HashAlg naturalHash, String curve) {
    this.label = label;
    this.naturalHash = naturalHash;
    this.order = curve.isEmpty() ? BigInteger.ZERO : curveOrder(curve);
  }

  /** As logs name it: "RSA", "ECDSA P-256", "Ed25519". */
  public String label() {
    return label;
  }

  /** The hash that goes with the key: the curve's own for ECDSA (RFC 4754 §3), SHA-256 for RSA. */
  public HashAlg naturalHash() {
    return naturalHash;
  }

  /** The kind of a public or private key; empty for anything else (DSA, other curves, Ed448). */
  public static Optional<KeyKind> of(Key key) {
    if (key instanceof RSAKey) {
      return Optional.of(RSA);
    }
    if (key instanceof ECKey ec && ec.getParams() != null) {
      BigInteger n = ec.getParams().getOrder();
      for (KeyKind k : values()) {
        if (k.order.signum() > 0 && k.order.equals(n)) {
          return Optional.of(k);
        }
      }
      return Optional.empty();
    }
    if (key instanceof EdECKey ed) {
      return "Ed25519".equalsIgnoreCase(ed.getParams().getName()) ? Optional.of(ED25519) : Optional.empty();
    }
    return key != null && "Ed25519".equalsIgnoreCase(key.getAlgorithm()) ? Optional.of(ED25519) : Optional.empty();
  }

  /** RFC 4754 §7: the bytes of r (and of s) on this curve, ceil(bits of the group order / 8); 0 otherwise. */
  public int coordinateBytes() {
    return (order.bitLength() + 7) / 8;
  }

  /** Modulus size of an RSA key; 0 for other keys. */
  public static int rsaBits(Key key) {
    return key instanceof RSAKey r ? r.getModulus().bitLength() : 0;
  }

  private static BigInteger curveOrder(String name) {
    try {
      AlgorithmParameters p = AlgorithmParameters.getInstance("EC");
      p.init(new ECGenParameterSpec(name));
      return p.getParameterSpec(ECParameterSpec.class).getOrder();
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("the JDK lacks curve " + name, e);
    }
  }
}
