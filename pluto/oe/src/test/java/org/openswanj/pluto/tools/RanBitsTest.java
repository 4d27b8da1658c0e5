package org.openswanj.pluto.tools;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RanBitsTest {
  @TempDir
  Path dir;

  private ToolRun ranbits(String... args) throws Exception {
    Path slow = Files.write(dir.resolve("random"), new byte[] {(byte) 0xde, (byte) 0xad, (byte) 0xbe, (byte) 0xef,
        1, 2, 3, 4, 5, 6, 7, 8});
    Path quick = Files.write(dir.resolve("urandom"), new byte[] {1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12});
    return ToolRun.of((a, o, e) -> RanBitsMain.run(a, o, e, slow, quick), args);
  }

  @Test
  void hexInGroupsOfEightDigitsAsOpenswanPrintsIt() throws Exception {
    assertEquals(new ToolRun(0, "0xdeadbeef_01020304_05060708\n", ""), ranbits("96"));
    assertEquals(new ToolRun(0, "0x01020304_05\n", ""), ranbits("--quick", "33")); // rounded up to whole bytes
    assertEquals(new ToolRun(0, "0xdeadbeef0102\n", ""), ranbits("--continuous", "--bytes", "6"));
  }

  @Test
  void badCountsAndShortSources() throws Exception {
    assertEquals(new ToolRun(1, "", "ipsec ranbits: invalid bit count (0)\n"), ranbits("0"));
    assertEquals(new ToolRun(1, "", "ipsec ranbits: overlarge bit count (max 20000)\n"), ranbits("20008"));
    assertEquals(1, ranbits("--fast", "8").exit());
    assertEquals(new ToolRun(1, "", "ipsec ranbits: eof on " + dir.resolve("random") + "!?!\n"), ranbits("128"));
  }
}
