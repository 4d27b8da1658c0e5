package org.openswanj.conf;

import java.util.Arrays;
import java.util.Base64;
import java.util.Locale;

/** {@code leftrsasigkey=}: a raw RFC 3110 public key, or where to get one. */
public sealed interface RsaSigKey {
  record None() implements RsaSigKey {}

  /** RFC 3110 §2 key bytes: exponent length, exponent, modulus. */
  record Raw(byte[] rfc3110) implements RsaSigKey {
    public Raw {
      rfc3110 = rfc3110.clone();
    }

    @Override
    public byte[] rfc3110() {
      return rfc3110.clone();
    }

    @Override
    public boolean equals(Object o) {
      return o instanceof Raw r && Arrays.equals(rfc3110, r.rfc3110);
    }

    @Override
    public int hashCode() {
      return Arrays.hashCode(rfc3110);
    }

    @Override
    public String toString() {
      return "Raw[" + rfc3110.length + " bytes]";
    }
  }

  record Cert() implements RsaSigKey {}

  record Dns() implements RsaSigKey {}

  record DnsOnDemand() implements RsaSigKey {}

  /** Parses {@code 0s…} (base64), {@code 0x…} (hex), {@code %cert}, {@code %dns}, {@code %dnsondemand}, {@code %none}. */
  static RsaSigKey parse(String value) throws ConfigException {
    String v = value.trim();
    switch (v.toLowerCase(Locale.ROOT)) {
      case "%none", "": return new None();
      case "%cert": return new Cert();
      case "%dns", "%dnsonload": return new Dns();
      case "%dnsondemand": return new DnsOnDemand();
      default: break;
    }
    byte[] key;
    if (v.startsWith("0s") || v.startsWith("0S")) {
      try {
        key = Base64.getMimeDecoder().decode(v.substring(2).replace("_", ""));
      } catch (IllegalArgumentException e) {
        throw new ConfigException("rsasigkey: bad base64 after 0s (" + e.getMessage() + ")");
      }
    } else if (v.startsWith("0x") || v.startsWith("0X")) {
      String hex = v.substring(2).replace("_", "");
      if (hex.isEmpty() || hex.length() % 2 != 0 || !Patterns.HEX.matcher(hex).matches()) {
        throw new ConfigException("rsasigkey: bad hex after 0x (need an even number of hex digits)");
      }
      key = java.util.HexFormat.of().parseHex(hex);
    } else {
      throw new ConfigException("rsasigkey: expected 0s<base64>, 0x<hex>, %cert, %dns, %dnsondemand or %none");
    }
    checkRfc3110(key);
    return new Raw(key);
  }

  private static void checkRfc3110(byte[] k) throws ConfigException {
    // RFC 3110 §2: one length byte (or 0 then two bytes), exponent, then modulus.
    if (k.length < 3) {
      throw new ConfigException("rsasigkey: key too short for RFC 3110 format (" + k.length + " bytes)");
    }
    int expLen = k[0] & 0xff;
    int off = 1;
    if (expLen == 0) {
      expLen = ((k[1] & 0xff) << 8) | (k[2] & 0xff);
      off = 3;
    }
    if (expLen == 0 || off + expLen >= k.length) {
      throw new ConfigException("rsasigkey: RFC 3110 exponent length " + expLen + " leaves no modulus");
    }
  }
}
