package org.openswanj.pluto.daemon;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.openswanj.conf.Protostack;

class PlutoOptionsTest {

  @Test
  void defaultsAreOpenswans() throws Exception {
    PlutoOptions o = PlutoOptions.parse(new String[0]);
    assertEquals(Path.of("/var/run/pluto/pluto.ctl"), o.ctlSocket());
    assertEquals(Path.of("/var/run/pluto/pluto.pid"), o.pidFile());
    assertEquals(Path.of("/etc/ipsec.secrets"), o.secretsFile());
    assertEquals(Path.of("/etc/ipsec.d"), o.ipsecDir());
    assertEquals(Path.of("/etc/ipsec.conf"), o.config());
    assertEquals(500, o.ikePort());
    assertEquals(4500, o.natIkePort());
    assertEquals(-1, o.nhelpers());
    assertEquals(Optional.empty(), o.stack());
    assertFalse(o.nofork() || o.stderrlog() || o.uniqueIds() || o.forceKeepalive());
  }

  @Test
  void metricsTakesOneLiteralAddressAndPort() throws Exception {
    assertEquals(Optional.empty(), PlutoOptions.parse(new String[0]).metrics(), "no keyword, no listener");
    assertEquals("[::1]:9090", PlutoOptions.parse(new String[] {"--metrics", "[::1]:9090"}).metrics().orElseThrow()
        .toString());
    PlutoOptions.UsageError e = assertThrows(PlutoOptions.UsageError.class,
        () -> PlutoOptions.parse(new String[] {"--metrics", "metrics.example:9090"}));
    assertEquals("pluto: --metrics=metrics.example:9090: \"metrics.example\" is not an IPv4 or IPv6 address"
        + " (no names)", e.getMessage());
  }

  @Test
  void aLabCommandLineParses() throws Exception {
    PlutoOptions o = PlutoOptions.parse(new String[] {"--nofork", "--stderrlog", "--ctlbase", "/run/west/pluto",
        "--secretsfile", "/lab/west/ipsec.secrets", "--ipsecdir", "/lab/west/ipsec.d", "--config",
        "/lab/west/ipsec.conf", "--use-nostack", "--listen", "192.0.2.1", "--ikeport", "5500", "--nhelpers", "0",
        "--uniqueids", "--nat_traversal", "--keep_alive", "30", "--force_keepalive",
        "--virtual_private", "%v4:10.0.0.0/8", "--debug-all", "--debug-nat-t", "--debug-crypto", "--logfile", "/tmp/p.log", "--perpeerlog"});
    assertEquals(Path.of("/run/west/pluto.ctl"), o.ctlSocket());
    assertEquals(Path.of("/run/west/pluto.pid"), o.pidFile());
    assertEquals(Optional.of(Protostack.NONE), o.stack());
    assertEquals(List.of("192.0.2.1"), o.listen());
    assertEquals(5500, o.ikePort());
    assertEquals(0, o.nhelpers());
    assertEquals(List.of("all", "nattraversal", "crypt"), o.debug(), "Openswan's debug_bit_names");
    assertEquals(Optional.of("%v4:10.0.0.0/8"), o.virtualPrivate());
    assertEquals(Optional.of(Path.of("/tmp/p.log")), o.logFile());
    assertTrue(o.nofork() && o.stderrlog() && o.uniqueIds() && o.natTraversal() && o.perPeerLog());
    assertEquals(30, o.keepAliveSeconds());
    assertTrue(o.forceKeepalive());
  }

  @Test
  void stacksMapToProtostack() throws Exception {
    assertEquals(Optional.of(Protostack.NETKEY), PlutoOptions.parse(new String[] {"--use-netkey"}).stack());
    assertEquals(Optional.of(Protostack.KLIPS), PlutoOptions.parse(new String[] {"--use-klips"}).stack());
    assertEquals(Optional.of(Protostack.AUTO), PlutoOptions.parse(new String[] {"--use-auto"}).stack());
  }

  @Test
  void unknownOptionIsOneClearLine() {
    PlutoOptions.UsageError e = assertThrows(PlutoOptions.UsageError.class,
        () -> PlutoOptions.parse(new String[] {"--frobnicate"}));
    assertEquals(2, e.exitStatus());
    assertEquals("pluto: Unknown option: '--frobnicate' (see 'ipsec pluto --help')", e.getMessage());
  }

  @Test
  void badValuesAreRefused() {
    assertEquals("pluto: --ikeport must be a port number 1..65535, not 70000", assertThrows(
        PlutoOptions.UsageError.class, () -> PlutoOptions.parse(new String[] {"--ikeport", "70000"})).getMessage());
    assertTrue(assertThrows(PlutoOptions.UsageError.class,
        () -> PlutoOptions.parse(new String[] {"--nhelpers", "many"})).getMessage().contains("'many'"));
    assertTrue(assertThrows(PlutoOptions.UsageError.class,
        () -> PlutoOptions.parse(new String[] {"--use-netkey", "--use-klips"})).getMessage().contains("only one"));
    assertTrue(assertThrows(PlutoOptions.UsageError.class,
        () -> PlutoOptions.parse(new String[] {"--ctlbase"})).getMessage().contains("--ctlbase"));
  }
}
