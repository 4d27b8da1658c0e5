package org.openswanj.alg;

/**
 * How a MAC-based transform (integrity or PRF) is implemented; {@link #NONE} when nothing here implements it.
 *
 * @param construction HMAC (RFC 2104) or AES-XCBC (RFC 3566); null when not implemented
 * @param xfrm the name XFRM_MSG_NEWSA takes ({@code hmac(sha256)}); null for a PRF
 * @param mac the JCA {@code Mac} name ({@code HmacSHA256}); null for AES-XCBC, which neither the JDK nor Bouncy
 *     Castle provides (pluto-crypto implements RFC 3566 itself)
 * @param digest the JCA {@code MessageDigest} of the HMAC's hash, for IKEv1's other hash uses (RFC 2409 App. B
 *     IVs, RFC 3947 §3.2 NAT-D); null for AES-XCBC
 */
public record MacImpl(Construction construction, String xfrm, String mac, String digest) {
  public static final MacImpl NONE = new MacImpl(null, null, null, null);

  /** The MAC construction, which decides how a key is used. */
  public enum Construction {
    HMAC,
    AES_XCBC
  }

  public boolean implemented() {
    return construction != null;
  }

  static MacImpl hmac(String xfrm, String mac, String digest) {
    return new MacImpl(Construction.HMAC, xfrm, mac, digest);
  }
}
