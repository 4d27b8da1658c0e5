package org.openswanj.pluto.crypto.sig;

import java.security.PrivateKey;
import java.security.PublicKey;
import java.util.Optional;
import org.openswanj.pluto.crypto.HashAlg;

/**
 * One signature scheme over IKE's signed octets (RFC 7296 §2.15 &lt;SignedOctets&gt;, RFC 2409 §5.1 HASH_I/HASH_R).
 * Implementations are immutable values; the key policy comes with each call so a conn can override it.
 */
public interface SignatureScheme {
  /** How logs name it, e.g. "RSASSA-PSS with SHA2_256". */
  String name();

  /** The hash the scheme applies; {@link HashAlg#IDENTITY} where the input is signed as given. */
  HashAlg hash();

  /** The DER AlgorithmIdentifier for RFC 7427 method 14, if the scheme can be announced that way. */
  Optional<byte[]> algorithmIdentifier();

  /**
   * Signs with our own key.
   *
   * @throws SigningException naming the key problem (wrong type, too small, rejected by the provider)
   */
  byte[] sign(PrivateKey key, byte[] signedOctets, KeyPolicy policy) throws SigningException;

  /** Checks a peer's signature; never throws on peer data: every failure is a verdict with its reason. */
  SigVerdict verify(PublicKey key, byte[] signedOctets, byte[] signature, KeyPolicy policy);
}
