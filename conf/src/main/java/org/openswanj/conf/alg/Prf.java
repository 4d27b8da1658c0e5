package org.openswanj.conf.alg;

import java.util.List;
import java.util.Optional;

/** Pseudo-random functions: IKEv2 Transform Type 2 ids (RFC 7296 §3.3.2, RFC 4868, RFC 4434). */
public enum Prf {
  HMAC_MD5(1, 16, "prfmd5", "md5"),
  HMAC_SHA1(2, 20, "prfsha1", "sha1"),
  AES128_XCBC(4, 16, "prfaesxcbc", "aes_xcbc"),
  HMAC_SHA2_256(5, 32, "prfsha256", "sha2_256", "prfsha2_256", "sha256"),
  HMAC_SHA2_384(6, 48, "prfsha384", "sha2_384", "prfsha2_384", "sha384"),
  HMAC_SHA2_512(7, 64, "prfsha512", "sha2_512", "prfsha2_512", "sha512");

  private final int ikev2Id;
  private final int outputSize;
  private final List<String> names;

  Prf(int ikev2Id, int outputSize, String... names) {
    this.ikev2Id = ikev2Id;
    this.outputSize = outputSize;
    this.names = List.of(names);
  }

  public int ikev2Id() {
    return ikev2Id;
  }

  /** Output (and preferred key) size, bytes. */
  public int outputSize() {
    return outputSize;
  }

  public String configName() {
    return names.get(0);
  }

  public List<String> names() {
    return names;
  }

  public static Optional<Prf> byName(String name) {
    return Lookup.byName(values(), Prf::names, name);
  }

  public static Optional<Prf> fromIkev2(int id) {
    return Lookup.first(values(), p -> p.ikev2Id == id);
  }
}
