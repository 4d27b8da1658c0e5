package org.openswanj.alg;

/**
 * How a cipher is implemented: its Linux crypto API name (XFRM) and its JCA names; all {@code null} when
 * nothing here implements it ({@link #NONE}).
 *
 * @param xfrm the name XFRM_MSG_NEWSA takes ({@code cbc(aes)}, {@code rfc4106(gcm(aes))})
 * @param transformation the JCA {@code Cipher} transformation ({@code AES/CBC/NoPadding}); null for ENCR_NULL
 * @param keyAlgorithm the JCA key algorithm ({@code AES}, {@code DESede}, {@code ChaCha20})
 */
public record CipherImpl(String xfrm, String transformation, String keyAlgorithm) {
  public static final CipherImpl NONE = new CipherImpl(null, null, null);

  public boolean implemented() {
    return xfrm != null || transformation != null;
  }
}
