package org.openswanj.pluto.crypto.sig;

import java.util.ArrayList;
import java.util.Collection;
import java.util.EnumSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.openswanj.pluto.crypto.HashAlg;

/**
 * The SIGNATURE_HASH_ALGORITHMS notify (RFC 7427 §4): its data is a list of 16-bit IKEv2 hash algorithm numbers.
 * Sending it in IKE_SA_INIT tells the peer it may use method 14 with any hash listed; the signer picks one the
 * other side announced.
 */
public final class SignatureHashAlgorithms {
  private SignatureHashAlgorithms() {}

  /** The notify data: each hash as two octets in network order, in the order given. */
  public static byte[] encode(Collection<HashAlg> hashes) {
    byte[] out = new byte[2 * hashes.size()];
    int i = 0;
    for (HashAlg h : hashes) {
      out[i++] = (byte) (h.wireValue() >>> 8);
      out[i++] = (byte) h.wireValue();
    }
    return out;
  }

  /**
   * The hashes a peer announced that we know. Unknown numbers are skipped (RFC 7427 §4 lets the list grow); an odd
   * trailing octet is ignored rather than failing the exchange. Never throws.
   */
  public static Set<HashAlg> decode(byte[] data) {
    Set<HashAlg> out = EnumSet.noneOf(HashAlg.class);
    if (data == null) {
      return out;
    }
    for (int i = 0; i + 1 < data.length; i += 2) {
      HashAlg.fromWire(((data[i] & 0xff) << 8) | (data[i + 1] & 0xff)).ifPresent(out::add);
    }
    return out;
  }

  /**
   * What we announce: SHA2-256/384/512 and identity (RFC 8247 §3.2, RFC 8420 §2), SHA-1 only if the policy allows
   * it in method 14.
   */
  public static List<HashAlg> announced(KeyPolicy policy) {
    List<HashAlg> out = new ArrayList<>(List.of(HashAlg.SHA2_256, HashAlg.SHA2_384, HashAlg.SHA2_512,
        HashAlg.IDENTITY));
    if (policy.sha1() == KeyPolicy.Sha1Signatures.ALLOWED) {
      out.add(HashAlg.SHA1);
    }
    return out;
  }

  /**
   * The hash we sign with when the peer announced {@code peer}: Ed25519 needs identity; ECDSA takes its curve's own
   * hash or a stronger one (strongSwan's rule: no hash weaker than the curve); RSA takes SHA2-256, then 384, 512.
   * SHA-1 only if the policy allows it. Empty if nothing fits: then method 14 cannot be used.
   */
  public static Optional<HashAlg> choose(KeyKind key, Set<HashAlg> peer, KeyPolicy policy) {
    for (HashAlg h : preference(key, policy)) {
      if (peer.contains(h)) {
        return Optional.of(h);
      }
    }
    return Optional.empty();
  }

  private static List<HashAlg> preference(KeyKind key, KeyPolicy policy) {
    if (key == KeyKind.ED25519) {
      return List.of(HashAlg.IDENTITY);
    }
    List<HashAlg> out = new ArrayList<>();
    for (HashAlg h : List.of(HashAlg.SHA2_256, HashAlg.SHA2_384, HashAlg.SHA2_512)) {
      if (h.length() >= key.naturalHash().length()) {
        out.add(h);
      }
    }
    if (policy.sha1() == KeyPolicy.Sha1Signatures.ALLOWED && key == KeyKind.RSA) {
      out.add(HashAlg.SHA1);
    }
    return out;
  }
}
