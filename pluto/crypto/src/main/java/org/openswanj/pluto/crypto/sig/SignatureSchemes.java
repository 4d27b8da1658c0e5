package org.openswanj.pluto.crypto.sig;

import java.math.BigInteger;
import java.util.Optional;
import org.bouncycastle.asn1.ASN1Encodable;
import org.bouncycastle.asn1.ASN1ObjectIdentifier;
import org.bouncycastle.asn1.ASN1Primitive;
import org.bouncycastle.asn1.DERNull;
import org.bouncycastle.asn1.edec.EdECObjectIdentifiers;
import org.bouncycastle.asn1.pkcs.PKCSObjectIdentifiers;
import org.bouncycastle.asn1.pkcs.RSASSAPSSparams;
import org.bouncycastle.asn1.x509.AlgorithmIdentifier;
import org.openswanj.pluto.crypto.HashAlg;

/** Maps an RFC 7427 AlgorithmIdentifier (App. A, RFC 8420) to the scheme that verifies it. */
public final class SignatureSchemes {
  private SignatureSchemes() {}

  /**
   * The scheme a peer's AlgorithmIdentifier names.
   *
   * @throws UnsupportedSignatureException naming the OID or parameter we do not accept
   */
  public static SignatureScheme fromAlgorithmIdentifier(byte[] der) throws UnsupportedSignatureException {
    AlgorithmIdentifier id;
    try {
      id = AlgorithmIdentifier.getInstance(ASN1Primitive.fromByteArray(der));
    } catch (java.io.IOException | RuntimeException e) {
      throw new UnsupportedSignatureException("malformed AlgorithmIdentifier (" + der.length + " bytes)");
    }
    ASN1ObjectIdentifier oid = id.getAlgorithm();
    ASN1Encodable params = id.getParameters();
    Optional<SignatureScheme> simple = pkcs1(oid, params).or(() -> ecdsaOrEd25519(oid, params));
    if (simple.isPresent()) {
      return simple.get();
    }
    if (oid.equals(PKCSObjectIdentifiers.id_RSASSA_PSS)) {
      return pss(params);
    }
    throw new UnsupportedSignatureException("unsupported signature algorithm " + oid.getId()
        + (params == null ? "" : " (or its parameters)"));
  }

  private static Optional<SignatureScheme> pkcs1(ASN1ObjectIdentifier oid, ASN1Encodable params) {
    // RFC 8017 App. A.2.4: NULL parameters; RFC 4055 §5 lets readers accept them absent too.
    if (params != null && !DERNull.INSTANCE.equals(params)) {
      return Optional.empty();
    }
    for (HashAlg h : HashAlg.values()) {
      if (h != HashAlg.IDENTITY && RsaPkcs1Signature.oid(h).equals(oid)) {
        return Optional.of(new RsaPkcs1Signature(h));
      }
    }
    return Optional.empty();
  }

  private static Optional<SignatureScheme> ecdsaOrEd25519(ASN1ObjectIdentifier oid, ASN1Encodable params) {
    // RFC 5758 §3.2 and RFC 8410 §3: these parameters MUST be absent.
    if (params != null) {
      return Optional.empty();
    }
    if (oid.equals(EdECObjectIdentifiers.id_Ed25519)) {
      return Optional.of(new Ed25519Signature());
    }
    for (HashAlg h : HashAlg.values()) {
      if (h != HashAlg.IDENTITY && EcdsaSignature.oid(h).equals(oid)) {
        return Optional.of(new EcdsaSignature(h, EcdsaSignature.Encoding.DER));
      }
    }
    return Optional.empty();
  }

  /** RFC 4055 §3.1 RSASSA-PSS-params; absent or empty parameters mean the defaults (RFC 7427 App. A.4.1). */
  private static SignatureScheme pss(ASN1Encodable params) throws UnsupportedSignatureException {
    RSASSAPSSparams p;
    try {
      p = params == null ? new RSASSAPSSparams() : RSASSAPSSparams.getInstance(params);
    } catch (RuntimeException e) {
      throw new UnsupportedSignatureException("malformed RSASSA-PSS parameters");
    }
    HashAlg hash = digest(p.getHashAlgorithm(), "hash");
    AlgorithmIdentifier mgf = p.getMaskGenAlgorithm();
    if (!PKCSObjectIdentifiers.id_mgf1.equals(mgf.getAlgorithm())) {
      throw new UnsupportedSignatureException("RSASSA-PSS mask generation " + mgf.getAlgorithm().getId()
          + " is not MGF1");
    }
    AlgorithmIdentifier mgfHash;
    try {
      mgfHash = AlgorithmIdentifier.getInstance(mgf.getParameters());
    } catch (RuntimeException e) {
      throw new UnsupportedSignatureException("malformed RSASSA-PSS MGF1 parameters");
    }
    if (mgfHash == null) {
      throw new UnsupportedSignatureException("RSASSA-PSS MGF1 without a hash");
    }
    BigInteger salt = p.getSaltLength();
    BigInteger trailer = p.getTrailerField();
    if (!BigInteger.ONE.equals(trailer)) {
      throw new UnsupportedSignatureException("RSASSA-PSS trailer field " + trailer + " is not 1 (RFC 8017 §9.1)");
    }
    if (salt.signum() < 0 || salt.compareTo(BigInteger.valueOf(RsaPssSignature.MAX_SALT)) > 0) {
      throw new UnsupportedSignatureException("RSASSA-PSS salt length " + salt + " is out of range");
    }
    return new RsaPssSignature(hash, digest(mgfHash, "MGF1 hash"), salt.intValue());
  }

  private static HashAlg digest(AlgorithmIdentifier id, String what) throws UnsupportedSignatureException {
    ASN1Encodable params = id.getParameters();
    if (params != null && !DERNull.INSTANCE.equals(params)) {
      throw new UnsupportedSignatureException("RSASSA-PSS " + what + " has unexpected parameters");
    }
    return HashAlg.fromOid(id.getAlgorithm().getId()).orElseThrow(() -> new UnsupportedSignatureException(
        "RSASSA-PSS " + what + " " + id.getAlgorithm().getId() + " is not SHA-1 or SHA-2"));
  }
}
