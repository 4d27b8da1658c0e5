package org.openswanj.pluto.daemon;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

class StatusPrinterTest {
  @Test
  void spisPrintAsEightHexDigitsAsPercent08xDid() {
    for (int v : new int[] {0, 0x1ab, 0x7fffffff, 0x80000000, -1, 0xc0ffee}) {
      assertEquals(String.format("%08x", v), StatusPrinter.hex8(v));
    }
  }
}
