package org.openswanj.conf.alg;

import java.util.List;
import java.util.Optional;

/**
 * Diffie-Hellman groups: IANA "Transform Type 4" numbers, shared by IKEv1 (RFC 2409 §6, RFC 3526) and
 * IKEv2 (RFC 7296 §3.3.2, RFC 5903, RFC 8031); public value sizes in bytes (RFC 5903 §7: x||y for ECP).
 */
public enum DhGroup {
  MODP768(1, 96, "modp768", "dh1"),
  MODP1024(2, 128, "modp1024", "dh2"),
  MODP1536(5, 192, "modp1536", "dh5"),
  MODP2048(14, 256, "modp2048", "dh14"),
  MODP3072(15, 384, "modp3072", "dh15"),
  MODP4096(16, 512, "modp4096", "dh16"),
  MODP6144(17, 768, "modp6144", "dh17"),
  MODP8192(18, 1024, "modp8192", "dh18"),
  ECP256(19, 64, "ecp256", "ecp_256", "dh19"),
  ECP384(20, 96, "ecp384", "ecp_384", "dh20"),
  ECP521(21, 132, "ecp521", "ecp_521", "dh21"),
  CURVE25519(31, 32, "curve25519", "x25519", "dh31");

  private final int id;
  private final int publicValueSize;
  private final List<String> names;

  DhGroup(int id, int publicValueSize, String... names) {
    this.id = id;
    this.publicValueSize = publicValueSize;
    this.names = List.of(names);
  }

  /** The IANA group number (IKEv1 and IKEv2 alike). */
  public int id() {
    return id;
  }

  /** Length of the KE payload's key exchange data, bytes. */
  public int publicValueSize() {
    return publicValueSize;
  }

  public String configName() {
    return names.get(0);
  }

  public List<String> names() {
    return names;
  }

  public static Optional<DhGroup> byName(String name) {
    return Lookup.byName(values(), DhGroup::names, name);
  }

  public static Optional<DhGroup> fromId(int id) {
    return Lookup.first(values(), g -> g.id == id);
  }
}
