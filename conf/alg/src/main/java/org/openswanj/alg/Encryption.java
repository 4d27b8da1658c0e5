package org.openswanj.alg;

import java.util.Optional;

/**
 * Encryption algorithms, one descriptor each: IANA ids, mode, sizes, key lengths, implementation names and
 * Openswan's names. Key lengths are in bits, sizes in bytes; the first key length is the default.
 */
public enum Encryption implements Algorithm {
  DES3_CBC(new IanaIds(3, 5, 3), CipherMode.CBC, new CipherSizes(8, 8, 0, 0), bits(192),
      new CipherImpl("cbc(des3_ede)", "DESede/CBC/NoPadding", "DESede"),
      Names.of("ESP_3DES", "OAKLEY_3DES_CBC", "oakley_3des_cbc", "3des", "3des_cbc")),
  AES_CBC(new IanaIds(12, 7, 12), CipherMode.CBC, new CipherSizes(16, 16, 0, 0), bits(128, 192, 256),
      new CipherImpl("cbc(aes)", "AES/CBC/NoPadding", "AES"),
      Names.of("ESP_AES", "OAKLEY_AES_CBC", "aes", "aes", "aes_cbc")),
  // RFC 3686 §5.1: a 4-byte nonce follows the key; the ESP IV is 8 bytes.
  AES_CTR(new IanaIds(13, IanaIds.NONE, 13), CipherMode.CTR, new CipherSizes(16, 8, 4, 0), bits(128, 192, 256),
      new CipherImpl("rfc3686(ctr(aes))", "AES/CTR/NoPadding", "AES"),
      Names.of("ESP_AES_CTR", null, "aes_ctr", "aesctr", "aes_ctr")),
  // RFC 4106 §8.1 salt, §3.1 8-byte IV, §6 ICVs of 8, 12, 16 bytes. The IKEv1 ids are the IPsec DOI ones: RFC
  // 2409 defines no GCM for phase 1.
  AES_GCM_8(new IanaIds(18, 18, 18), CipherMode.AEAD, new CipherSizes(16, 8, 4, 8), bits(128, 192, 256),
      new CipherImpl("rfc4106(gcm(aes))", "AES/GCM/NoPadding", "AES"),
      Names.of("ESP_AES_GCM_A", null, "aes_gcm_8", "aes_gcm8", "aes_gcm_a")),
  AES_GCM_12(new IanaIds(19, 19, 19), CipherMode.AEAD, new CipherSizes(16, 8, 4, 12), bits(128, 192, 256),
      new CipherImpl("rfc4106(gcm(aes))", "AES/GCM/NoPadding", "AES"),
      Names.of("ESP_AES_GCM_B", null, "aes_gcm_12", "aes_gcm12", "aes_gcm_b")),
  AES_GCM_16(new IanaIds(20, 20, 20), CipherMode.AEAD, new CipherSizes(16, 8, 4, 16), bits(128, 192, 256),
      new CipherImpl("rfc4106(gcm(aes))", "AES/GCM/NoPadding", "AES"),
      Names.of("ESP_AES_GCM_C", null, "aes_gcm_16", "aes_gcm16", "aes_gcm", "aes_gcm_c")),
  // RFC 7634 §2: 256-bit key, 4-byte salt, 8-byte IV, 16-byte tag.
  CHACHA20_POLY1305(new IanaIds(28, IanaIds.NONE, 28), CipherMode.AEAD, new CipherSizes(1, 8, 4, 16), bits(256),
      new CipherImpl("rfc7539esp(chacha20,poly1305)", "ChaCha20-Poly1305", "ChaCha20"),
      Names.of("ESP_CHACHA20_POLY1305", null, "chacha20_poly1305", "chacha20_poly1305", "chacha20poly1305")),
  NULL(new IanaIds(11, IanaIds.NONE, 11), CipherMode.NONE, new CipherSizes(1, 0, 0, 0), bits(0),
      new CipherImpl("ecb(cipher_null)", null, null), Names.of("ESP_NULL", null, "null", "null"));

  private final IanaIds ids;
  private final CipherMode mode;
  private final CipherSizes sizes;
  private final int[] keyLengths;
  private final CipherImpl impl;
  private final Names names;

  Encryption(IanaIds ids, CipherMode mode, CipherSizes sizes, int[] keyLengths, CipherImpl impl, Names names) {
    this.ids = ids;
    this.mode = mode;
    this.sizes = sizes;
    this.keyLengths = keyLengths;
    this.impl = impl;
    this.names = names;
  }

  private static int[] bits(int... b) {
    return b;
  }

  public IanaIds ids() {
    return ids;
  }

  /** IKEv2 Transform Type 1 id (also the ESP id in IKEv2). */
  public int ikev2Id() {
    return ids.ikev2();
  }

  /** IKEv1 Oakley encryption algorithm attribute value, or -1 when IKEv1 has none. */
  public int ikev1Id() {
    return ids.ikev1();
  }

  /** IPsec DOI ESP transform id (IKEv1 Quick Mode). */
  public int espV1Id() {
    return ids.ipsecDoi();
  }

  public CipherMode mode() {
    return mode;
  }

  public boolean aead() {
    return mode == CipherMode.AEAD;
  }

  public CipherSizes sizes() {
    return sizes;
  }

  public int blockSize() {
    return sizes.block();
  }

  /** Explicit IV size on the wire, bytes. */
  public int ivSize() {
    return sizes.iv();
  }

  /** Salt appended to the key (RFC 4106 §8.1, RFC 3686 §5.1), bytes. */
  public int saltSize() {
    return sizes.salt();
  }

  /** AEAD ICV size, bytes (0 for non-AEAD). */
  public int icvSize() {
    return sizes.icv();
  }

  /** Accepted key lengths, bits. */
  public int[] keyLengths() {
    return keyLengths.clone();
  }

  public int defaultKeyLength() {
    return keyLengths[0];
  }

  /** True if the key length is negotiated with a Key Length attribute (RFC 7296 §3.3.5, RFC 2409 App. A). */
  public boolean variableKeyLength() {
    return keyLengths.length > 1;
  }

  public boolean acceptsKeyLength(int bits) {
    for (int k : keyLengths) {
      if (k == bits) {
        return true;
      }
    }
    return false;
  }

  /** Bytes of key material for a key of {@code bits}: the key plus the salt. */
  public int keyMaterialSize(int bits) {
    return bits / 8 + sizes.salt();
  }

  public CipherImpl impl() {
    return impl;
  }

  /** The Linux crypto API name XFRM takes, or null if the kernel backends cannot install it. */
  public String xfrmName() {
    return impl.xfrm();
  }

  @Override
  public boolean implemented() {
    return impl.implemented();
  }

  @Override
  public Names names() {
    return names;
  }


  /** A cipher with its key length in bits. */
  public record Keyed(Encryption enc, int bits) {}

  public static Optional<Encryption> byName(String name) {
    return Lookup.byName(values(), name);
  }

  public static Optional<Encryption> fromIkev2(int id) {
    return Lookup.first(values(), e -> e.ids.ikev2() == id);
  }

  public static Optional<Encryption> fromIkev1(int id) {
    return Lookup.first(values(), e -> e.ids.ikev1() == id && id >= 0);
  }

  public static Optional<Encryption> fromEspV1(int id) {
    return Lookup.first(values(), e -> e.ids.ipsecDoi() == id && id >= 0);
  }
}
