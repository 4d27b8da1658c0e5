package org.openswanj.testing.interop;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.openswanj.testing.interop.PlutoPeers.CONN;
import static org.openswanj.testing.interop.PlutoPeers.PSK;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.openswanj.testing.lab.IkeSaInfo;
import org.openswanj.testing.lab.Result;
import org.openswanj.testing.lab.SwanctlConn;

/**
 * Two IKEv2 conns to the same charon with the same IDs (net-a: 192.0.1.0/24 === 192.0.2.0/24, net-b:
 * 192.0.3.0/24 === 192.0.4.0/24) through bin/ipsec: their Child SAs share ONE IKE SA, the second made by
 * CREATE_CHILD_SA (RFC 7296 §1.3.1), both ways. Before, pluto opened an IKE SA per conn and charon's default
 * uniqueids=yes took the second as a replacement of the first, deleting net-a's tunnel. Charon has one connection
 * with the two children; west has 192.0.3.254 and east 192.0.4.254 on lo as the second subnets.
 */
class SharedIkeSaStrongSwanIT extends CharonLabTest {

  SharedIkeSaStrongSwanIT() {
    super("ojcs");
  }

  @Override
  void prepare() throws Exception {
    PlutoPeers.addSecondSubnets(lab);
  }

  private void start() {
    String a = PlutoPeers.ipsecConf(west, lab.east(), "klips", "ike=aes128-sha1-modp2048", "esp=aes128-sha1")
        .replace("conn " + CONN + "\n", "conn net-a\n");
    String connA = a.substring(a.indexOf("conn net-a\n"));
    String connB = connA.replace("conn net-a\n", "conn net-b\n")
        .replace("\tleftsubnet=192.0.1.0/24\n", "\tleftsubnet=192.0.3.0/24\n")
        .replace("\trightsubnet=192.0.2.0/24\n", "\trightsubnet=192.0.4.0/24\n");
    assertTrue(connB.contains("192.0.3.0/24") && connB.contains("192.0.4.0/24"), connB);
    west.startPluto(a + "\n" + connB, PlutoPeers.secrets(west, lab.east()));
    for (String c : List.of("net-a", "net-b")) {
      Result add = west.ipsec("auto", "--add", c).requireOk();
      assertTrue(add.stdout().contains("added connection description \"" + c + "\""), add.stdout());
    }
    String swanctl = SwanctlConn.render(SwanctlConn.psk("peer", lab.east(), west, PSK).ikeVersion(2)
        // pfs=yes (Openswan's default): CREATE_CHILD_SA carries KE, so charon's ESP proposals name the group
        .proposals("aes128-sha1-modp2048").espProposals("aes128-sha1-modp2048").child("net-a")
        .ts("192.0.2.0/24", "192.0.1.0/24").build());
    int from = swanctl.indexOf("      net-a {\n");
    int to = swanctl.indexOf("      }\n", from) + "      }\n".length();
    String childA = swanctl.substring(from, to);
    String childB = childA.replace("net-a", "net-b").replace("192.0.2.0/24", "192.0.4.0/24")
        .replace("192.0.1.0/24", "192.0.3.0/24");
    east.load(swanctl.substring(0, to) + childB + swanctl.substring(to));
  }

  private AssertionError withLogs(String what) {
    return new AssertionError(what + "\n--- pluto.log ---\n" + west.plutoLog() + "\n--- charon ---\n" + east.log());
  }

  private Result up(String conn) {
    long t0 = System.nanoTime();
    Result r = west.ipsec("auto", "--up", conn);
    long ms = (System.nanoTime() - t0) / 1_000_000;
    if (r.exitCode() != 0) {
      throw withLogs("auto --up " + conn + " exited " + r.exitCode() + "\n" + r.stdout());
    }
    System.out.println("MEASURE ikev2 shared IKE SA auto --up " + conn + " ms=" + ms);
    return r;
  }

  /** charon holds one IKE SA with {@code children} INSTALLED Child SAs. */
  private IkeSaInfo oneIkeSaWith(int children) {
    List<IkeSaInfo> sas = east.listSas();
    if (sas.size() != 1 || sas.get(0).children().stream().filter(c -> c.state().equals("INSTALLED")).count()
        != children) {
      throw withLogs("charon should hold one IKE SA with " + children + " Child SAs: " + sas);
    }
    return sas.get(0);
  }

  private void pingsCross(String pair, String dst, String src) {
    assertTrue(west.ping(dst, src, 3).allReplied(), "ping across " + pair);
  }

  @Test
  void plutoPutsTheSecondConnsChildSaOnTheFirstConnsIkeSa() {
    start();
    Result a = up("net-a");
    assertTrue(a.stdout().contains("\"net-a\" #") && a.stdout().contains("IPsec SA established"), a.stdout());
    Result b = up("net-b");
    assertTrue(b.stdout().strip().matches("(?s).*\"net-b\" #\\d+: STATE_PARENT_I3: IPsec SA established[^\n]*"),
        "the last line says the Child SA is up:\n" + b.stdout());
    assertTrue(!b.stdout().contains("initiating v2 parent SA"), "no second IKE SA:\n" + b.stdout());
    IkeSaInfo sa = oneIkeSaWith(2);
    assertEquals(2, sa.children().stream().map(c -> c.name()).distinct().count(), "net-a and net-b: " + sa);
    assertEquals(1, PlutoPeers.ikeStates(west).size(), "one IKE SA on pluto");
    assertEquals(2, PlutoPeers.childSpis(west).size(), "two Child SAs on pluto");
    pingsCross("net-a", "192.0.2.254", "192.0.1.254");
    pingsCross("net-b", "192.0.4.254", "192.0.3.254");

    Result downB = west.ipsec("auto", "--down", "net-b");
    assertEquals(0, downB.exitCode(), downB.stdout());
    try {
      PlutoPeers.await("charon deleted net-b's Child SA only", () -> {
        List<IkeSaInfo> sas = east.listSas();
        return sas.size() == 1 && sas.get(0).children().size() == 1;
      }, 10_000);
    } catch (AssertionError e) {
      throw withLogs(e.getMessage() + ": " + east.listSas());
    }
    pingsCross("net-a, after net-b went down,", "192.0.2.254", "192.0.1.254");
    Result downA = west.ipsec("auto", "--down", "net-a");
    assertEquals(0, downA.exitCode(), downA.stdout());
    try {
      PlutoPeers.await("charon dropped the IKE SA with the last conn", () -> east.listSas().isEmpty(), 10_000);
    } catch (AssertionError e) {
      throw withLogs(e.getMessage());
    }
    assertTrue(PlutoPeers.childSpis(west).isEmpty() && PlutoPeers.ikeStates(west).isEmpty(),
        west.ipsec("whack", "--status").stdout());
  }

  @Test
  void charonsTwoChildrenLandOnTheirOwnConnsInPluto() {
    start();
    east.initiate("net-a");
    east.initiate("net-b"); // on the IKE SA net-a's child came with: CREATE_CHILD_SA
    oneIkeSaWith(2);
    assertEquals(1, PlutoPeers.ikeStates(west).size(), "one IKE SA on pluto");
    assertEquals(2, PlutoPeers.childSpis(west).size(), "two Child SAs on pluto");
    String status = west.ipsec("whack", "--status").requireOk().stdout();
    assertTrue(status.matches("(?s).*#\\d+: \"net-a\":\\d+ STATE_PARENT_R2.*")
        && status.matches("(?s).*#\\d+: \"net-b\":\\d+ STATE_PARENT_R2.*"), "each Child SA is its conn's:\n" + status);
    pingsCross("net-a", "192.0.2.254", "192.0.1.254");
    pingsCross("net-b", "192.0.4.254", "192.0.3.254");
  }
}
