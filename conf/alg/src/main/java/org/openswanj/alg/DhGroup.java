package org.openswanj.alg;

import java.util.Optional;

/**
 * Diffie-Hellman groups: IANA "Transform Type 4" numbers, shared by IKEv1 (RFC 2409 §6, RFC 3526) and IKEv2
 * (RFC 7296 §3.3.2, RFC 5903, RFC 8031); public value sizes in bytes (RFC 5903 §7: x‖y for ECP); the JCA curve
 * name for elliptic groups; Openswan's names.
 */
public enum DhGroup implements Algorithm {
  MODP768(1, Kind.MODP, 96, null, Names.of(null, "OAKLEY_GROUP_MODP768", "modp768", "modp768", "dh1")),
  MODP1024(2, Kind.MODP, 128, null, Names.of(null, "OAKLEY_GROUP_MODP1024", "modp1024", "modp1024", "dh2")),
  MODP1536(5, Kind.MODP, 192, null, Names.of(null, "OAKLEY_GROUP_MODP1536", "modp1536", "modp1536", "dh5")),
  MODP2048(14, Kind.MODP, 256, null, Names.of(null, "OAKLEY_GROUP_MODP2048", "modp2048", "modp2048", "dh14")),
  MODP3072(15, Kind.MODP, 384, null, Names.of(null, "OAKLEY_GROUP_MODP3072", "modp3072", "modp3072", "dh15")),
  MODP4096(16, Kind.MODP, 512, null, Names.of(null, "OAKLEY_GROUP_MODP4096", "modp4096", "modp4096", "dh16")),
  MODP6144(17, Kind.MODP, 768, null, Names.of(null, "OAKLEY_GROUP_MODP6144", "modp6144", "modp6144", "dh17")),
  MODP8192(18, Kind.MODP, 1024, null, Names.of(null, "OAKLEY_GROUP_MODP8192", "modp8192", "modp8192", "dh18")),
  ECP256(19, Kind.ECP, 64, "secp256r1", Names.of(null, null, "ecp256", "ecp256", "ecp_256", "dh19")),
  ECP384(20, Kind.ECP, 96, "secp384r1", Names.of(null, null, "ecp384", "ecp384", "ecp_384", "dh20")),
  ECP521(21, Kind.ECP, 132, "secp521r1", Names.of(null, null, "ecp521", "ecp521", "ecp_521", "dh21")),
  CURVE25519(31, Kind.CURVE25519, 32, "X25519", Names.of(null, null, "curve25519", "curve25519", "x25519", "dh31"));

  /** The kind of group, which decides the arithmetic and the KE payload layout. */
  public enum Kind {
    /** Modular exponentiation over a safe prime (RFC 2409 §6, RFC 3526). */
    MODP,
    /** Elliptic curve over a prime field (RFC 5903). */
    ECP,
    /** X25519 (RFC 7748, RFC 8031). */
    CURVE25519
  }

  private final int id;
  private final Kind kind;
  private final int publicValueSize;
  private final String curve;
  private final Names names;

  DhGroup(int id, Kind kind, int publicValueSize, String curve, Names names) {
    this.id = id;
    this.kind = kind;
    this.publicValueSize = publicValueSize;
    this.curve = curve;
    this.names = names;
  }

  /** The IANA group number (IKEv1 and IKEv2 alike). */
  public int id() {
    return id;
  }

  public Kind kind() {
    return kind;
  }

  /** Length of the KE payload's key exchange data, bytes. */
  public int publicValueSize() {
    return publicValueSize;
  }

  /** The JCA curve name ({@code secp256r1}, {@code X25519}), or null for a MODP group. */
  public String curve() {
    return curve;
  }

  /** Every group here is implemented (pluto-crypto's DiffieHellman). */
  @Override
  public boolean implemented() {
    return true;
  }

  @Override
  public Names names() {
    return names;
  }


  public static Optional<DhGroup> byName(String name) {
    return Lookup.byName(values(), name);
  }

  public static Optional<DhGroup> fromId(int id) {
    return Lookup.first(values(), g -> g.id == id);
  }
}
