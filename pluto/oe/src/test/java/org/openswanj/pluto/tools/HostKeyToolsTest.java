package org.openswanj.pluto.tools;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openswanj.conf.secrets.RsaPrivateKey;
import org.openswanj.conf.secrets.SecretKind;
import org.openswanj.conf.secrets.SecretsLoader;
import org.openswanj.conf.secrets.SecretsResult;

class HostKeyToolsTest {
  private static final Clock NEW_YEAR = Clock.fixed(Instant.parse("2026-01-01T00:00:00Z"), ZoneOffset.UTC);

  @TempDir
  Path dir;

  static ToolRun rsasigkey(String... args) {
    return ToolRun.of((a, o, e) -> RsaSigKeyMain.run(a, o, e, NEW_YEAR), args);
  }

  static ToolRun newhostkey(String... args) {
    return ToolRun.of((a, o, e) -> NewHostKeyMain.run(a, o, e, NEW_YEAR), args);
  }

  @Test
  void rsasigkeyPrintsOpenswansBlockThatIpsecSecretsReads() {
    ToolRun r = rsasigkey("--hostname", "west.oe.test", "2048");
    assertEquals(0, r.exit(), r.err());
    List<String> lines = r.out().lines().toList();
    assertEquals("\t# RSA 2048 bits   west.oe.test   Thu Jan  1 00:00:00 2026", lines.get(0));
    assertEquals("\t# for signatures only, UNSAFE FOR ENCRYPTION", lines.get(1));
    assertTrue(lines.get(2).startsWith("\t#pubkey=0sAwEAA"), lines.get(2)); // e = 65537 (3 bytes)
    List<String> fields = lines.stream().filter(l -> !l.startsWith("\t#")).map(l -> l.substring(1, l.indexOf(':')))
        .toList();
    assertEquals(List.of("Modulus", "PublicExponent", "PrivateExponent", "Prime1", "Prime2", "Exponent1",
        "Exponent2", "Coefficient"), fields);
    assertTrue(Pattern.compile("\tModulus: 0x[0-9a-f]{512}").matcher(lines.get(3)).matches(), lines.get(3));
    assertEquals("\tPublicExponent: 0x010001", lines.get(4));
    RsaPrivateKey k = onlyKey(SecretsLoader.parse(": RSA {\n" + r.out() + "\t}\n", dir.resolve("s"), dir));
    assertEquals(2048, k.modulusBits());
    assertEquals(lines.get(2), "\t#pubkey=" + HostKeys.base64Key(k.publicKey()));
  }

  @Test
  void rsasigkeyRejectsBadBitCountsAsOpenswanDoes() {
    assertEquals(new ToolRun(1, "", "ipsec rsasigkey: bit count (1000) not multiple of 16\n"), rsasigkey("1000"));
    assertEquals(new ToolRun(1, "", "ipsec rsasigkey: invalid bit count (0)\n"), rsasigkey("0"));
    assertEquals(new ToolRun(1, "", "ipsec rsasigkey: bit count (1024) below the minimum of 2048\n"), rsasigkey("1024"));
    assertEquals(new ToolRun(1, "", "ipsec rsasigkey: overlarge bit count (max 16384)\n"), rsasigkey("20016"));
    ToolRun usage = rsasigkey("lots");
    assertEquals(1, usage.exit());
    assertEquals(1, usage.err().lines().count(), usage.err());
    assertTrue(usage.err().startsWith("ipsec rsasigkey: Invalid value for positional parameter"), usage.err());
    ToolRun rnd = rsasigkey("--random", dir.resolve("none").toString(), "2048");
    assertEquals(new ToolRun(1, "", "ipsec rsasigkey: could not open " + dir.resolve("none")
        + " (No such file or directory)\n"), rnd);
  }

  @Test
  void newhostkeyCreatesTheFileMode0600WithOneRsaEntry() throws Exception {
    Path secrets = dir.resolve("ipsec.secrets");
    ToolRun r = newhostkey("--output", secrets.toString(), "--bits", "2048", "--hostname", "east");
    assertEquals(new ToolRun(0, "", ""), r);
    assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(secrets)));
    String text = Files.readString(secrets);
    assertTrue(text.startsWith(": RSA\t{\n\t# RSA 2048 bits   east   Thu Jan  1 00:00:00 2026\n"), text);
    assertTrue(text.endsWith("\t}\n# do not change the indenting of that \"}\"\n"), text);
    assertEquals(2048, onlyKey(SecretsLoader.load(secrets, dir)).modulusBits());
  }

  @Test
  void newhostkeyRefusesAFileThatHasAKeyUnlessForced() throws Exception {
    Path secrets = dir.resolve("ipsec.secrets");
    newhostkey("--output", secrets.toString(), "--bits", "2048");
    String before = Files.readString(secrets);
    ToolRun again = newhostkey("--output", secrets.toString(), "--bits", "2048");
    assertEquals(1, again.exit());
    assertEquals("ipsec newhostkey: " + secrets + " already holds an RSA key (" + secrets + ":1); pluto would keep"
        + " using that one. Remove it first, or give --force to append another\n", again.err());
    assertEquals(before, Files.readString(secrets));
    assertEquals(0, newhostkey("--output", secrets.toString(), "--bits", "2048", "--force").exit());
    String after = Files.readString(secrets);
    assertTrue(after.startsWith(before), "the first key is kept");
    assertEquals(2, SecretsLoader.load(secrets, dir).secrets().entries().size());
  }

  @Test
  void newhostkeyAppendsToOtherSecretsAndTightensTheMode() throws Exception {
    Path secrets = Files.writeString(dir.resolve("ipsec.secrets"), "192.1.2.45 192.1.2.23 : PSK \"a secret\"\n");
    Files.setPosixFilePermissions(secrets, PosixFilePermissions.fromString("rw-r--r--"));
    ToolRun r = newhostkey("--output", secrets.toString(), "--bits", "2048", "--verbose");
    assertEquals(0, r.exit(), r.err());
    assertTrue(r.err().contains("ipsec newhostkey: WARNING: file `" + secrets + "' exists, appending to it"), r.err());
    assertTrue(r.err().contains("generating a 2048-bit RSA key"), r.err());
    SecretsResult s = SecretsLoader.load(secrets, dir);
    assertEquals(List.of(SecretKind.PSK, SecretKind.RSA), s.secrets().entries().stream().map(e -> e.kind()).toList());
    assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(secrets)));
    assertEquals(List.of(), s.diagnostics());
  }

  @Test
  void newhostkeyToStdoutAndItsUsageErrors() {
    ToolRun r = newhostkey("--output", "-", "--bits", "2048", "--hostname", "h");
    assertEquals(0, r.exit());
    assertTrue(r.out().startsWith(": RSA\t{\n\t# RSA 2048 bits   h   "), r.out());
    ToolRun bad = newhostkey("--output", "-", "--bitz", "2048");
    assertEquals(1, bad.exit());
    assertEquals("ipsec newhostkey: Unknown options: '--bitz', '2048' (see 'ipsec newhostkey --help')\n", bad.err());
    assertEquals(new ToolRun(1, "", "ipsec newhostkey: cannot write " + dir.resolve("no/such/file")
        + ": No such file or directory\n"), newhostkey("--output", dir.resolve("no/such/file").toString(), "--bits", "2048"));
  }

  static RsaPrivateKey onlyKey(SecretsResult r) {
    assertEquals(List.of(), r.diagnostics());
    assertEquals(1, r.secrets().entries().size());
    return (RsaPrivateKey) r.secrets().entries().get(0).secret();
  }
}
