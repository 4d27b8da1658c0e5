package org.openswanj.pluto.crypto.sig;

import java.security.PrivateKey;
import java.security.PublicKey;
import java.util.Optional;
import java.util.Set;
import org.openswanj.pluto.crypto.HashAlg;

/**
 * IKEv2 signature authentication, what the IKE_AUTH exchange calls: picks the method and scheme for our key and
 * the peer's SIGNATURE_HASH_ALGORITHMS, and checks a peer's AUTH payload for its method.
 */
public final class Ikev2SignatureAuth {
  /** RFC 7296 §3.8. */
  public static final int RSA_DIGITAL_SIGNATURE = 1;
  /** RFC 4754 §3. */
  public static final int ECDSA_SHA256_P256 = 9;
  public static final int ECDSA_SHA384_P384 = 10;
  public static final int ECDSA_SHA512_P521 = 11;
  /** RFC 7427 §3. */
  public static final int DIGITAL_SIGNATURE = 14;

  private Ikev2SignatureAuth() {}

  /**
   * Our AUTH payload's method and data.
   *
   * @param authMethod the Auth Method field
   * @param authData the Authentication Data
   * @param scheme what signed it (for the log line)
   */
  public record Signed(int authMethod, byte[] authData, SignatureScheme scheme) {
    public Signed {
      authData = authData.clone();
    }

    @Override
    public byte[] authData() {
      return authData.clone();
    }
  }

  /**
   * Signs {@code signedOctets}. With a hash both sides can use (RFC 7427 §4) it is method 14: RSASSA-PSS for RSA
   * keys (RFC 8247 §3.2 prefers it), DER ECDSA, or Ed25519. Without one (the peer sent no
   * SIGNATURE_HASH_ALGORITHMS, as Openswan 2.6 does not) it is the key's classic method: 1 (RSA with SHA-1, the
   * one place SHA-1 is needed) or 9/10/11 (RFC 4754).
   *
   * @throws SigningException if our key cannot sign for this peer (Ed25519 without method 14, too small, ...)
   */
  public static Signed sign(PrivateKey key, byte[] signedOctets, Set<HashAlg> peerHashes, KeyPolicy policy)
      throws SigningException {
    KeyKind kind = KeyKind.of(key).orElseThrow(() -> new SigningException("our " + key.getAlgorithm()
        + " key cannot sign IKEv2 AUTH payloads"));
    Optional<HashAlg> hash = SignatureHashAlgorithms.choose(kind, peerHashes, policy);
    if (hash.isPresent()) {
      SignatureScheme s = method14Scheme(kind, hash.get());
      byte[] sig = s.sign(key, signedOctets, policy);
      byte[] data = new DigitalSignatureAuthData(s.algorithmIdentifier().orElseThrow(), sig).encode();
      return new Signed(DIGITAL_SIGNATURE, data, s);
    }
    if (kind == KeyKind.ED25519) {
      throw new SigningException("Ed25519 needs RFC 7427 signature authentication, but the peer announced no "
          + "SIGNATURE_HASH_ALGORITHMS with identity (RFC 8420 §2)");
    }
    SignatureScheme s = kind == KeyKind.RSA ? new RsaPkcs1Signature(HashAlg.SHA1) : EcdsaSignature.rfc4754(kind);
    return new Signed(classicMethod(kind), s.sign(key, signedOctets, policy), s);
  }

  /** Checks a peer's AUTH payload of a signature method; never throws on peer data. */
  public static SigVerdict verify(int authMethod, PublicKey key, byte[] signedOctets, byte[] authData,
      KeyPolicy policy) {
    switch (authMethod) {
      case RSA_DIGITAL_SIGNATURE:
        return new RsaPkcs1Signature(HashAlg.SHA1).verify(key, signedOctets, authData, policy);
      case ECDSA_SHA256_P256:
        return EcdsaSignature.rfc4754(KeyKind.ECDSA_P256).verify(key, signedOctets, authData, policy);
      case ECDSA_SHA384_P384:
        return EcdsaSignature.rfc4754(KeyKind.ECDSA_P384).verify(key, signedOctets, authData, policy);
      case ECDSA_SHA512_P521:
        return EcdsaSignature.rfc4754(KeyKind.ECDSA_P521).verify(key, signedOctets, authData, policy);
      case DIGITAL_SIGNATURE:
        return verifyMethod14(key, signedOctets, authData, policy);
      default:
        return SigVerdict.unsupported("auth method " + authMethod + " is not a signature method");
    }
  }

  private static SigVerdict verifyMethod14(PublicKey key, byte[] signedOctets, byte[] authData, KeyPolicy policy) {
    Optional<DigitalSignatureAuthData> d = DigitalSignatureAuthData.decode(authData);
    if (d.isEmpty()) {
      return SigVerdict.bad("malformed RFC 7427 Authentication Data (" + authData.length + " bytes): "
          + "the ASN.1 length does not frame one AlgorithmIdentifier followed by a signature");
    }
    SignatureScheme s;
    try {
      s = SignatureSchemes.fromAlgorithmIdentifier(d.get().algorithmIdentifier());
    } catch (UnsupportedSignatureException e) {
      return SigVerdict.unsupported(e.getMessage());
    }
    if (s.hash() == HashAlg.SHA1 && policy.sha1() != KeyPolicy.Sha1Signatures.ALLOWED) {
      return SigVerdict.unsupported(s.name() + " refused: SHA-1 signatures are accepted only in auth method 1");
    }
    return s.verify(key, signedOctets, d.get().signature(), policy);
  }

  private static SignatureScheme method14Scheme(KeyKind kind, HashAlg hash) {
    return switch (kind) {
      case RSA -> RsaPssSignature.of(hash);
      case ECDSA_P256, ECDSA_P384, ECDSA_P521 -> new EcdsaSignature(hash, EcdsaSignature.Encoding.DER);
      case ED25519 -> new Ed25519Signature();
    };
  }

  private static int classicMethod(KeyKind kind) {
    return switch (kind) {
      case ECDSA_P256 -> ECDSA_SHA256_P256;
      case ECDSA_P384 -> ECDSA_SHA384_P384;
      case ECDSA_P521 -> ECDSA_SHA512_P521;
      default -> RSA_DIGITAL_SIGNATURE;
    };
  }
}
