package org.openswanj.testing.interop;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.openswanj.testing.interop.PlutoPeers.CONN;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.openswanj.testing.lab.Host;
import org.openswanj.testing.lab.Lab;
import org.openswanj.testing.lab.Result;

/**
 * An Openswan admin's addresses, through bin/ipsec between two plutos: west's conn says {@code left=%defaultroute}
 * and {@code right=east.lab.example} (a name in west's own /etc/hosts, via /etc/netns), both resolved at
 * {@code auto --add} on a pluto started before the name existed; the tunnel comes up and traffic crosses. A name
 * that resolves nowhere fails its add with Openswan's message and whack's status 22; a conn whose also= names
 * no conn is added with a warning, as Openswan's confread.c does.
 */
class HostAddressesIT {
  private Lab lab;
  private Host west;
  private Host east;
  private Path netnsEtc;

  @BeforeEach
  void up() {
    Lab.requirePluto();
    lab = Lab.up("ojha");
    west = lab.west();
    east = lab.east();
    netnsEtc = Path.of("/etc/netns", west.namespace());
  }

  @AfterEach
  void down() throws Exception {
    for (Host h : List.of(west, east)) {
      h.setup("stop");
    }
    lab.close();
    if (Files.exists(netnsEtc)) {
      try (Stream<Path> s = Files.walk(netnsEtc)) {
        for (Path p : s.sorted(Comparator.reverseOrder()).toList()) {
          Files.delete(p);
        }
      }
    }
  }

  private void configure(Host h, String conf) throws Exception {
    PlutoPeers.install(h, conf, PlutoPeers.secrets(h, h == west ? east : west));
  }

  @Test
  void defaultRouteAndHostNameAreResolvedAtAddAndTheTunnelComesUp() throws Exception {
    // west's /etc/hosts and resolver exist only in its namespace: ip netns exec binds /etc/netns/NS/* over /etc
    Files.createDirectories(netnsEtc);
    Files.writeString(netnsEtc.resolve("resolv.conf"), "nameserver 127.0.0.1\noptions timeout:1 attempts:1\n");
    Files.writeString(netnsEtc.resolve("hosts"), "127.0.0.1 localhost\n");
    west.exec("ip", "route", "add", "default", "via", "192.1.2.23", "dev", "eth0").requireOk();

    configure(east, PlutoPeers.ipsecConf(east, west, "klips"));
    String westConf = PlutoPeers.ipsecConf(west, east, "klips")
        .replace("config setup\n", "config setup\n\tplutostderrlog=" + west.plutoLogFile() + "\n")
        .replace("\tleft=192.1.2.45\n", "\tleft=%defaultroute\n")
        .replace("\tright=192.1.2.23\n", "\tright=east.lab.example\n")
        + "\nconn lost\n\tleft=%defaultroute\n\tright=nowhere.lab.example\n\tauthby=secret\n\tauto=ignore\n"
        + "\nconn partial\n\talso=nosuch\n\tleft=%defaultroute\n\tright=192.1.2.99\n\tauthby=secret\n\tauto=ignore\n";
    configure(west, westConf);
    assertEquals(0, east.setup("start").exitCode());
    // pluto starts with no name for east anywhere: nothing is looked up before the add
    assertEquals(0, west.setup("start").exitCode());
    Files.writeString(netnsEtc.resolve("hosts"), "127.0.0.1 localhost\n192.1.2.23 east.lab.example\n");

    Result add = west.ipsec("auto", "--add", CONN);
    assertEquals(0, add.exitCode(), add.toString());
    String status = west.ipsec("whack", "--status").stdout();
    assertTrue(status.contains("192.1.2.45<192.1.2.45>[@west]") && status.contains("192.1.2.23<192.1.2.23>[@east]"),
        "left is the default route's device address, right the name's address, never %any:\n" + status);
    assertFalse(status.contains("%any"), status);
    assertTrue(Files.readString(west.plutoLogFile()).contains("right=east.lab.example resolved to 192.1.2.23"),
        "the resolution is logged");

    Result up = west.ipsec("auto", "--up", CONN);
    assertEquals(0, up.exitCode(), up.toString());
    assertTrue(west.ping("192.0.2.254", "192.0.1.254", 3).allReplied(), "traffic crosses the tunnel");
    assertEquals(1, PlutoPeers.childSpis(west).size());

    Result lost = west.ipsec("auto", "--add", "lost");
    assertEquals(22, lost.exitCode(), lost.toString());
    assertEquals("022 \"lost\": failed to convert 'nowhere.lab.example' at load time: does not look numeric and name"
        + " lookup failed\n", lost.stdout());
    assertFalse(west.ipsec("whack", "--status").stdout().contains("\"lost\""), "not added as %any");

    Result partial = west.ipsec("auto", "--add", "partial");
    assertEquals(0, partial.exitCode(), partial.toString());
    assertTrue(partial.stderr().contains("warning: also=nosuch in conn partial: no conn named 'nosuch' (ignored)"),
        partial.stderr());
    Result fatal = west.ipsecRaw("addconn", "--config", west.ipsecConf().toString(), "--ctlbase",
        west.ctlbase().toString(), "--warningsfatal", "--checkconfig");
    assertTrue(fatal.exitCode() != 0 && fatal.stderr().contains("also=nosuch"), "--warningsfatal: " + fatal);
  }
}
