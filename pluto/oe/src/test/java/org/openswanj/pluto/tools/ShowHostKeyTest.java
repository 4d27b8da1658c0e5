package org.openswanj.pluto.tools;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.common.net.InetAddresses;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openswanj.conf.secrets.RsaPrivateKey;
import org.openswanj.conf.secrets.SecretEntry;
import org.openswanj.conf.secrets.SecretsLoader;
import org.openswanj.pluto.oe.OpenswanTxt;
import org.xbill.DNS.IPSECKEYRecord;
import org.xbill.DNS.Master;
import org.xbill.DNS.Name;
import org.xbill.DNS.Record;
import org.xbill.DNS.TXTRecord;

class ShowHostKeyTest {
  @TempDir
  static Path dir;
  static Path secrets;
  static RsaPrivateKey first;
  static RsaPrivateKey west;

  @BeforeAll
  static void secrets() throws Exception {
    Path a = dir.resolve("a");
    Path b = dir.resolve("b");
    HostKeyToolsTest.newhostkey("--output", a.toString(), "--bits", "2048");
    HostKeyToolsTest.newhostkey("--output", b.toString(), "--bits", "2048");
    secrets = Files.writeString(dir.resolve("ipsec.secrets"), "192.1.2.45 %any : PSK \"pass\"\n"
        + Files.readString(a) + "@west " + Files.readString(b));
    List<?> entries = SecretsLoader.load(secrets, dir).secrets().entries();
    first = (RsaPrivateKey) SecretsLoader.load(secrets, dir).secrets().entries().get(1).secret();
    west = (RsaPrivateKey) SecretsLoader.load(secrets, dir).secrets().entries().get(2).secret();
    assertEquals(3, entries.size());
  }

  static ToolRun show(String... args) {
    String[] all = new String[args.length + 2];
    all[0] = "--file";
    all[1] = secrets.toString();
    System.arraycopy(args, 0, all, 2, args.length);
    return ToolRun.of(ShowHostKeyMain::run, all);
  }

  private static Record parse(String zoneText) throws Exception {
    try (Master m = new Master(new ByteArrayInputStream(zoneText.getBytes(StandardCharsets.US_ASCII)), Name.root, 300)) {
      return m.nextRecord();
    }
  }

  /** The default --file is the one OpenswanPaths declares, and --help says which. */
  @Test
  void helpNamesTheDefaultSecretsFile() {
    ToolRun r = ToolRun.of(ShowHostKeyMain::run, "--help");
    assertTrue((r.out() + r.err()).contains("secrets file (default /etc/ipsec.secrets)"), r.out() + r.err());
  }

  @Test
  void leftAndRightPrintTheConfLinesOfTheFirstRsaKey() {
    assertEquals(new ToolRun(0, "\t# rsakey " + first.keyId() + "\n\tleftrsasigkey="
        + HostKeys.base64Key(first.publicKey()) + "\n", ""), show("--left"));
    assertTrue(show("--right").out().contains("\trightrsasigkey=" + HostKeys.base64Key(first.publicKey())));
    assertTrue(show("--left", "--id", "@west").out().contains(HostKeys.base64Key(west.publicKey())));
  }

  @Test
  void ipseckeyIsAZoneFileLineWithTheKeyAndGateway() throws Exception {
    ToolRun r = show("--ipseckey", "--gateway", "192.1.2.45", "--hostname", "192.1.2.45");
    assertEquals(0, r.exit(), r.err());
    assertTrue(r.out().startsWith("45.2.1.192.in-addr.arpa.    IN    IPSECKEY  10 1 2 192.1.2.45 AwEAA"), r.out());
    IPSECKEYRecord k = (IPSECKEYRecord) parse(r.out());
    assertEquals(10, k.getPrecedence());
    assertEquals(IPSECKEYRecord.Gateway.IPv4, k.getGatewayType());
    assertEquals(InetAddresses.forString("192.1.2.45"), k.getGateway());
    assertEquals(IPSECKEYRecord.Algorithm.RSA, k.getAlgorithmType());
    assertArrayEquals(first.rfc3110(), k.getKey());
  }

  @Test
  void ipseckeyGatewayForms() throws Exception {
    IPSECKEYRecord none = (IPSECKEYRecord) parse(show("--ipseckey", "--hostname", "west.oe.test").out());
    assertEquals(Name.fromString("west.oe.test."), none.getName());
    assertEquals(IPSECKEYRecord.Gateway.None, none.getGatewayType());
    IPSECKEYRecord v6 = (IPSECKEYRecord) parse(show("--ipseckey", "--gateway", "2001:db8::1", "--precedence", "5",
        "--hostname", "2001:db8::45").out());
    assertEquals(IPSECKEYRecord.Gateway.IPv6, v6.getGatewayType());
    assertEquals(5, v6.getPrecedence());
    assertTrue(v6.getName().toString().endsWith(".8.b.d.0.1.0.0.2.ip6.arpa."), v6.getName().toString());
    IPSECKEYRecord named = (IPSECKEYRecord) parse(show("--ipseckey", "--gateway", "gw.oe.test", "--hostname", "x.oe.test").out());
    assertEquals(IPSECKEYRecord.Gateway.Name, named.getGatewayType());
    assertEquals(Name.fromString("gw.oe.test."), named.getGateway());
  }

  @Test
  void txtIsOpenswans26Record() throws Exception {
    ToolRun r = show("--txt", "192.1.2.23", "--hostname", "east.oe.test", "--id", "@west");
    assertEquals(0, r.exit(), r.err());
    List<String> lines = r.out().lines().toList();
    assertEquals("; picking by keyid=@west", lines.get(0));
    assertEquals("; info about key: " + west.keyId(), lines.get(1));
    assertTrue(lines.get(2).startsWith("east.oe.test.    IN    TXT    \"X-IPsec-Server(10)=192.1.2.23 \" \"AwEAA"),
        lines.get(2));
    TXTRecord t = (TXTRecord) parse(lines.get(2) + "\n");
    assertTrue(t.getStrings().stream().allMatch(s -> s.length() <= 240));
    OpenswanTxt txt = OpenswanTxt.parse(String.join("", t.getStrings())).orElseThrow();
    assertEquals("192.1.2.23", txt.gateway());
    assertArrayEquals(west.rfc3110(), txt.key().orElseThrow());
  }

  @Test
  void listAndDumpAreInOpenswansOrder() {
    List<SecretEntry> e = SecretsLoader.load(secrets, dir).secrets().entries();
    String list = show("--list").out();
    // Openswan's order is the reverse of the file's; an entry without indices has two "(none)" ones
    assertEquals(e.get(2).line() + "(1): RSA keyid: " + west.keyId() + " with id: @west\n"
        + e.get(1).line() + "(1): RSA keyid: " + first.keyId() + " with id: (none)\n"
        + e.get(1).line() + "(2): RSA keyid: " + first.keyId() + " with id: (none)\n"
        + "1(1): PSK keyid: 192.1.2.45\n"
        + "1(2): PSK keyid: %any\n", list);
    assertTrue(show("--dump").out().contains("1(2): PSK keyid: %any\n    psk: \"0x70617373\"\n"));
    assertTrue(!list.contains("0x70617373"), "--list never shows a secret");
  }

  @Test
  void errorsAndExitCodesAreOpenswans() throws Exception {
    assertEquals(1, show().exit());
    assertEquals("ipsec showhostkey: You must specify some operation (--left, --right, --ipseckey, --txt, --dump or"
        + " --list)\n", show().err());
    assertEquals("ipsec showhostkey: You must specify only one operation\n", show("--left", "--list").err());
    assertEquals(new ToolRun(1, "", "ipsec showhostkey: precedence must be between 0 and 255\n"),
        show("--ipseckey", "--precedence", "300"));
    Path westOnly = Files.writeString(dir.resolve("west.secrets"), "@west " + Files.readString(dir.resolve("b")));
    assertEquals(new ToolRun(5, "", "ipsec showhostkey: can not find key: @nobody (@nobody)\n"),
        ToolRun.of(ShowHostKeyMain::run, "--file", westOnly.toString(), "--left", "--id", "@nobody"));
    Path psk = Files.writeString(dir.resolve("psk.secrets"), ": PSK \"x\"\n");
    assertEquals(new ToolRun(20, "", "ipsec showhostkey: No keys found\n"),
        ToolRun.of(ShowHostKeyMain::run, "--file", psk.toString(), "--left"));
    assertEquals(1, show("--txt", "not-an-address", "--hostname", "h").exit());
  }
}
