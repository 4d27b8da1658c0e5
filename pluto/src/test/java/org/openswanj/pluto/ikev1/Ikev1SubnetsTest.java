package org.openswanj.pluto.ikev1;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.openswanj.conf.SubnetPermutation;
import org.openswanj.pluto.engine.IkeSettings;
import org.openswanj.pluto.ikev2.TwoPlutos;
import org.openswanj.whack.proto.WhackRequest;

/**
 * leftsubnets=/rightsubnets= over IKEv1 as Openswan 2.6 runs them: the conn is added as its NAME/LxR instances (as
 * ipsec auto --add sends them), whack NAME acts on every instance through connalias=, and the four Quick Modes go
 * on ONE ISAKMP SA to the peer; the responder picks the instance whose subnets the client IDs are.
 */
class Ikev1SubnetsTest {
  static final String PSK = "@west @east : PSK \"a-long-shared-secret\"\n";

  /** West's view; east adds the same keywords and orients itself as right. */
  static Map<String, String> net() {
    Map<String, String> kw = TwoPlutos.connFor("never");
    kw.remove("leftsubnet");
    kw.remove("rightsubnet");
    kw.put("leftsubnets", "{192.0.1.0/24 192.0.3.0/24}");
    kw.put("rightsubnets", "{192.0.2.0/24 192.0.4.0/24}");
    return kw;
  }

  private static void addAll(TwoPlutos t, TwoPlutos.Node n, Map<String, String> kw) {
    for (SubnetPermutation.Instance i : SubnetPermutation.instances("net", kw)) {
      String r = t.add(n, i.name(), i.keywords()).text();
      assertTrue(r.contains("added connection description \"" + i.name() + "\""), r);
    }
  }

  private static TwoPlutos twoPeers() throws Exception {
    TwoPlutos t = new TwoPlutos(PSK, PSK, IkeSettings.defaults());
    addAll(t, t.west, net());
    addAll(t, t.east, net());
    return t;
  }

  @Test
  void aNameThatIsNeitherConnNorAliasIsTodaysError() throws Exception {
    TwoPlutos t = twoPeers();
    TwoPlutos.Recorder r = t.whack(t.west, new WhackRequest.Initiate("nosuch", false));
    assertEquals("021 no connection named \"nosuch\"", r.text());
    assertTrue(r.closed);
  }

  @Test
  void deleteByAliasRemovesEveryInstance() throws Exception {
    TwoPlutos t = twoPeers();
    TwoPlutos.Recorder r = t.whack(t.west, new WhackRequest.DeleteConn("net"));
    assertTrue(r.closed, r.text());
    assertEquals(4, r.text().split("deleting connection", -1).length - 1, r.text());
    assertTrue(t.west.pluto.connections().isEmpty());
  }
}
