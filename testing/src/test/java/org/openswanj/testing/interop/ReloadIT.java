package org.openswanj.testing.interop;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.openswanj.testing.interop.PlutoPeers.CONN;

import java.nio.file.Files;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.openswanj.testing.lab.Host;
import org.openswanj.testing.lab.Lab;
import org.openswanj.testing.lab.Result;

/**
 * {@code ipsec setup reload} and {@code ipsec auto --replace} as a difference, through bin/ipsec between two
 * plutos with three tunnels up: west's file changes one conn and drops another; after the reload the unchanged
 * tunnel keeps its SPIs, the changed one is renegotiated (new SPIs), the dropped one is gone, traffic crosses the
 * two that remain, and an {@code auto --replace} of an unchanged conn leaves it as it was.
 */
class ReloadIT {
  private Lab lab;
  private Host west;
  private Host east;

  @BeforeEach
  void up() {
    Lab.requirePluto();
    lab = Lab.up("ojrl");
    west = lab.west();
    east = lab.east();
  }

  @AfterEach
  void down() {
    lab.stopPlutosAndClose();
  }

  private void configure(Host h, String conf) throws Exception {
    Host peer = h == west ? east : west;
    PlutoPeers.install(h, conf.replace("config setup\n", "config setup\n\tplutostderrlog=" + h.plutoLogFile()
        + "\n"), PlutoPeers.secrets(h, peer) + h.id() + "b " + peer.id() + "b : PSK \""
        + PlutoPeers.PSK + "\"\n" + h.id() + "c " + peer.id() + "c : PSK \"" + PlutoPeers.PSK + "\"\n");
  }

  /**
   * A /32-to-/32 tunnel between two extra addresses (10.1.1.N on west, 10.2.2.N on east), with IDs of its own so
   * the responder finds it by ID (and uniqueids does not take one conn's IKE SA for another's).
   */
  private static String hostConn(String name, int n, Host me, Host peer, String auto, String... extra) {
    boolean w = me.name().equals("west");
    StringBuilder b = new StringBuilder("\nconn " + name + "\n\tikev2=insist\n\tauthby=secret\n\tleft=" + me.address()
        + "\n\tleftid=" + me.id() + name + "\n\tleftsubnet=" + (w ? "10.1.1." : "10.2.2.") + n + "/32\n\tright="
        + peer.address() + "\n\trightid=" + peer.id() + name + "\n\trightsubnet=" + (w ? "10.2.2." : "10.1.1.") + n
        + "/32\n\tauto=" + auto + "\n");
    for (String e : extra) {
      b.append('\t').append(e).append('\n');
    }
    return b.toString();
  }

  /** west's Child SA SPIs of one conn, [in, out] each, from whack --status --json. */
  private static List<List<String>> spis(Host h, String conn) {
    String json = h.ipsec("whack", "--status", "--json").requireOk().stdout();
    Matcher m = Pattern.compile("\"conn\":\"" + Pattern.quote(conn)
        + "\",\"kind\":\"IPSEC\"[^}]*\"inSpi\":\"0x([0-9a-f]{8})\",\"outSpi\":\"0x([0-9a-f]{8})\"").matcher(json);
    List<List<String>> out = new ArrayList<>();
    while (m.find()) {
      out.add(List.of(m.group(1), m.group(2)));
    }
    return out;
  }

  @Test
  void reloadReplacesOnlyWhatChanged() throws Exception {
    for (int n = 1; n <= 2; n++) {
      west.exec("ip", "addr", "add", "10.1.1." + n + "/32", "dev", "lo").requireOk();
      east.exec("ip", "addr", "add", "10.2.2." + n + "/32", "dev", "lo").requireOk();
    }
    String eastConf = PlutoPeers.ipsecConf(east, west, "klips") + hostConn("b", 1, east, west, "add")
        + hostConn("c", 2, east, west, "add");
    configure(east, eastConf);
    String westBase = PlutoPeers.ipsecConf(west, east, "klips").replace("\tauto=add\n", "\tauto=start\n");
    configure(west, westBase + hostConn("b", 1, west, east, "start") + hostConn("c", 2, west, east, "start"));
    assertEquals(0, east.setup("start").exitCode());
    assertEquals(0, west.setup("start").exitCode());
    try {
      PlutoPeers.await("three tunnels up", () -> spis(west, CONN).size() == 1 && spis(west, "b").size() == 1
          && spis(west, "c").size() == 1, 30_000);
    } catch (AssertionError e) {
      throw new AssertionError(e.getMessage() + "\n" + west.ipsec("whack", "--status").stdout() + "\nwest log:\n"
          + Files.readString(west.plutoLogFile()) + "\neast log:\n" + Files.readString(east.plutoLogFile()), e);
    }
    List<String> aBefore = spis(west, CONN).get(0);
    List<String> bBefore = spis(west, "b").get(0);

    // b changes (a local-only keyword, so east still agrees), c is dropped from the file
    configure(west, westBase + hostConn("b", 1, west, east, "start", "rekeymargin=4m"));
    Result reload = west.setup("reload");
    assertEquals(0, reload.exitCode(), reload.toString());
    assertTrue(reload.stdout().contains("1 conn(s) added or replaced, 1 unchanged"), reload.stdout());

    PlutoPeers.await("b renegotiated", () -> spis(west, "b").size() == 1, 30_000);
    assertEquals(aBefore, spis(west, CONN).get(0), "the unchanged tunnel keeps its SPIs");
    assertFalse(bBefore.equals(spis(west, "b").get(0)), "the changed one has new SPIs");
    String status = west.ipsec("whack", "--status").stdout();
    assertFalse(status.contains("\"c\""), "the dropped conn is gone:\n" + status);
    assertTrue(west.ping("192.0.2.254", "192.0.1.254", 2).allReplied());
    assertTrue(west.ping("10.2.2.1", "10.1.1.1", 2).allReplied());

    Result replace = west.ipsec("auto", "--replace", CONN);
    assertEquals(0, replace.exitCode(), replace.toString());
    assertEquals("000 \"" + CONN + "\": unchanged\n", replace.stdout());
    assertEquals(aBefore, spis(west, CONN).get(0), "auto --replace of an unchanged conn keeps its SA");
  }
}
