package org.openswanj.pluto.crypto.sig;

import java.security.PrivateKey;
import java.security.PublicKey;
import java.util.Optional;
import org.openswanj.pluto.crypto.HashAlg;

/**
 * IKEv1 RSA signatures (RFC 2409 §5.1): SIG_I/SIG_R are HASH_I/HASH_R (the negotiated PRF's output) signed with
 * PKCS#1 v1.5 type-1 padding and NO DigestInfo, as Openswan (sign_hash in liboswkeys), strongSwan (SIGN_RSA_EMSA_PKCS1_NULL)
 * and Libreswan do. The JCA's NONEwithRSA is exactly that; its verification checks the whole padding block, so
 * Bleichenbacher's e=3 forgery with garbage after the hash does not pass.
 */
public record Ikev1RsaSignature() implements SignatureScheme {
  @Override
  public String name() {
    return "RSA PKCS#1 v1.5 over HASH (IKEv1)";
  }

  /** The input is the hash already (HASH_I/HASH_R), signed as given. */
  @Override
  public HashAlg hash() {
    return HashAlg.IDENTITY;
  }

  @Override
  public Optional<byte[]> algorithmIdentifier() {
    return Optional.empty();
  }

  @Override
  public byte[] sign(PrivateKey key, byte[] hash, KeyPolicy policy) throws SigningException {
    return Jca.signChecked(this, k -> k == KeyKind.RSA, "NONEwithRSA", null, key, hash, policy);
  }

  @Override
  public SigVerdict verify(PublicKey key, byte[] hash, byte[] signature, KeyPolicy policy) {
    return Jca.verifyChecked(this, k -> k == KeyKind.RSA, "NONEwithRSA", null, key, hash, signature, policy);
  }
}
