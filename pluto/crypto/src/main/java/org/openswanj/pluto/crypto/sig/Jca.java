package org.openswanj.pluto.crypto.sig;

import java.security.GeneralSecurityException;
import java.security.Key;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.Signature;
import java.security.spec.AlgorithmParameterSpec;
import java.util.Optional;
import java.util.function.Predicate;

/** The JCA calls every scheme makes: one place that turns provider exceptions into our outcomes. */
final class Jca {
  private Jca() {}

  static byte[] sign(String algorithm, AlgorithmParameterSpec spec, PrivateKey key, byte[] data)
      throws SigningException {
    try {
      Signature s = Signature.getInstance(algorithm);
      if (spec != null) {
        s.setParameter(spec);
      }
      s.initSign(key);
      s.update(data);
      return s.sign();
    } catch (GeneralSecurityException | RuntimeException e) {
      throw new SigningException(algorithm + " signing with our " + key.getAlgorithm() + " key failed: "
          + e.getClass().getSimpleName());
    }
  }

  /** False for any failure: a malformed signature or key is just a signature that does not verify. */
  static boolean verify(String algorithm, AlgorithmParameterSpec spec, PublicKey key, byte[] data, byte[] sig) {
    try {
      Signature s = Signature.getInstance(algorithm);
      if (spec != null) {
        s.setParameter(spec);
      }
      s.initVerify(key);
      s.update(data);
      return s.verify(sig);
    } catch (GeneralSecurityException | RuntimeException e) {
      return false;
    }
  }

  /** Empty when {@code key} is of a kind {@code wanted} accepts and the policy allows it; else the reason. */
  static Optional<String> keyProblem(Key key, KeyPolicy policy, String scheme, Predicate<KeyKind> wanted) {
    Optional<KeyKind> kind = key == null ? Optional.empty() : KeyKind.of(key);
    if (kind.isEmpty() || !wanted.test(kind.get())) {
      String have = kind.map(KeyKind::label).orElse(key == null ? "missing" : key.getAlgorithm());
      return Optional.of(scheme + " cannot use a " + have + " key");
    }
    return policy.refusal(key);
  }

  /** The common sign path: refuse unusable keys with their reason, then sign. */
  static byte[] signChecked(SignatureScheme scheme, Predicate<KeyKind> wanted, String algorithm,
      AlgorithmParameterSpec spec, PrivateKey key, byte[] data, KeyPolicy policy) throws SigningException {
    Optional<String> problem = keyProblem(key, policy, scheme.name(), wanted);
    if (problem.isPresent()) {
      throw new SigningException(problem.get());
    }
    return sign(algorithm, spec, key, data);
  }

  /** The common verify path: a refused key or a failed check becomes a verdict naming the scheme. */
  static SigVerdict verifyChecked(SignatureScheme scheme, Predicate<KeyKind> wanted, String algorithm,
      AlgorithmParameterSpec spec, PublicKey key, byte[] data, byte[] sig, KeyPolicy policy) {
    Optional<String> problem = keyProblem(key, policy, scheme.name(), wanted);
    if (problem.isPresent()) {
      return SigVerdict.keyRefused(problem.get());
    }
    return verify(algorithm, spec, key, data, sig) ? SigVerdict.valid()
        : SigVerdict.bad(scheme.name() + " signature does not verify with the peer's "
            + KeyKind.of(key).map(KeyKind::label).orElse("") + keySize(key) + " key");
  }

  private static String keySize(Key key) {
    int bits = KeyKind.rsaBits(key);
    return bits > 0 ? " " + bits + "-bit" : "";
  }

  static byte[] der(org.bouncycastle.asn1.ASN1Encodable o) {
    try {
      return o.toASN1Primitive().getEncoded(org.bouncycastle.asn1.ASN1Encoding.DER);
    } catch (java.io.IOException e) {
      throw new IllegalStateException("DER encoding of a constant AlgorithmIdentifier failed", e);
    }
  }
}
