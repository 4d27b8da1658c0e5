package org.openswanj.alg;

import java.util.List;

/**
 * What an algorithm is called: Openswan 2.6's spellings in its status lines and logs, and the names
 * {@code ike=}/{@code esp=}/{@code phase2alg=} accept (the first is the canonical one). A name Openswan has no
 * entry for is {@code null}.
 *
 * @param ipsec the IPsec DOI name ({@code ESP_AES}, {@code AUTH_ALGORITHM_HMAC_SHA1}); Openswan prints it without
 *     its prefix in {@code xfrm=AES_128-HMAC_SHA1}
 * @param oakley the IKEv1 phase 1 name ({@code OAKLEY_AES_CBC}, {@code OAKLEY_SHA1}, {@code OAKLEY_GROUP_MODP2048})
 * @param pluto pluto's own short name, as in {@code cipher=aes_128 prf=oakley_sha}
 * @param config accepted config names, canonical first, lower case
 */
public record Names(String ipsec, String oakley, String pluto, List<String> config) {
  public Names {
    config = List.copyOf(config);
    if (config.isEmpty()) {
      throw new IllegalArgumentException("an algorithm needs at least one config name");
    }
  }

  static Names of(String ipsec, String oakley, String pluto, String... config) {
    return new Names(ipsec, oakley, pluto, List.of(config));
  }

  /** {@code ipsec} without its registry prefix ({@code ESP_}, {@code AUTH_ALGORITHM_}), as Openswan prints it. */
  public String ipsecShort() {
    return ipsec == null ? null : ipsec.replaceFirst("^(ESP_|AUTH_ALGORITHM_)", "");
  }
}
