package org.openswanj.conf.secrets;

import java.nio.charset.StandardCharsets;
import java.util.Base64;

/**
 * Openswan's ttodata(3) forms for binary data: {@code 0x} hex (underscores allowed as separators),
 * {@code 0s} base64, {@code 0t} text (the rest of the token, literally). Errors say what is wrong in
 * general terms and never repeat the data, which is usually a secret.
 */
final class TtoData {
  private TtoData() {}

  static byte[] decode(String token) throws SecretsException {
    if (token.length() < 2 || token.charAt(0) != '0') {
      throw new SecretsException("data must start with 0x (hex), 0s (base64) or 0t (text)");
    }
    String body = token.substring(2);
    switch (Character.toLowerCase(token.charAt(1))) {
      case 'x':
        return hex(body);
      case 's':
        return base64(body);
      case 't':
        if (body.isEmpty()) {
          throw new SecretsException("0t text data is empty");
        }
        return body.getBytes(StandardCharsets.ISO_8859_1);
      default:
        throw new SecretsException("unknown data prefix (expected 0x, 0s or 0t)");
    }
  }

  private static byte[] hex(String body) throws SecretsException {
    String digits = body.replace("_", "");
    if (digits.isEmpty()) {
      throw new SecretsException("0x hex data is empty");
    }
    for (int i = 0; i < digits.length(); i++) {
      if (Character.digit(digits.charAt(i), 16) < 0) {
        throw new SecretsException("non-hex digit in 0x data");
      }
    }
    if (digits.length() % 2 != 0) {
      throw new SecretsException("odd number of hex digits");
    }
    byte[] out = new byte[digits.length() / 2];
    for (int i = 0; i < out.length; i++) {
      int hi = Character.digit(digits.charAt(2 * i), 16);
      int lo = Character.digit(digits.charAt(2 * i + 1), 16);
      out[i] = (byte) (hi << 4 | lo);
    }
    return out;
  }

  private static byte[] base64(String body) throws SecretsException {
    if (body.isEmpty()) {
      throw new SecretsException("0s base64 data is empty");
    }
    try {
      return Base64.getDecoder().decode(body);
    } catch (IllegalArgumentException e) {
      throw new SecretsException("malformed base64 in 0s data");
    }
  }
}
