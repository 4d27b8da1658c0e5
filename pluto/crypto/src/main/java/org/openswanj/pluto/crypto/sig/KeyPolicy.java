package org.openswanj.pluto.crypto.sig;

import java.security.Key;
import java.util.Optional;

/**
 * What keys and hashes signatures may use. RSA keys below {@link #minRsaBits} are refused (issue 13 item 8:
 * 512-bit peer keys used to pass); the conf layer may pass a per-conn override.
 *
 * @param minRsaBits smallest RSA modulus accepted, for peers' keys and ours
 * @param sha1 where SHA-1 signatures are accepted
 */
public record KeyPolicy(int minRsaBits, Sha1Signatures sha1) {
  /** RFC 8247 §3.2 recommends 2048-bit RSA at least; NIST SP 800-131A disallows less since 2013. */
  public static final int DEFAULT_MIN_RSA_BITS = 2048;

  /** The default: RSA of 2048 bits or more, SHA-1 only where the protocol leaves no choice. */
  public static final KeyPolicy DEFAULT = new KeyPolicy(DEFAULT_MIN_RSA_BITS, Sha1Signatures.ONLY_WHERE_REQUIRED);

  /** Where SHA-1 may be used in signatures. */
  public enum Sha1Signatures {
    /**
     * Only in IKEv2 auth method 1 (RFC 7296 §3.8 fixes SHA-1 for it, used with peers that send no
     * SIGNATURE_HASH_ALGORITHMS) and IKEv1; refused in RFC 7427 method 14, where the peer could choose better.
     */
    ONLY_WHERE_REQUIRED,
    /** Also in method 14 (RFC 7427 §4 lists SHA-1; RFC 8247 §3.2 says MUST NOT, so only on request). */
    ALLOWED
  }

  public KeyPolicy {
    if (minRsaBits < 0) {
      throw new IllegalArgumentException("minRsaBits " + minRsaBits + " < 0");
    }
    if (sha1 == null) {
      throw new IllegalArgumentException("sha1 policy missing");
    }
  }

  /** The same policy with another RSA minimum (a conn's override). */
  public KeyPolicy withMinRsaBits(int bits) {
    return new KeyPolicy(bits, sha1);
  }

  /** Empty if {@code key} may be used; otherwise the reason, naming the key's size. */
  public Optional<String> refusal(Key key) {
    Optional<KeyKind> kind = KeyKind.of(key);
    if (kind.isEmpty()) {
      return Optional.of("unsupported key type " + key.getAlgorithm());
    }
    if (kind.get() == KeyKind.RSA) {
      int bits = KeyKind.rsaBits(key);
      if (bits < minRsaBits) {
        return Optional.of("RSA key of " + bits + " bits is too small: at least " + minRsaBits
            + " bits are required");
      }
    }
    return Optional.empty();
  }
}
