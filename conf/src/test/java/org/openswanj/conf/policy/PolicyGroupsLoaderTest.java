package org.openswanj.conf.policy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openswanj.conf.Diagnostic;
import org.openswanj.conf.Subnet;

class PolicyGroupsLoaderTest {
  static final Path CORPUS_POLICIES =
      Path.of("..", "testing", "secrets-corpus", "policies").toAbsolutePath().normalize();

  @TempDir Path tmp;

  private static List<String> text(List<Subnet> l) {
    return l.stream().map(Subnet::toString).toList();
  }

  @Test
  void corpusPolicies() {
    PolicyGroupsResult r = PolicyGroupsLoader.load(CORPUS_POLICIES);
    assertEquals(List.of(), r.diagnostics());
    PolicyGroups g = r.groups();
    assertEquals(List.of("192.0.2.53/32", "198.51.100.0/24", "2001:db8:53::/48"), text(g.get(PolicyGroupName.CLEAR)));
    assertEquals(List.of("0.0.0.0/0"), text(g.get(PolicyGroupName.PRIVATE_OR_CLEAR)));
    assertEquals(List.of("203.0.113.0/24", "10.0.0.0/8", "203.0.113.77/32", "2001:db8:77::1/128"),
        text(g.get(PolicyGroupName.PRIVATE)));
    assertEquals(List.of(), g.get(PolicyGroupName.BLOCK));
    assertEquals(List.of(), g.get(PolicyGroupName.CLEAR_OR_PRIVATE)); // no file: empty, no error
    assertEquals(5, g.groups().size());
  }

  @Test
  void missingDirectoryGivesEmptyGroups() {
    PolicyGroupsResult r = PolicyGroupsLoader.load(tmp.resolve("nope"));
    assertFalse(r.hasErrors());
    for (PolicyGroupName n : PolicyGroupName.values()) {
      assertTrue(r.groups().get(n).isEmpty());
    }
  }

  @Test
  void errorsNameFileAndLine() throws IOException {
    Path f = tmp.resolve("block");
    Files.writeString(f, "# bad entries\n10.0.0.1/33\n10.0.0.1/24\nwww.example.com\n192.0.2.1 192.0.2.2\n"
        + "\n  192.0.2.9   # fine, indented and commented\n192.0.2.9\n%any\nfe80::1/200\n2001:db8::/32\n");
    PolicyGroupsResult r = PolicyGroupsLoader.load(tmp);
    List<String> got = r.diagnostics().stream().map(Diagnostic::format).toList();
    assertEquals(List.of(
        f + ":2: bad subnet \"10.0.0.1/33\": prefix length must be 0..32",
        f + ":3: bad subnet \"10.0.0.1/24\": host-part bits are set (did you mean 10.0.0.0/24?)",
        f + ":4: \"www.example.com\" is not an IPv4 or IPv6 address",
        f + ":5: one subnet or address per line; unexpected \"192.0.2.2\" after \"192.0.2.1\"",
        f + ":8: warning: duplicate entry 192.0.2.9 (ignored)",
        f + ":9: \"%any\" is not an IPv4 or IPv6 address or subnet",
        f + ":10: bad subnet \"fe80::1/200\": prefix length must be 0..128"), got);
    assertTrue(r.hasErrors());
    assertEquals(List.of("192.0.2.9/32", "2001:db8::/32"), text(r.groups().get(PolicyGroupName.BLOCK)));
  }

  @Test
  void namesAreOpenswans() {
    assertEquals("clear-or-private", PolicyGroupName.CLEAR_OR_PRIVATE.fileName());
    assertEquals("private-or-clear", PolicyGroupName.PRIVATE_OR_CLEAR.fileName());
    assertEquals(Optional.of(PolicyGroupName.BLOCK), PolicyGroupName.fromFileName("block"));
    assertEquals(Optional.empty(), PolicyGroupName.fromFileName("packetdefault"));
  }
}
