package org.openswanj.testing.interop;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.openswanj.testing.interop.PlutoPeers.CONN;
import static org.openswanj.testing.interop.PlutoPeers.PSK;

import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.openswanj.testing.lab.IkeSaInfo;
import org.openswanj.testing.lab.Result;
import org.openswanj.testing.lab.SwanctlConn;

/**
 * leftsubnets=/rightsubnets= through bin/ipsec against charon (one child whose local_ts and remote_ts list both
 * subnets), permuted as Openswan 2.6's starter does, in both IKE versions: {@code ipsec auto --up NAME} brings the
 * four NAME/LxR pairs up on ONE IKE SA (charon's uniqueids would take a second one as a replacement) — IKEv1 as one
 * Main Mode and four Quick Modes, IKEv2 as IKE_AUTH's Child SA and three CREATE_CHILD_SAs — pings cross two of the
 * pairs, {@code ipsec auto --down NAME} removes them all. West has 192.0.3.254 and east 192.0.4.254 on lo as the
 * second subnets.
 */
class SubnetsStrongSwanIT extends CharonLabTest {
  private static final List<String> PAIRS = List.of("1x1", "1x2", "2x1", "2x2");

  SubnetsStrongSwanIT() {
    super("ojsb");
  }

  @Override
  void prepare() throws Exception {
    PlutoPeers.addSecondSubnets(lab);
  }

  private void start(int ikeVersion) {
    String conf = PlutoPeers.ipsecConf(west, lab.east(), "klips", "ike=aes128-sha1-modp2048", "esp=aes128-sha1")
        .replace("\tikev2=insist\n", ikeVersion == 1 ? "\tikev2=never\n" : "\tikev2=insist\n")
        .replace("\tleftsubnet=192.0.1.0/24\n", "\tleftsubnets={192.0.1.0/24 192.0.3.0/24}\n")
        .replace("\trightsubnet=192.0.2.0/24\n", "\trightsubnets=192.0.2.0/24,192.0.4.0/24\n");
    west.startPluto(conf, PlutoPeers.secrets(west, lab.east()));
    east.load(SwanctlConn.psk(CONN, lab.east(), west, PSK).ikeVersion(ikeVersion).proposals("aes128-sha1-modp2048")
        .espProposals("aes128-sha1-modp2048").ts("192.0.2.0/24,192.0.4.0/24", "192.0.1.0/24,192.0.3.0/24")
        .build());
  }

  private AssertionError withLogs(String what) {
    return new AssertionError(what + "\n--- pluto.log ---\n" + west.plutoLog() + "\n--- charon ---\n" + east.log());
  }

  @ParameterizedTest(name = "IKEv{0}")
  @ValueSource(ints = {1, 2})
  void upByNameBringsEveryPairOnOneIkeSaAndDownRemovesThemAll(int ikeVersion) throws InterruptedException {
    start(ikeVersion);
    Result add = west.ipsec("auto", "--add", CONN).requireOk();
    for (String p : PAIRS) {
      assertTrue(add.stdout().contains("added connection description \"" + CONN + "/" + p + "\""), add.stdout());
    }
    String status = west.ipsec("auto", "--status").requireOk().stdout();
    for (String p : PAIRS) {
      assertTrue(status.contains("\"" + CONN + "/" + p + "\": "), "--status lists " + p + ":\n" + status);
    }
    long t0 = System.nanoTime();
    Result up = west.ipsec("auto", "--up", CONN);
    long upMs = (System.nanoTime() - t0) / 1_000_000;
    if (up.exitCode() != 0) {
      throw withLogs("auto --up " + CONN + " exited " + up.exitCode() + "\n" + up.stdout());
    }
    String established = ikeVersion == 1 ? "STATE_QUICK_I2: sent QI2, IPsec SA established"
        : "STATE_PARENT_I3: IPsec SA established";
    for (String p : PAIRS) {
      assertTrue(up.stdout().matches("(?s).*\"" + CONN + "/" + p + "\" #\\d+: " + established + ".*"),
          p + ":\n" + up.stdout());
    }
    System.out.println("MEASURE ikev" + ikeVersion + " subnets 2x2 auto --up ("
        + (ikeVersion == 1 ? "MM + 4 QM" : "IKE_SA_INIT, IKE_AUTH + 3 CREATE_CHILD_SA") + ") ms=" + upMs);
    // pluto (IKEv1 initiator) reports an IPsec SA established when it sends QI2; charon installs it when QI2
    // arrives: the four may still be on their way when auto --up returns
    try {
      PlutoPeers.await("charon installed the four Child SAs on one IKE SA", () -> {
        List<IkeSaInfo> sas = east.listSas();
        return sas.size() == 1 && sas.get(0).children().stream().filter(c -> c.state().equals("INSTALLED")).count() == 4;
      }, 20_000);
    } catch (AssertionError e) {
      throw withLogs(e.getMessage() + ": " + east.listSas());
    }
    assertEquals(1, PlutoPeers.ikeStates(west).size(), "one IKE SA on pluto");
    assertEquals(4, PlutoPeers.childSpis(west).size(), "four Child SAs on pluto");
    assertTrue(west.ping("192.0.2.254", "192.0.1.254", 3).allReplied(), "ping across 1x1");
    assertTrue(west.ping("192.0.4.254", "192.0.3.254", 3).allReplied(), "ping across 2x2");

    Result down = west.ipsec("auto", "--down", CONN);
    assertEquals(0, down.exitCode(), down.stdout());
    try {
      PlutoPeers.await("charon dropped every SA after pluto's Deletes", () -> east.listSas().isEmpty(), 10_000);
    } catch (AssertionError e) {
      throw withLogs(e.getMessage());
    }
    assertTrue(PlutoPeers.childSpis(west).isEmpty() && PlutoPeers.ikeStates(west).isEmpty(),
        west.ipsec("whack", "--status").stdout());
  }
}
