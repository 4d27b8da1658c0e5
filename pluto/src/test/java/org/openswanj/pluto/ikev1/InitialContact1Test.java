package org.openswanj.pluto.ikev1;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.openswanj.pluto.engine.IkeSettings;
import org.openswanj.pluto.ikev2.TwoPlutos;
import org.openswanj.whack.proto.WhackRequest;

/**
 * RFC 2407 §4.6.3.3 INITIAL-CONTACT: west is killed with two IKEv1 tunnels up (one ISAKMP SA) and restarted; its
 * first Main Mode carries INITIAL-CONTACT and east drops the ISAKMP SA and IPsec SAs of west's previous life.
 */
class InitialContact1Test {
  private static final String PSK = "@west @east : PSK \"a-long-shared-secret\"\n";
  private static final IkeSettings NO_UNIQUEIDS = IkeSettings.defaults().withUniqueIds(false);

  private static Map<String, String> conn(int n) {
    return TwoPlutos.connFor("never", "leftsubnet", "10.1." + n + ".0/24", "rightsubnet", "10.2." + n + ".0/24");
  }

  private static void addBoth(TwoPlutos t, TwoPlutos.Node h) {
    for (int n = 1; n <= 2; n++) {
      assertTrue(t.add(h, "c" + n, conn(n)).text().contains("added"));
    }
  }

  private static String startBoth(TwoPlutos t, TwoPlutos.Node west) {
    StringBuilder b = new StringBuilder();
    for (String c : List.of("c1", "c2")) {
      b.append(t.whack(west, new WhackRequest.Initiate(c, false)).text());
    }
    return b.toString();
  }

  @Test
  void afterARestartEastKeepsOnlyTheNewLifesSas() throws Exception {
    TwoPlutos t = new TwoPlutos(PSK, PSK, NO_UNIQUEIDS, NO_UNIQUEIDS);
    addBoth(t, t.west);
    addBoth(t, t.east);
    assertTrue(startBoth(t, t.west).contains("sending INITIAL-CONTACT"));
    assertEquals(2, t.east.pluto.ikev1().ipsecSas().size());
    List<Integer> oldIn = t.east.pluto.ikev1().ipsecSas().stream().map(q -> q.inboundSpi).toList();

    TwoPlutos.Node west = t.killAndRestart(t.west, NO_UNIQUEIDS);
    addBoth(t, west);
    String whack = startBoth(t, west);
    assertTrue(whack.contains("sending INITIAL-CONTACT"), whack);

    assertEquals(1, t.east.pluto.ikev1().isakmpSas().stream().filter(s -> !s.deleting).count(),
        "east holds only the new ISAKMP SA");
    List<QuickSa> now = t.east.pluto.ikev1().ipsecSas();
    assertEquals(2, now.size(), "east holds the two new IPsec SAs only");
    assertTrue(now.stream().noneMatch(q -> oldIn.contains(q.inboundSpi)), "none of the old life");
    assertEquals(4, t.east.backend.sas().size(), "east's kernel: two SA pairs " + t.east.backend.describe());
    assertEquals(1, count(whack + startBoth(t, west), "INITIAL-CONTACT"), "only the first Main Mode carries it");
  }

  private static int count(String s, String w) {
    return s.split(java.util.regex.Pattern.quote(w), -1).length - 1;
  }
}
