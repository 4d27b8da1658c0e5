package org.openswanj.pluto.crypto.sig;

import java.security.PrivateKey;
import java.security.PublicKey;
import java.util.Objects;
import java.util.Optional;
import org.bouncycastle.asn1.ASN1ObjectIdentifier;
import org.bouncycastle.asn1.DERNull;
import org.bouncycastle.asn1.pkcs.PKCSObjectIdentifiers;
import org.bouncycastle.asn1.x509.AlgorithmIdentifier;
import org.openswanj.pluto.crypto.HashAlg;

/**
 * RSASSA-PKCS1-v1_5 (RFC 8017 §8.2) with a DigestInfo: IKEv2 method 1 with SHA-1 (RFC 7296 §3.8), and method 14
 * with shaNNNWithRSAEncryption (RFC 7427 App. A.1).
 */
public record RsaPkcs1Signature(HashAlg hash) implements SignatureScheme {
  public RsaPkcs1Signature {
    Objects.requireNonNull(hash, "hash");
    if (hash == HashAlg.IDENTITY) {
      throw new IllegalArgumentException("RSASSA-PKCS1-v1_5 needs a real hash, not IDENTITY");
    }
  }

  @Override
  public String name() {
    return "RSASSA-PKCS1-v1_5 with " + hash;
  }

  @Override
  public Optional<byte[]> algorithmIdentifier() {
    // RFC 7427 App. A.1: the parameters are an explicit NULL.
    return Optional.of(Jca.der(new AlgorithmIdentifier(oid(hash), DERNull.INSTANCE)));
  }

  @Override
  public byte[] sign(PrivateKey key, byte[] signedOctets, KeyPolicy policy) throws SigningException {
    return Jca.signChecked(this, k -> k == KeyKind.RSA, jcaName(), null, key, signedOctets, policy);
  }

  @Override
  public SigVerdict verify(PublicKey key, byte[] signedOctets, byte[] signature, KeyPolicy policy) {
    return Jca.verifyChecked(this, k -> k == KeyKind.RSA, jcaName(), null, key, signedOctets, signature, policy);
  }

  private String jcaName() {
    return hash.jcaPrefix() + "withRSA";
  }

  static ASN1ObjectIdentifier oid(HashAlg h) {
    return switch (h) {
      case SHA1 -> PKCSObjectIdentifiers.sha1WithRSAEncryption;
      case SHA2_256 -> PKCSObjectIdentifiers.sha256WithRSAEncryption;
      case SHA2_384 -> PKCSObjectIdentifiers.sha384WithRSAEncryption;
      case SHA2_512 -> PKCSObjectIdentifiers.sha512WithRSAEncryption;
      case IDENTITY -> throw new IllegalArgumentException("no shaNNNWithRSAEncryption for IDENTITY");
    };
  }
}
