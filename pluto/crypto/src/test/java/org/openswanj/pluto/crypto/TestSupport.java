package org.openswanj.pluto.crypto;

import java.security.SecureRandom;
import java.util.HexFormat;

final class TestSupport {
  private TestSupport() {}

  /** Hex as RFCs print it: spaces and newlines ignored. */
  static byte[] hex(String s) {
    return HexFormat.of().parseHex(s.replaceAll("\\s", ""));
  }

  static String hex(byte[] b) {
    return HexFormat.of().formatHex(b);
  }

  static byte[] concat(byte[]... parts) {
    return PrfFunction.concat(parts);
  }

  /** Returns the given bytes in order, then zeros: makes IVs and nonces reproducible. */
  static final class FixedRandom extends SecureRandom {
    private static final long serialVersionUID = 1L;
    private final byte[] data;
    private int pos;

    FixedRandom(byte[] data) {
      this.data = data.clone();
    }

    @Override
    public void nextBytes(byte[] out) {
      for (int i = 0; i < out.length; i++) {
        out[i] = pos < data.length ? data[pos++] : 0;
      }
    }
  }
}
