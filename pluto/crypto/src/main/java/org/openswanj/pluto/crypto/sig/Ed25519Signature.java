package org.openswanj.pluto.crypto.sig;

import java.security.GeneralSecurityException;
import java.security.Key;
import java.security.KeyFactory;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.interfaces.EdECKey;
import java.security.spec.PKCS8EncodedKeySpec;
import java.security.spec.X509EncodedKeySpec;
import java.util.Optional;
import org.bouncycastle.asn1.edec.EdECObjectIdentifiers;
import org.bouncycastle.asn1.x509.AlgorithmIdentifier;
import org.openswanj.pluto.crypto.HashAlg;

/** Ed25519 (RFC 8032 §5.1) in RFC 7427 method 14 with the "identity" hash (RFC 8420 §2; id-Ed25519, RFC 8410). */
public record Ed25519Signature() implements SignatureScheme {
  @Override
  public String name() {
    return "Ed25519";
  }

  @Override
  public HashAlg hash() {
    return HashAlg.IDENTITY;
  }

  @Override
  public Optional<byte[]> algorithmIdentifier() {
    // RFC 8410 §3: the parameters MUST be absent.
    return Optional.of(Jca.der(new AlgorithmIdentifier(EdECObjectIdentifiers.id_Ed25519)));
  }

  @Override
  public byte[] sign(PrivateKey key, byte[] signedOctets, KeyPolicy policy) throws SigningException {
    PrivateKey k;
    try {
      k = key instanceof EdECKey || key == null ? key
          : KeyFactory.getInstance("Ed25519").generatePrivate(new PKCS8EncodedKeySpec(key.getEncoded()));
    } catch (GeneralSecurityException | RuntimeException e) {
      throw new SigningException("our Ed25519 key cannot be used: " + e.getClass().getSimpleName());
    }
    return Jca.signChecked(this, kind -> kind == KeyKind.ED25519, "Ed25519", null, k, signedOctets, policy);
  }

  @Override
  public SigVerdict verify(PublicKey key, byte[] signedOctets, byte[] signature, KeyPolicy policy) {
    return Jca.verifyChecked(this, kind -> kind == KeyKind.ED25519, "Ed25519", null, jdkKey(key), signedOctets,
        signature, policy);
  }

  /** A key from another provider (Bouncy Castle's) in the JDK's own type, through its X.509 encoding. */
  private static PublicKey jdkKey(PublicKey key) {
    if (key instanceof EdECKey || !isEd25519(key)) {
      return key;
    }
    try {
      return KeyFactory.getInstance("Ed25519").generatePublic(new X509EncodedKeySpec(key.getEncoded()));
    } catch (GeneralSecurityException | RuntimeException e) {
      return key;
    }
  }

  private static boolean isEd25519(Key key) {
    return key != null && "Ed25519".equalsIgnoreCase(key.getAlgorithm());
  }
}
