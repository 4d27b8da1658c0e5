package org.openswanj.conf;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openswanj.conf.policy.PolicyGroupsLoader;
import org.openswanj.conf.policy.PolicyGroupsResult;

/** Files named by configuration are read only when regular: a device or FIFO would never end (or never open). */
class RegularFilesTest {
  @TempDir
  Path tmp;

  @Test
  void aRegularFileIsReadAndAMissingOneIsNoSuchFile() throws IOException {
    Path f = Files.writeString(tmp.resolve("a"), "x\n");
    assertArrayEquals("x\n".getBytes(StandardCharsets.US_ASCII), RegularFiles.readAllBytes(f));
    assertThrows(NoSuchFileException.class, () -> RegularFiles.readString(tmp.resolve("b"), StandardCharsets.UTF_8));
  }

  @Test
  void aDeviceIsRefusedAtOnce() {
    IOException e = assertTimeoutPreemptively(Duration.ofSeconds(10),
        () -> assertThrows(IOException.class, () -> RegularFiles.readAllBytes(Path.of("/dev/zero"))));
    assertTrue(e.getMessage().startsWith("not a regular file"), e.getMessage());
  }

  @Test
  void textWithANulByteInItsFirst64KiBIsRefusedWithoutReadingTheRest() throws IOException {
    byte[] big = new byte[3 * RegularFiles.SNIFF];
    java.util.Arrays.fill(big, (byte) 'a');
    Path text = Files.write(tmp.resolve("text"), big);
    assertEquals(big.length, RegularFiles.readText(text).length, "text longer than the sniffed part is read whole");
    big[100] = 0;
    Path binary = Files.write(tmp.resolve("binary"), big);
    IOException e = assertThrows(IOException.class, () -> RegularFiles.readText(binary));
    assertEquals("binary data (a NUL byte at offset 100), not a text file", e.getMessage());
    big[100] = 'a';
    big[RegularFiles.SNIFF + 5] = 0; // past the sniffed part: read (the lexer then says what is wrong)
    assertEquals(big.length, RegularFiles.readText(Files.write(tmp.resolve("late"), big)).length);
  }

  /** /proc/kmsg is a "regular" file of size 0 whose read waits for the next kernel message. */
  @Test
  void aProcFileIsReadNoFurtherThanItsSize() throws IOException {
    Path kmsg = Path.of("/proc/kmsg");
    org.junit.jupiter.api.Assumptions.assumeTrue(Files.isReadable(kmsg), "root reads /proc/kmsg");
    byte[] got = assertTimeoutPreemptively(Duration.ofSeconds(10), () -> RegularFiles.readText(kmsg));
    assertEquals(0, got.length);
    assertEquals(0, assertTimeoutPreemptively(Duration.ofSeconds(10), () -> RegularFiles.readAllBytes(kmsg)).length);
  }

  /** A FIFO as a policy group file: opening it for reading waited for a writer forever. */
  @Test
  void aFifoAmongThePolicyGroupsIsNamedNotOpened() throws Exception {
    Path dir = Files.createDirectory(tmp.resolve("policies"));
    Files.writeString(dir.resolve("clear"), "192.0.2.0/24\n");
    Process p = new ProcessBuilder("mkfifo", dir.resolve("private").toString()).start();
    assertEquals(0, p.waitFor());
    PolicyGroupsResult r = assertTimeoutPreemptively(Duration.ofSeconds(10), () -> PolicyGroupsLoader.load(dir));
    List<String> messages = r.diagnostics().stream().map(Diagnostic::format).toList();
    assertEquals(List.of(dir.resolve("private") + ":0: cannot read policy group file: not a regular file (a device,"
        + " FIFO or directory is never read)"), messages);
  }
}
