package org.openswanj.conf.alg;

import java.util.List;
import java.util.Optional;

/**
 * Encryption algorithms: config names (Openswan and modern), IANA ids (IKEv2 transform type 1, RFC 7296
 * §3.3.2 / IANA "IKEv2 Transform Type 1"; IKEv1 Oakley encryption attribute, RFC 2409 App. A; IPsec DOI
 * ESP transform ids, RFC 2407 §4.4.4), and sizes. Implementations live in pluto's crypto package.
 */
public enum Encryption {
  //           v2  v1ike v1esp aead  block iv  keyLens(bits) default  salt icv names
  DES3_CBC(    3,   5,    3,  false,  8,   8, new int[] {192}, 192, 0, 0, "3des", "3des_cbc"),
  AES_CBC(    12,   7,   12,  false, 16,  16, new int[] {128, 192, 256}, 128, 0, 0, "aes", "aes_cbc"),
  AES_CTR(    13,  -1,   13,  false, 16,   8, new int[] {128, 192, 256}, 128, 4, 0, "aesctr", "aes_ctr"),
  AES_GCM_8(  18,  18,   18,  true,  16,   8, new int[] {128, 192, 256}, 128, 4, 8, "aes_gcm8", "aes_gcm_a"),
  AES_GCM_12( 19,  19,   19,  true,  16,   8, new int[] {128, 192, 256}, 128, 4, 12, "aes_gcm12", "aes_gcm_b"),
  AES_GCM_16( 20,  20,   20,  true,  16,   8, new int[] {128, 192, 256}, 128, 4, 16, "aes_gcm16", "aes_gcm", "aes_gcm_c"),
  CHACHA20_POLY1305(28, -1, 28, true, 1,   8, new int[] {256}, 256, 4, 16, "chacha20_poly1305", "chacha20poly1305"),
  NULL(       11,  -1,   11,  false,  1,   0, new int[] {0}, 0, 0, 0, "null");

  private final int ikev2Id;
  private final int ikev1Id;
  private final int espV1Id;
  private final boolean aead;
  private final int blockSize;
  private final int ivSize;
  private final int[] keyLengths;
  private final int defaultKeyLength;
  private final int saltSize;
  private final int icvSize;
  private final List<String> names;

  Encryption(int ikev2Id, int ikev1Id, int espV1Id, boolean aead, int blockSize, int ivSize, int[] keyLengths,
      int defaultKeyLength, int saltSize, int icvSize, String... names) {
    this.ikev2Id = ikev2Id;
    this.ikev1Id = ikev1Id;
    this.espV1Id = espV1Id;
    this.aead = aead;
    this.blockSize = blockSize;
    this.ivSize = ivSize;
    this.keyLengths = keyLengths;
    this.defaultKeyLength = defaultKeyLength;
    this.saltSize = saltSize;
    this.icvSize = icvSize;
    this.names = List.of(names);
  }

  /** IKEv2 Transform Type 1 id (also the ESP id in IKEv2). */
  public int ikev2Id() {
    return ikev2Id;
  }

  /** IKEv1 Oakley encryption algorithm attribute value, or -1 when IKEv1 has none. */
  public int ikev1Id() {
    return ikev1Id;
  }

  /** IPsec DOI ESP transform id (IKEv1 Quick Mode). */
  public int espV1Id() {
    return espV1Id;
  }

  public boolean aead() {
    return aead;
  }

  public int blockSize() {
    return blockSize;
  }

  /** Explicit IV size on the wire, bytes. */
  public int ivSize() {
    return ivSize;
  }

  /** Accepted key lengths, bits. */
  public int[] keyLengths() {
    return keyLengths.clone();
  }

  public int defaultKeyLength() {
    return defaultKeyLength;
  }

  /** True if the key length is negotiated with a Key Length attribute (RFC 7296 §3.3.5). */
  public boolean variableKeyLength() {
    return keyLengths.length > 1 || this == AES_GCM_16 || this == AES_GCM_8 || this == AES_GCM_12;
  }

  public boolean acceptsKeyLength(int bits) {
    for (int k : keyLengths) {
      if (k == bits) {
        return true;
      }
    }
    return false;
  }

  /** Salt appended to the key (RFC 4106 §8.1, RFC 3686 §5.1), bytes. */
  public int saltSize() {
    return saltSize;
  }

  /** AEAD ICV size, bytes (0 for non-AEAD). */
  public int icvSize() {
    return icvSize;
  }

  /** The canonical config name (the first one). */
  public String configName() {
    return names.get(0);
  }

  public List<String> names() {
    return names;
  }

  /** A cipher with its key length in bits. */
  public record Keyed(Encryption enc, int bits) {}

  public static Optional<Encryption> byName(String name) {
    return Lookup.byName(values(), Encryption::names, name);
  }

  public static Optional<Encryption> fromIkev2(int id) {
    return Lookup.first(values(), e -> e.ikev2Id == id);
  }

  public static Optional<Encryption> fromIkev1(int id) {
    return Lookup.first(values(), e -> e.ikev1Id == id && id >= 0);
  }

  public static Optional<Encryption> fromEspV1(int id) {
    return Lookup.first(values(), e -> e.espV1Id == id);
  }
}
