package org.openswanj.conf.secrets;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openswanj.conf.cli.SecretsMain;

/** {@code ipsec secrets --check}, in-process and through bin/ipsec as a user runs it. */
class SecretsMainTest {
  static final Path CORPUS = SecretsCorpusTest.CORPUS;

  @TempDir Path tmp;

  private record Run(int status, String out, String err) {}

  private static Run run(String... args) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    int status = SecretsMain.run(args, new PrintStream(out, true, StandardCharsets.UTF_8),
        new PrintStream(err, true, StandardCharsets.UTF_8));
    return new Run(status, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
  }

  private Path privateCopy(String name, String text) throws IOException {
    Path f = tmp.resolve(name);
    Files.writeString(f, text);
    Files.setPosixFilePermissions(f, PosixFilePermissions.fromString("rw-------"));
    return f;
  }

  @Test
  void listsEntriesWithoutSecrets() throws IOException {
    Path f = privateCopy("ipsec.secrets", "# test\n\n@west @east : PSK \"sesame\"\n: RSA west.pem\n"
        + "@alice : XAUTH \"pw-alice\"\n\"C=CA, CN=*\" %any : PSK 0x01020304\n");
    Path corpus = tmp.resolve("corpus");
    SecretsCorpusTest.privateCopy(corpus);
    Run r = run("--secretsfile", f.toString(), "--ipsecdir", corpus.resolve("ipsec.d").toString(), "--check");
    assertEquals(0, r.status(), r.err());
    List<String> lines = r.out().lines().toList();
    assertEquals(f + ":3: @west @east : PSK", lines.get(0));
    assertTrue(lines.get(1).matches(java.util.regex.Pattern.quote(f + ":4: : RSA 2048 bits, keyid ")
        + "[A-Za-z0-9+/]{9}, ckaid [0-9a-f]{40}"), lines.get(1));
    assertEquals(f + ":5: @alice : XAUTH", lines.get(2));
    assertEquals(f + ":6: \"C=CA, CN=*\" %any : PSK", lines.get(3));
    assertEquals("", r.err());
    assertFalse(r.out().contains("sesame") || r.out().contains("pw-alice"));
  }

  @Test
  void errorsExitOneAndNameFileAndLine() throws IOException {
    Path f = privateCopy("bad.secrets", "@west @east : PSK \"ok\"\n@west : PSK sesame-unquoted\n");
    Run r = run("--secretsfile", f.toString(), "--ipsecdir", tmp.toString(), "--check");
    assertEquals(1, r.status());
    assertEquals(f + ":2: PSK data malformed: PSK must start with a double-quote or a zero\n", r.err());
    assertFalse(r.err().contains("sesame"));
    assertEquals(f + ":1: @west @east : PSK\n", r.out());
  }

  @Test
  void usageErrorsExitTwo() {
    assertEquals(2, run("--secretsfile", "/nonexistent").status()); // --check missing
    assertEquals(2, run("--check", "--bogus").status());
    assertEquals(1, run("--check", "--secretsfile", tmp.resolve("missing").toString()).status());
  }

}
