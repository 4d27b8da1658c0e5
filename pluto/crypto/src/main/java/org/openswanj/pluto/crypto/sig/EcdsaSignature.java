package org.openswanj.pluto.crypto.sig;

import java.io.IOException;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.util.Arrays;
import java.util.Objects;
import java.util.Optional;
import org.bouncycastle.asn1.ASN1Encodable;
import org.bouncycastle.asn1.ASN1Encoding;
import org.bouncycastle.asn1.ASN1Integer;
import org.bouncycastle.asn1.ASN1ObjectIdentifier;
import org.bouncycastle.asn1.ASN1Primitive;
import org.bouncycastle.asn1.ASN1Sequence;
import org.bouncycastle.asn1.x509.AlgorithmIdentifier;
import org.bouncycastle.asn1.x9.X9ObjectIdentifiers;
import org.openswanj.pluto.crypto.HashAlg;

/**
 * ECDSA in IKEv2's two encodings: RFC 4754 methods 9/10/11 (the curve fixed by the method, signature r ‖ s with
 * each integer left-padded to the curve's size, §7) and RFC 7427 method 14 (ecdsa-with-SHA*, App. A.3, signature
 * as the DER Ecdsa-Sig-Value of RFC 3279 §2.2.3, on any curve we know); and IKEv1's RFC 4754 methods, which sign
 * HASH_I/HASH_R as given ({@link Input#DIGEST}).
 *
 * @param hash the hash: applied to the input, or (with {@link Input#DIGEST}) the one that made it
 * @param encoding the signature encoding, which also decides whether the curve is bound to the hash
 * @param input whether the scheme hashes its input or signs a digest made by the protocol
 */
public record EcdsaSignature(HashAlg hash, Encoding encoding, Input input) implements SignatureScheme {
  /** How r and s travel. */
  public enum Encoding {
    /** RFC 4754 §7: r ‖ s, fixed length; only with the curve that goes with the hash. */
    FIXED_R_S,
    /** RFC 7427 §3 / RFC 3279 §2.2.3: DER SEQUENCE { r, s }. */
    DER
  }

  /** What the scheme is given to sign. */
  public enum Input {
    /** IKEv2's signed octets, hashed here with {@link #hash()}. */
    MESSAGE,
    /**
     * IKEv1's HASH_I/HASH_R, already HMAC-{@link #hash()} output (RFC 4754 §4 with RFC 2409 §5.1): signed as is,
     * as strongSwan's ECDSA_WITH_NULL does.
     */
    DIGEST
  }

  public EcdsaSignature(HashAlg hash, Encoding encoding) {
    this(hash, encoding, Input.MESSAGE);
  }

  public EcdsaSignature {
    Objects.requireNonNull(hash, "hash");
    Objects.requireNonNull(encoding, "encoding");
    Objects.requireNonNull(input, "input");
    if (hash == HashAlg.IDENTITY) {
      throw new IllegalArgumentException("ECDSA needs a real hash, not IDENTITY");
    }
    if (encoding == Encoding.FIXED_R_S && curveOf(hash).isEmpty()) {
      throw new IllegalArgumentException("RFC 4754 has no method for ECDSA with " + hash);
    }
  }

  /** RFC 4754 §3: the method for the key's curve (P-256 → 9 with SHA-256, P-384 → 10, P-521 → 11). */
  public static EcdsaSignature rfc4754(KeyKind curve) {
    if (curve != KeyKind.ECDSA_P256 && curve != KeyKind.ECDSA_P384 && curve != KeyKind.ECDSA_P521) {
      throw new IllegalArgumentException(curve + " is not an RFC 4754 curve");
    }
    return new EcdsaSignature(curve.naturalHash(), Encoding.FIXED_R_S);
  }

  /**
   * IKEv1 (RFC 4754 §3, §7): method 9/10/11 by the key's curve; signs HASH_I/HASH_R, which the method's hash made,
   * and sends r ‖ s of fixed length.
   */
  public static EcdsaSignature ikev1(KeyKind curve) {
    return new EcdsaSignature(rfc4754(curve).hash(), Encoding.FIXED_R_S, Input.DIGEST);
  }

  /** RFC 4754 §7: the r ‖ s length of the curve this method is bound to; 0 for DER (variable). */
  public int fixedLength() {
    return encoding == Encoding.FIXED_R_S ? 2 * curveOf(hash).orElseThrow().coordinateBytes() : 0;
  }

  @Override
  public String name() {
    return encoding == Encoding.FIXED_R_S ? "ECDSA " + curveOf(hash).orElseThrow().label().substring(6) + " with "
        + hash + (input == Input.DIGEST ? " (RFC 4754, IKEv1)" : " (RFC 4754)") : "ECDSA with " + hash;
  }

  @Override
  public Optional<byte[]> algorithmIdentifier() {
    if (encoding == Encoding.FIXED_R_S) {
      return Optional.empty();
    }
    // RFC 7427 App. A.3 (RFC 5758 §3.2): ecdsa-with-SHA* have absent parameters.
    return Optional.of(Jca.der(new AlgorithmIdentifier(oid(hash))));
  }

  @Override
  public byte[] sign(PrivateKey key, byte[] signedOctets, KeyPolicy policy) throws SigningException {
    return Jca.signChecked(this, this::fits, jcaName(), null, key, signedOctets, policy);
  }

  @Override
  public SigVerdict verify(PublicKey key, byte[] signedOctets, byte[] signature, KeyPolicy policy) {
    if (encoding == Encoding.DER && !canonicalDer(signature)) {
      // The JDK reads some BER forms (a missing leading zero); Wycheproof's BER_ENCODING vectors must fail.
      return SigVerdict.bad(name() + " signature is not a DER Ecdsa-Sig-Value of two positive INTEGERs");
    }
    // a key on another curve is the more useful reason, so the length is judged only for a key that fits
    if (encoding == Encoding.FIXED_R_S && signature.length != fixedLength()
        && Jca.keyProblem(key, policy, name(), this::fits).isEmpty()) {
      return SigVerdict.bad(name() + " signature is " + signature.length + " bytes; RFC 4754 §7 requires "
          + fixedLength() + " (r and s of " + fixedLength() / 2 + " bytes each)");
    }
    return Jca.verifyChecked(this, this::fits, jcaName(), null, key, signedOctets, signature, policy);
  }

  /** RFC 3279 §2.2.3: exactly SEQUENCE { r INTEGER, s INTEGER } in DER, both positive. */
  private static boolean canonicalDer(byte[] sig) {
    try {
      ASN1Primitive p = ASN1Primitive.fromByteArray(sig);
      if (!(p instanceof ASN1Sequence seq) || seq.size() != 2) {
        return false;
      }
      for (ASN1Encodable e : seq) {
        if (!(e instanceof ASN1Integer i) || i.getValue().signum() <= 0) {
          return false;
        }
      }
      return Arrays.equals(p.getEncoded(ASN1Encoding.DER), sig);
    } catch (IOException | RuntimeException e) {
      return false;
    }
  }

  private boolean fits(KeyKind k) {
    if (encoding == Encoding.FIXED_R_S) {
      return curveOf(hash).map(c -> c == k).orElse(false);
    }
    return k == KeyKind.ECDSA_P256 || k == KeyKind.ECDSA_P384 || k == KeyKind.ECDSA_P521;
  }

  private String jcaName() {
    return (input == Input.DIGEST ? "NONE" : hash.jcaPrefix())
        + (encoding == Encoding.FIXED_R_S ? "withECDSAinP1363Format" : "withECDSA");
  }

  private static Optional<KeyKind> curveOf(HashAlg h) {
    return switch (h) {
      case SHA2_256 -> Optional.of(KeyKind.ECDSA_P256);
      case SHA2_384 -> Optional.of(KeyKind.ECDSA_P384);
      case SHA2_512 -> Optional.of(KeyKind.ECDSA_P521);
      default -> Optional.empty();
    };
  }

  static ASN1ObjectIdentifier oid(HashAlg h) {
    return switch (h) {
      case SHA1 -> X9ObjectIdentifiers.ecdsa_with_SHA1;
      case SHA2_256 -> X9ObjectIdentifiers.ecdsa_with_SHA256;
      case SHA2_384 -> X9ObjectIdentifiers.ecdsa_with_SHA384;
      case SHA2_512 -> X9ObjectIdentifiers.ecdsa_with_SHA512;
      case IDENTITY -> throw new IllegalArgumentException("no ecdsa-with OID for IDENTITY");
    };
  }
}
