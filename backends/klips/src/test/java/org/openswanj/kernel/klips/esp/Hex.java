package org.openswanj.kernel.klips.esp;

import java.util.HexFormat;

final class Hex {
  private Hex() {}

  static byte[] b(String s) {
    return HexFormat.of().parseHex(s.replaceAll("\\s", ""));
  }
}
