package org.openswanj.conf.secrets;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openswanj.conf.Diagnostic;
import org.openswanj.conf.id.Identity;

class SecretsLoaderTest {
  @TempDir Path tmp;

  private static SecretsResult parse(String text) {
    return SecretsLoader.parse(text, Path.of("/etc/ipsec.secrets"), Path.of("/etc/ipsec.d"), HostResolver.none());
  }

  private static List<String> messages(SecretsResult r) {
    return r.diagnostics().stream().map(Diagnostic::format).toList();
  }

  @Test
  void errorOnAContinuationLineNamesThatLine() {
    SecretsResult r = parse("@a\n\t@b\n\t192.0.2.999 : PSK \"x\"\n");
    assertEquals(List.of("/etc/ipsec.secrets:3: index \"192.0.2.999\": identity \"192.0.2.999\" is not an IP "
        + "address (write @192.0.2.999 for an FQDN identity)"), messages(r));
  }

  @Test
  void aForgottenColonIsSaidBeforeAnyIndexIsChecked() {
    // ConfFuzzTest#ipsecSecrets: the bad index was shown, and the words of such an entry may hold a secret
    SecretsResult r = parse("@west 10.TOPSECRET7.x:2 PSK \"TOPSECRET\"\n");
    assertEquals(List.of("/etc/ipsec.secrets:1: missing ':' before PSK (the indices and the key part are separated"
        + " by ':')"), messages(r));
  }

  @Test
  void anIncludedDeviceIsNotReadButNamed() {
    // `include /dev/zero` read until the heap ran out (Files.readAllBytes never sees an end)
    SecretsResult r = assertTimeoutPreemptively(java.time.Duration.ofSeconds(10),
        () -> parse("include /dev/zero\n@a @b : PSK \"x\"\n"));
    assertEquals(List.of("/dev/zero:0: cannot read secrets file: not a regular file (a device, FIFO or directory is"
        + " never read)"), messages(r));
    assertEquals(1, r.secrets().entries().size(), "the entries around it still load");
  }

  @Test
  void onlyCsBlanksSeparateWords() throws Exception {
    // ConfFuzzTest#ipsecSecrets: Java's isWhitespace made "RSA\u001dkey" two words, the key file's name then shown
    SecretsResult r = parse("@a @b : RSA\u001dkey.pem\n@c\u000b@d : PSK \"x\"\n");
    assertEquals(1, messages(r).size(), () -> messages(r).toString());
    assertTrue(messages(r).get(0).startsWith("/etc/ipsec.secrets:1: "), () -> messages(r).toString());
    assertTrue(r.secrets().findPsk(Identity.parse("@c"), Identity.parse("@d")).isPresent(), "a vertical tab is a blank");
  }

  @Test
  void crlfLinesTabsAndNonAsciiSecretsAreExact() throws Exception {
    SecretsResult r = parse("@a\t@b\t:\tPSK \"clé\"\r\n@c @d : PSK 0tÄ\r\n");
    assertEquals(List.of(), messages(r));
    Secrets s = r.secrets();
    assertEquals("clé", new String(s.findPsk(Identity.parse("@a"), Identity.parse("@b")).orElseThrow().bytes(),
        StandardCharsets.UTF_8));
    assertEquals(2, s.findPsk(Identity.parse("@c"), Identity.parse("@d")).orElseThrow().length());
  }

  @Test
  void selfIncludeStopsAtTheDepthLimit() throws Exception {
    Path f = tmp.resolve("loop.secrets");
    Files.writeString(f, ": PSK \"x\"\ninclude loop.secrets\n");
    Files.setPosixFilePermissions(f, PosixFilePermissions.fromString("rw-------"));
    SecretsResult r = SecretsLoader.load(f, tmp, HostResolver.none());
    assertEquals(List.of(f + ":2: include nested too deeply (more than 10 levels)"), messages(r));
    assertEquals(11, r.secrets().entries().size());
  }

  @Test
  void includesAndKeyFilesResolveOnTheFileSystemOfTheFileNamingThem() throws Exception {
    // they were resolved on the default file system whatever the secrets file's was (Path.of): the fuzz target's
    // includes reached this machine's files; a secrets file read from a ZIP or in-memory tree saw nothing of its own
    try (java.nio.file.FileSystem fs = com.google.common.jimfs.Jimfs.newFileSystem(
        com.google.common.jimfs.Configuration.unix())) {
      Path dir = fs.getPath("/etc/ipsec.d");
      Files.createDirectories(dir.resolve("private"));
      Files.copy(SecretsCorpusTest.CORPUS.resolve("ipsec.d/private/west.pem"), dir.resolve("private/west.pem"));
      Files.writeString(dir.resolve("peers.secrets"), "@a @b : PSK \"from include\"\n");
      SecretsResult r = SecretsLoader.parse("include /etc/ipsec.d/*.secrets\n: RSA west.pem\n",
          fs.getPath("/etc/ipsec.secrets"), dir, HostResolver.none());
      assertEquals(List.of(), messages(r));
      assertEquals(dir.resolve("peers.secrets"), r.secrets().entries().get(0).file());
      assertEquals(SecretKind.RSA, r.secrets().entries().get(1).kind());
    }
  }

  @Test
  void parseIncludesRelativeToTheNominalPath() throws Exception {
    Path inc = tmp.resolve("peers.secrets");
    Files.writeString(inc, "@a @b : PSK \"from include\"\n");
    Files.setPosixFilePermissions(inc, PosixFilePermissions.fromString("rw-------"));
    SecretsResult r = SecretsLoader.parse("include peers.secrets\n", tmp.resolve("ipsec.secrets"), tmp,
        HostResolver.none());
    assertEquals(List.of(), messages(r));
    assertEquals(inc, r.secrets().entries().get(0).file());
    assertTrue(r.secrets().findPsk(Identity.parse("@a"), Identity.parse("@b")).isPresent());
  }
  @Test
  void anIncludedFileThatIsNoSecretsFileStopsAfterAHundredErrors() throws Exception {
    // ConfFuzzTest#ipsecSecrets: `include /*` reached /initrd.img, 296,093 diagnostics and 9-20 s for one input
    StringBuilder junk = new StringBuilder();
    for (int i = 0; i < 200_000; i++) {
      junk.append("\tjunk").append(i).append('\n');
    }
    Path inc = tmp.resolve("not-secrets.bin");
    Files.writeString(inc, junk);
    Files.setPosixFilePermissions(inc, PosixFilePermissions.fromString("rw-------"));
    SecretsResult r = SecretsLoader.parse("@a @b : PSK \"kept\"\ninclude not-secrets.bin\n@c @d : PSK \"kept too\"\n",
        tmp.resolve("ipsec.secrets"), tmp, HostResolver.none());
    List<String> m = messages(r);
    assertEquals(SecretsLoader.MAX_ERRORS_PER_FILE + 1, m.size(), () -> m.size() + " diagnostics");
    assertEquals(inc + ":101: 100 errors: the rest of the file is skipped (is it an ipsec.secrets?)", m.get(100));
    // the including file goes on after the include: both of its entries are kept
    assertTrue(r.secrets().findPsk(Identity.parse("@a"), Identity.parse("@b")).isPresent());
    assertTrue(r.secrets().findPsk(Identity.parse("@c"), Identity.parse("@d")).isPresent());
  }

  @Test
  void anIncludedBinaryFileIsRefusedAfterItsFirst64KiB() throws Exception {
    // ConfFuzzTest#ipsecSecrets ran 600-1,000 inputs a second (5,000 before) once its corpus held `include /*`:
    // each such input read /initrd.img and /vmlinuz whole (78 MB) before the error cap could stop the lexer
    byte[] image = new byte[8 << 20];
    new java.util.Random(1).nextBytes(image);
    image[10] = 0;
    Path inc = Files.write(tmp.resolve("vmlinuz"), image);
    Files.setPosixFilePermissions(inc, PosixFilePermissions.fromString("rw-------"));
    SecretsResult r = SecretsLoader.parse("@a @b : PSK \"kept\"\ninclude vmlinuz\n", tmp.resolve("ipsec.secrets"), tmp,
        HostResolver.none());
    assertEquals(List.of(inc + ":0: cannot read secrets file: binary data (a NUL byte at offset 10), not a text file"),
        messages(r));
    assertTrue(r.secrets().findPsk(Identity.parse("@a"), Identity.parse("@b")).isPresent());
  }
}
