package org.openswanj.pluto.daemon.log;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;

import org.junit.jupiter.api.Test;

class SanitizerTest {
  @Test
  void newlineAndControlCharactersBecomeOctal() {
    assertEquals("west\\012Dec  4 pluto[1]: forged\\015\\033[2J\\177",
        Sanitizer.sanitize("west\nDec  4 pluto[1]: forged\r\u001b[2J\u007f"));
  }

  @Test
  void c1ControlsEscapedPrintableUnicodeKept() {
    assertEquals("caf\u00e9 \\205 CN=K\u00f6ln", Sanitizer.sanitize("caf\u00e9 \u0085 CN=K\u00f6ln"));
  }

  @Test
  void cleanTextIsReturnedUnchanged() {
    String s = "\"westnet-eastnet\" #1: STATE_MAIN_I4: ISAKMP SA established";
    assertSame(s, Sanitizer.sanitize(s));
  }
}
