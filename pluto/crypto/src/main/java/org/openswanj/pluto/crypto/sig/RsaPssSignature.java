package org.openswanj.pluto.crypto.sig;

import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.spec.MGF1ParameterSpec;
import java.security.spec.PSSParameterSpec;
import java.util.Objects;
import java.util.Optional;
import org.bouncycastle.asn1.ASN1Integer;
import org.bouncycastle.asn1.ASN1ObjectIdentifier;
import org.bouncycastle.asn1.DERNull;
import org.bouncycastle.asn1.pkcs.PKCSObjectIdentifiers;
import org.bouncycastle.asn1.pkcs.RSASSAPSSparams;
import org.bouncycastle.asn1.x509.AlgorithmIdentifier;
import org.openswanj.pluto.crypto.HashAlg;

/**
 * RSASSA-PSS (RFC 8017 §8.1) with MGF1 and trailer field 1, as RFC 7427 method 14 carries it (App. A.4). We sign
 * as strongSwan and Libreswan do: MGF1 with the same hash and a salt as long as the hash, so the
 * AlgorithmIdentifier is the 67-byte blob of RFC 7427 App. A.4.3 for SHA-256. A peer's other parameters
 * (another MGF1 hash, another salt length) are verified as announced.
 *
 * @param hash the message hash
 * @param mgf1Hash the MGF1 hash
 * @param saltLength salt length in bytes
 */
public record RsaPssSignature(HashAlg hash, HashAlg mgf1Hash, int saltLength) implements SignatureScheme {
  /** An upper bound far above any real salt (a 16384-bit key allows 2046 bytes): keeps peer values sane. */
  static final int MAX_SALT = 4096;

  public RsaPssSignature {
    Objects.requireNonNull(hash, "hash");
    Objects.requireNonNull(mgf1Hash, "mgf1Hash");
    if (hash == HashAlg.IDENTITY || mgf1Hash == HashAlg.IDENTITY) {
      throw new IllegalArgumentException("RSASSA-PSS needs real hashes, not IDENTITY");
    }
    if (saltLength < 0 || saltLength > MAX_SALT) {
      throw new IllegalArgumentException("RSASSA-PSS salt length " + saltLength + " out of range");
    }
  }

  /** The parameters strongSwan and Libreswan use: MGF1 with the same hash, salt length = hash length. */
  public static RsaPssSignature of(HashAlg hash) {
    return new RsaPssSignature(hash, hash, hash.length());
  }

  @Override
  public String name() {
    String extra = mgf1Hash == hash && saltLength == hash.length() ? ""
        : " (MGF1 with " + mgf1Hash + ", salt " + saltLength + ")";
    return "RSASSA-PSS with " + hash + extra;
  }

  @Override
  public Optional<byte[]> algorithmIdentifier() {
    AlgorithmIdentifier h = digestId(hash);
    AlgorithmIdentifier mgf = new AlgorithmIdentifier(PKCSObjectIdentifiers.id_mgf1, digestId(mgf1Hash));
    // BC leaves out fields equal to the RFC 4055 defaults (SHA-1, MGF1-SHA-1, 20, 1), as DER requires.
    RSASSAPSSparams params = new RSASSAPSSparams(h, mgf, new ASN1Integer(saltLength), new ASN1Integer(1));
    return Optional.of(Jca.der(new AlgorithmIdentifier(PKCSObjectIdentifiers.id_RSASSA_PSS, params)));
  }

  @Override
  public byte[] sign(PrivateKey key, byte[] signedOctets, KeyPolicy policy) throws SigningException {
    return Jca.signChecked(this, k -> k == KeyKind.RSA, "RSASSA-PSS", spec(), key, signedOctets, policy);
  }

  @Override
  public SigVerdict verify(PublicKey key, byte[] signedOctets, byte[] signature, KeyPolicy policy) {
    return Jca.verifyChecked(this, k -> k == KeyKind.RSA, "RSASSA-PSS", spec(), key, signedOctets, signature,
        policy);
  }

  private PSSParameterSpec spec() {
    return new PSSParameterSpec(hash.jcaDigest(), "MGF1", new MGF1ParameterSpec(mgf1Hash.jcaDigest()), saltLength,
        PSSParameterSpec.TRAILER_FIELD_BC);
  }

  /** RFC 4055 §2.1: hash AlgorithmIdentifiers in PSS parameters carry a NULL, as strongSwan writes them. */
  private static AlgorithmIdentifier digestId(HashAlg h) {
    return new AlgorithmIdentifier(new ASN1ObjectIdentifier(h.oid()), DERNull.INSTANCE);
  }
}
