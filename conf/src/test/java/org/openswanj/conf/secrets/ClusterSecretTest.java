package org.openswanj.conf.secrets;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.HexFormat;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.openswanj.conf.Diagnostic;

/** {@code : CLUSTER 0x<64 hex>} (docs/HA.md): 32 bytes exactly, errors name file:line and never the data. */
class ClusterSecretTest {
  private static final String HEX = "00112233445566778899aabbccddeeff0123456789abcdeffedcba9876543210";

  private static SecretsResult parse(String text) {
    return SecretsLoader.parse(text, Path.of("/etc/ipsec.secrets"), Path.of("/etc/ipsec.d"), HostResolver.none());
  }

  private static List<String> messages(SecretsResult r) {
    return r.diagnostics().stream().map(Diagnostic::format).toList();
  }

  @Test
  void aClusterKeyIsReadBesidePsks() {
    SecretsResult r = parse("@a @b : PSK \"x\"\n: CLUSTER 0x" + HEX + "\n");
    assertEquals(List.of(), messages(r));
    SecretEntry e = r.secrets().clusterKey().orElseThrow();
    assertEquals(SecretKind.CLUSTER, e.kind());
    assertEquals(2, e.line());
    assertArrayEquals(HexFormat.of().parseHex(HEX), ((ClusterSecret) e.secret()).bytes());
    assertEquals("[CLUSTER]", e.secret().toString());
  }

  @Test
  void noClusterEntryIsEmpty() {
    assertTrue(parse("@a @b : PSK \"x\"\n").secrets().clusterKey().isEmpty());
  }

  @Test
  void aWrongLengthNamesFileAndLineButNotTheKey() {
    String shortKey = HEX.substring(0, 62);
    SecretsResult r = parse("# cluster\n: CLUSTER 0x" + shortKey + "\n");
    assertEquals(List.of("/etc/ipsec.secrets:2: CLUSTER key is 31 bytes, expected 32 (0x and 64 hex digits, "
        + "AES-256)"), messages(r));
    assertTrue(r.secrets().clusterKey().isEmpty());
  }

  @Test
  void aQuotedOrNonHexKeyIsRefusedWithoutShowingIt() {
    SecretsResult r = parse(": CLUSTER \"secretword\"\n: CLUSTER 0xzz" + HEX.substring(2) + "\n");
    List<String> m = messages(r);
    assertEquals(2, m.size());
    assertTrue(m.get(0).startsWith("/etc/ipsec.secrets:1: CLUSTER key malformed"), m.get(0));
    assertTrue(m.get(1).startsWith("/etc/ipsec.secrets:2: CLUSTER key malformed"), m.get(1));
    m.forEach(l -> assertFalse(l.contains("secretword") || l.contains(HEX.substring(2)), l));
  }
}
