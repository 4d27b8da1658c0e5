package org.openswanj.conf.secrets;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.math.BigInteger;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openswanj.conf.Diagnostic;
import org.openswanj.conf.id.Identity;

/** Every file of testing/secrets-corpus, loaded from a private (mode 600) copy. */
class SecretsCorpusTest {
  static final Path CORPUS = Path.of("..", "testing", "secrets-corpus").toAbsolutePath().normalize();
  static final HostResolver HOSTS = name -> "localhost".equals(name)
      ? Optional.of(java.net.InetAddress.getLoopbackAddress()) : Optional.empty();

  @TempDir static Path copy;

  @BeforeAll
  static void copyCorpus() throws IOException {
    privateCopy(copy);
  }

  /** The corpus copied into {@code into} with every file mode 600, as pluto requires of keys (git keeps 644). */
  static void privateCopy(Path into) throws IOException {
    try (Stream<Path> files = Files.walk(CORPUS)) {
      for (Path p : files.collect(Collectors.toList())) {
        Path to = into.resolve(CORPUS.relativize(p).toString());
        if (Files.isDirectory(p)) {
          Files.createDirectories(to);
        } else {
          Files.copy(p, to, StandardCopyOption.REPLACE_EXISTING);
          Files.setPosixFilePermissions(to, PosixFilePermissions.fromString("rw-------"));
        }
      }
    }
  }

  static SecretsResult load(String name) {
    return SecretsLoader.load(copy.resolve(name), copy.resolve("ipsec.d"), HOSTS);
  }

  @Test
  void everyValidFileLoadsWithoutErrors() throws IOException {
    List<String> names;
    try (Stream<Path> s = Files.list(copy)) {
      names = s.map(p -> p.getFileName().toString())
          .filter(n -> n.endsWith(".secrets") && !n.startsWith("broken-")).sorted().toList();
    }
    assertTrue(names.size() >= 11, names.toString());
    for (String n : names) {
      SecretsResult r = load(n);
      List<Diagnostic> errors = r.diagnostics().stream()
          .filter(d -> d.severity() == org.openswanj.conf.Severity.ERROR).toList();
      assertEquals(List.of(), errors, n);
      assertFalse(r.secrets().entries().isEmpty(), n);
    }
  }

  @Test
  void brokenFilesGiveExactlyTheExpectedMessagesAndNeverASecret() throws IOException {
    for (String n : List.of("broken-psk", "broken-rsa", "broken-syntax")) {
      Path file = copy.resolve(n + ".secrets");
      SecretsResult r = SecretsLoader.load(file, copy.resolve("ipsec.d"), HOSTS);
      List<String> want = Files.readAllLines(copy.resolve(n + ".expected")).stream()
          .filter(l -> !l.isBlank()).map(l -> l.replace("@DIR@", copy.toString())).toList();
      List<String> got = r.diagnostics().stream().map(d -> d.format().substring(file.toString().length() + 1))
          .toList();
      assertEquals(want, got, n);
      for (Diagnostic d : r.diagnostics()) {
        assertEquals(file, d.file());
        assertFalse(d.format().contains("TOPSECRET"), d.format());
      }
      assertTrue(r.hasErrors());
    }
    // The good entry after the bad ones is kept.
    SecretsResult psk = load("broken-psk.secrets");
    assertEquals(1, psk.secrets().entries().size());
    assertEquals(13, psk.secrets().entries().get(0).line());
  }

  @Test
  void pskFormsDecodeToTheSameBytesOpenswanUses() throws Exception {
    Secrets s = load("psk-forms.secrets").secrets();
    Map<String, String> want = Map.of("10.2.0.1", "quoted text", "10.3.0.1", "single quotes work too",
        "10.4.0.1", "secret", "10.5.0.1", "secret", "10.6.0.1", "secret", "10.7.0.1", "default kind",
        "10.8.0.1", "legacy form");
    for (Map.Entry<String, String> e : want.entrySet()) {
      Psk psk = s.findPsk(Identity.parse("10.1.0.1"), Identity.parse(e.getKey())).orElseThrow();
      assertEquals(e.getValue(), new String(psk.bytes(), java.nio.charset.StandardCharsets.UTF_8), e.getKey());
    }
    SecretEntry multi = s.entries().get(s.entries().size() - 1);
    assertEquals(12, multi.line());
    assertEquals("@west.example.com @east.example.com 10.6.0.1 10.7.0.1 192.0.2.9", multi.selectorText());
  }

  @Test
  void rsaBlockIsTheSameKeyAsItsPemFile() throws Exception {
    SecretsResult r = load("rsa-block.secrets");
    RsaPrivateKey block = (RsaPrivateKey) r.secrets().entries().get(0).secret();
    RsaPrivateKey pem = PemKeys.read(copy.resolve("ipsec.d/private/block.pem"), null);
    assertEquals(pem, block);
    assertEquals(2048, block.modulusBits());
    // keyid is the first 9 base64 digits of the RFC 3110 blob, which the block's #pubkey= line holds.
    String pubkeyLine = Files.readAllLines(copy.resolve("rsa-block.secrets")).stream()
        .filter(l -> l.contains("#pubkey=0s")).findFirst().orElseThrow();
    String blob = pubkeyLine.substring(pubkeyLine.indexOf("0s") + 2);
    assertEquals(blob.substring(0, 9), block.keyId());
    assertEquals(java.util.Base64.getEncoder().encodeToString(block.rfc3110()), blob);
    assertEquals(40, block.ckaid().length());
    assertEquals(BigInteger.valueOf(65537), block.publicKey().getPublicExponent());
  }

  @Test
  void pemKeysInEveryFormat() throws Exception {
    SecretsResult r = load("rsa-pem.secrets");
    List<SecretEntry> e = r.secrets().entries();
    assertEquals(4, e.size());
    assertInstanceOf(RsaPrivateKey.class, e.get(0).secret()); // PKCS#1
    assertInstanceOf(RsaPrivateKey.class, e.get(1).secret()); // PKCS#8
    assertInstanceOf(RsaPrivateKey.class, e.get(2).secret()); // encrypted PKCS#8 with passphrase
    LockedRsaKey locked = assertInstanceOf(LockedRsaKey.class, e.get(3).secret()); // %prompt
    assertEquals(copy.resolve("ipsec.d/private/north.pem"), locked.file());
    RsaPrivateKey north = locked.unlock("northpass".toCharArray());
    assertEquals(2048, north.modulusBits());
    SecretsException wrong = org.junit.jupiter.api.Assertions.assertThrows(SecretsException.class,
        () -> locked.unlock("nope".toCharArray()));
    assertFalse(wrong.getMessage().contains("nope"));
    // A key is found by the public key a certificate names, whatever the IDs.
    RsaPrivateKey east = (RsaPrivateKey) e.get(1).secret();
    assertEquals(east, r.secrets().findRsaKey(Identity.parse("@nobody"), east.publicKey()).orElseThrow());
    // by ID: @road.example.com; with no index, west.pem is everyone's default
    assertEquals(e.get(2).secret(), r.secrets().findRsaKey(Identity.parse("@road.example.com"), null).get());
    assertEquals(e.get(0).secret(), r.secrets().findRsaKey(Identity.parse("@other"), null).get());
    // The locked key wins by ID but cannot be used until unlocked.
    assertTrue(r.secrets().findRsaKey(Identity.parse("@north.example.com"), null).isEmpty());
    assertEquals(e.get(3), r.secrets().bestMatch(SecretKind.RSA, Identity.parse("@north.example.com"), null, null)
        .orElseThrow());
  }

  @Test
  void ecdsaKeysInSec1AndPkcs8AreFoundByTheirCertificatesKey() throws Exception {
    SecretsResult r = load("ecdsa-pem.secrets");
    assertEquals(List.of(), r.diagnostics());
    List<SecretEntry> e = r.secrets().entries();
    assertEquals(3, e.size());
    for (SecretEntry entry : e) {
      EcdsaPrivateKey k = assertInstanceOf(EcdsaPrivateKey.class, entry.secret());
      assertEquals(SecretKind.ECDSA, entry.kind());
      assertEquals(256, k.fieldBits());
      // the public half computed from the private scalar signs and verifies as a pair
      java.security.Signature s = java.security.Signature.getInstance("SHA256withECDSA");
      s.initSign(k.privateKey());
      s.update(new byte[] {1, 2, 3});
      byte[] sig = s.sign();
      s.initVerify(k.publicKey());
      s.update(new byte[] {1, 2, 3});
      assertTrue(s.verify(sig), entry.toString());
      assertFalse(k.toString().contains(k.privateKey().getS().toString(16)));
    }
    EcdsaPrivateKey second = (EcdsaPrivateKey) e.get(1).secret();
    assertEquals(second.privateKey(), r.secrets().findPrivateKey(Identity.parse("@nobody"), second.publicKey())
        .orElseThrow());
    // by ID when no certificate key is given
    assertEquals(e.get(2), r.secrets().bestMatch(SecretKind.ECDSA, Identity.parse("@ec3.example.com"), null, null)
        .orElseThrow());
  }

  @Test
  void keyFileReadableByGroupOrOthersIsRefusedWithOneLine() throws IOException {
    Path key = copy.resolve("ipsec.d/private/shared.pem");
    Files.copy(copy.resolve("ipsec.d/private/east.pem"), key, StandardCopyOption.REPLACE_EXISTING);
    Files.setPosixFilePermissions(key, PosixFilePermissions.fromString("rw-r-----"));
    SecretsResult r = SecretsLoader.parse("@east.example.com : RSA shared.pem\n", copy.resolve("x.secrets"),
        copy.resolve("ipsec.d"), HOSTS);
    assertEquals(List.of(copy.resolve("x.secrets") + ":1: private key file " + key
        + " is readable by group or others (rw-r-----): refused, make it mode 600 (chmod 600 " + key + ")"),
        r.diagnostics().stream().map(Diagnostic::format).toList());
    assertTrue(r.secrets().entries().isEmpty());
    Files.delete(key);
  }

  @Test
  void includesAreReadInPlaceAndInOrder() {
    SecretsResult r = load("include.secrets");
    List<SecretEntry> e = r.secrets().entries();
    assertEquals(3, e.size());
    assertEquals(copy.resolve("include.secrets"), e.get(0).file());
    assertEquals(copy.resolve("conf.d/10-east.secrets"), e.get(1).file());
    assertEquals(copy.resolve("conf.d/20-north.secrets"), e.get(2).file());
    assertEquals(1, r.diagnostics().size());
    assertTrue(r.diagnostics().get(0).format().endsWith(
        "include.secrets:5: warning: no secrets file matched \"" + copy.resolve("conf.d/*.nothing") + "\""),
        r.diagnostics().get(0).format());
    assertFalse(r.hasErrors());
  }

  @Test
  void hostNamesAreResolved() throws Exception {
    Secrets s = load("names.secrets").secrets();
    assertEquals("127.0.0.1 192.0.2.2", s.entries().get(0).selectorText());
    assertTrue(s.findPsk(Identity.parse("127.0.0.1"), Identity.parse("192.0.2.2")).isPresent());
  }

  @Test
  void ipv6Entries() throws Exception {
    Secrets s = load("ipv6.secrets").secrets();
    assertEquals(3, s.entries().size());
    assertEquals("2001:db8:: 2001:db8:2::1", s.entries().get(2).selectorText());
    assertEquals("v6 road warriors", new String(s.findPsk(Identity.parse("2001:db8:1::1"),
        Identity.parse("2001:db8:9::9")).orElseThrow().bytes(), java.nio.charset.StandardCharsets.UTF_8));
  }

  @Test
  void worldReadableFileIsWarnedAbout() throws IOException {
    Path f = copy.resolve("site-to-site-open.secrets");
    Files.copy(copy.resolve("site-to-site.secrets"), f, StandardCopyOption.REPLACE_EXISTING);
    Files.setPosixFilePermissions(f, PosixFilePermissions.fromString("rw-r--r--"));
    SecretsResult r = SecretsLoader.load(f, copy.resolve("ipsec.d"), HOSTS);
    assertEquals(List.of(f + ":0: warning: secrets file is readable by group or others"
        + " (it should be mode 600, owned by root)"), r.diagnostics().stream().map(Diagnostic::format).toList());
    assertFalse(r.hasErrors());
    Files.delete(f);
  }

  @Test
  void missingFileIsAnError() {
    SecretsResult r = load("no-such.secrets");
    assertTrue(r.hasErrors());
    assertEquals(copy.resolve("no-such.secrets") + ":0: secrets file does not exist",
        r.diagnostics().get(0).format());
  }

  @Test
  void aLineWithoutItsColonNeitherShowsNorLooksUpTheSecret() {
    java.util.List<String> asked = new java.util.ArrayList<>();
    HostResolver spy = name -> {
      asked.add(name);
      return Optional.empty();
    };
    SecretsResult r = SecretsLoader.parse("@west @east supersecretvalue\nwest.example east.example sekrit2\n",
        copy.resolve("x.secrets"), copy.resolve("ipsec.d"), spy);
    assertEquals(2, r.diagnostics().size(), r.diagnostics().toString());
    for (var d : r.diagnostics()) {
      assertFalse(d.format().contains("supersecretvalue") || d.format().contains("sekrit2"), d.format());
      assertTrue(d.message().startsWith("no ':' in this entry"), d.format());
    }
    assertTrue(asked.isEmpty(), "nothing of a colon-less entry goes to DNS: " + asked);
  }
}
