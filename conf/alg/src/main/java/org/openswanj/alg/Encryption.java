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
      new CipherImpl("ecb(cipher_null)", null, null), Names.of("ESP_NULL", null, "null", "null")),

  // Parsed as Openswan 2.6 parsed them (lib/libopenswan/alg_info.c: ESP_ + name, OAKLEY_ + name + _CBC), so a
  // config that names them loads; nothing here implements them, so a conn using one is refused when added.
  // Ids: RFC 2407 §4.4.4, RFC 2409 App. A, IANA IKEv2 Transform Type 1; Openswan's private-use ids for the rest.
  DES_CBC(new IanaIds(2, 1, 2), CipherMode.CBC, cbc(8), bits(64), CipherImpl.NONE,
      Names.of("ESP_DES", "OAKLEY_DES_CBC", "oakley_des_cbc", "des", "des_cbc")),
  IDEA_CBC(new IanaIds(5, 2, 5), CipherMode.CBC, cbc(8), bits(128), CipherImpl.NONE,
      Names.of("ESP_IDEA", "OAKLEY_IDEA_CBC", "idea", "idea", "idea_cbc")),
  RC5_CBC(new IanaIds(4, 4, 4), CipherMode.CBC, cbc(8), range(128, 40, 2040), CipherImpl.NONE,
      Names.of("ESP_RC5", "OAKLEY_RC5_R16_B64_CBC", "rc5", "rc5", "rc5_r16_b64")),
  CAST_CBC(new IanaIds(6, 6, 6), CipherMode.CBC, cbc(8), range(128, 40, 128), CipherImpl.NONE,
      Names.of("ESP_CAST", "OAKLEY_CAST_CBC", "cast", "cast", "cast_cbc", "cast128")),
  BLOWFISH_CBC(new IanaIds(7, 3, 7), CipherMode.CBC, cbc(8), range(128, 40, 448), CipherImpl.NONE,
      Names.of("ESP_BLOWFISH", "OAKLEY_BLOWFISH_CBC", "blowfish", "blowfish", "blowfish_cbc")),
  // RFC 4309: CCM with 8-, 12- and 16-byte ICVs, a 3-byte salt
  AES_CCM_8(new IanaIds(14, IanaIds.NONE, 14), CipherMode.AEAD, new CipherSizes(16, 8, 3, 8), bits(128, 192, 256),
      CipherImpl.NONE, Names.of("ESP_AES_CCM_A", null, "aes_ccm_8", "aes_ccm8", "aes_ccm_a")),
  AES_CCM_12(new IanaIds(15, IanaIds.NONE, 15), CipherMode.AEAD, new CipherSizes(16, 8, 3, 12), bits(128, 192, 256),
      CipherImpl.NONE, Names.of("ESP_AES_CCM_B", null, "aes_ccm_12", "aes_ccm12", "aes_ccm_b")),
  AES_CCM_16(new IanaIds(16, IanaIds.NONE, 16), CipherMode.AEAD, new CipherSizes(16, 8, 3, 16), bits(128, 192, 256),
      CipherImpl.NONE, Names.of("ESP_AES_CCM_C", null, "aes_ccm_16", "aes_ccm16", "aes_ccm", "aes_ccm_c")),
  CAMELLIA_CBC(new IanaIds(23, 8, 22), CipherMode.CBC, cbc(16), bits(128, 192, 256), CipherImpl.NONE,
      Names.of("ESP_CAMELLIA", "OAKLEY_CAMELLIA_CBC", "camellia", "camellia", "camellia_cbc")),
  SEED_CBC(new IanaIds(IanaIds.NONE, IanaIds.NONE, 21), CipherMode.CBC, cbc(16), bits(128), CipherImpl.NONE,
      Names.of("ESP_SEED_CBC", null, "seed_cbc", "seed_cbc", "seed")),
  SERPENT_CBC(new IanaIds(IanaIds.NONE, 65004, 252), CipherMode.CBC, cbc(16), bits(128, 192, 256), CipherImpl.NONE,
      Names.of("ESP_SERPENT", "OAKLEY_SERPENT_CBC", "serpent", "serpent", "serpent_cbc")),
  TWOFISH_CBC(new IanaIds(IanaIds.NONE, 65005, 253), CipherMode.CBC, cbc(16), bits(128, 192, 256), CipherImpl.NONE,
      Names.of("ESP_TWOFISH", "OAKLEY_TWOFISH_CBC", "twofish", "twofish", "twofish_cbc")),
  MARS_CBC(new IanaIds(IanaIds.NONE, 65001, 249), CipherMode.CBC, cbc(16), range(128, 128, 448), CipherImpl.NONE,
      Names.of("ESP_MARS", "OAKLEY_MARS_CBC", "mars", "mars", "mars_cbc")),
  RC6_CBC(new IanaIds(IanaIds.NONE, 65002, 250), CipherMode.CBC, cbc(16), bits(128, 192, 256), CipherImpl.NONE,
      Names.of("ESP_RC6", "OAKLEY_RC6_CBC", "rc6", "rc6", "rc6_cbc"));

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

  /** Key lengths min..max in steps of 8 bits, the default first. */
  private static int[] range(int dflt, int min, int max) {
    int[] out = new int[(max - min) / 8 + 1];
    out[0] = dflt;
    int n = 1;
    for (int b = min; b <= max; b += 8) {
      if (b != dflt) {
        out[n++] = b;
      }
    }
    return out;
  }

  /** A CBC block cipher's sizes: the IV is one block (RFC 2451 §2.3), no salt, no ICV of its own. */
  private static CipherSizes cbc(int block) {
    return new CipherSizes(block, block, 0, 0);
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
    return Lookup.first(values(), e -> e.ids.ikev2() == id && id >= 0);
  }

  public static Optional<Encryption> fromIkev1(int id) {
    return Lookup.first(values(), e -> e.ids.ikev1() == id && id >= 0);
  }

  public static Optional<Encryption> fromEspV1(int id) {
    return Lookup.first(values(), e -> e.ids.ipsecDoi() == id && id >= 0);
  }
}
