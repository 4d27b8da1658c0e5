package org.openswanj.pluto.ikev2;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.openswanj.pluto.engine.IkeSettings;
import org.openswanj.whack.proto.WhackRequest;

/**
 * RFC 7296 §2.4 INITIAL_CONTACT: west is killed with two tunnels up (two conns of the same IDs, sharing one IKE SA,
 * RFC 7296 §1.3.1) and restarted; its first IKE_AUTH to east carries INITIAL_CONTACT and east deletes the IKE SAs
 * (and their Child SAs) of west's previous life, of every conn, while the conns of the new life are all kept.
 * East runs uniqueids=no, so only INITIAL_CONTACT can remove the old SAs.
 */
class InitialContactTest {
  private static final String PSK = "@west @east : PSK \"a-long-shared-secret\"\n"
      + "@west2 @east : PSK \"another-long-shared-secret\"\n";
  private static final IkeSettings NO_UNIQUEIDS = IkeSettings.defaults().withUniqueIds(false);

  private static Map<String, String> conn(int n) {
    return TwoPlutos.conn("leftsubnet", "10.1." + n + ".0/24", "rightsubnet", "10.2." + n + ".0/24");
  }

  private static void addBoth(TwoPlutos t, TwoPlutos.Node west) {
    for (int n = 1; n <= 2; n++) {
      assertTrue(t.add(west, "c" + n, conn(n)).text().contains("added"));
    }
  }

  /** Both conns initiated before either IKE SA is up, as auto=start does at pluto's start. */
  private static String startTogether(TwoPlutos t, TwoPlutos.Node west) {
    List<TwoPlutos.Recorder> rs = List.of(new TwoPlutos.Recorder(), new TwoPlutos.Recorder());
    west.pluto.handle(new WhackRequest.Initiate("c1", false), rs.get(0));
    west.pluto.handle(new WhackRequest.Initiate("c2", false), rs.get(1));
    t.loop.runPending();
    return rs.get(0).text() + "\n" + rs.get(1).text();
  }

  private static List<Long> eastUp(TwoPlutos t) {
    return t.east.pluto.engine().ikeSas().stream().filter(s -> s.state.established()).map(s -> s.serial).sorted()
        .toList();
  }

  private static TwoPlutos lab() throws Exception {
    TwoPlutos t = new TwoPlutos(PSK, PSK, NO_UNIQUEIDS, NO_UNIQUEIDS);
    addBoth(t, t.west);
    for (int n = 1; n <= 2; n++) {
      assertTrue(t.add(t.east, "c" + n, conn(n)).text().contains("added"));
    }
    return t;
  }

  @Test
  void afterARestartEastKeepsOnlyTheNewLifesSas() throws Exception {
    TwoPlutos t = lab();
    startTogether(t, t.west);
    List<Long> old = eastUp(t);
    assertEquals(1, old.size(), "two tunnels up before the kill, on one IKE SA");
    assertEquals(4, t.east.backend.sas().size(), "east's kernel: two SA pairs " + t.east.backend.describe());

    TwoPlutos.Node west = t.killAndRestart(t.west, NO_UNIQUEIDS);
    addBoth(t, west);
    String whack = startTogether(t, west);
    assertTrue(whack.contains("sending INITIAL_CONTACT") && whack.contains("waits for"),
        "c1 carries it, c2 waits for c1's IKE SA:\n" + whack);

    List<Long> now = eastUp(t);
    assertEquals(1, now.size(), "east holds exactly the new IKE SA, not " + now + " (old " + old + ")");
    assertTrue(now.stream().noneMatch(old::contains), "none of west's previous life: " + now + " vs " + old);
    assertEquals(2, west.pluto.engine().childSas().size(), "the new conns did not delete each other");
    assertEquals(4, t.east.backend.sas().size(), "east's kernel: only the new SA pairs " + t.east.backend.describe());
    List<Integer> westIn = west.pluto.engine().childSas().stream().map(c -> c.inboundSpi).toList();
    assertTrue(t.east.pluto.engine().childSas().stream().allMatch(c -> westIn.contains(c.outboundSpi)),
        "every Child SA east holds leads to the restarted west");
  }

  @Test
  void initialContactNamesOneIdentityPairAndDeletesNoOther() throws Exception {
    TwoPlutos t = lab();
    startTogether(t, t.west);
    // another ID of the same (not restarted) west: RFC 7296 §2.4 asserts this is the only IKE SA between *these*
    // identities, so it carries INITIAL_CONTACT and east keeps @west's IKE SA
    Map<String, String> c3 = TwoPlutos.conn("leftid", "@west2", "leftsubnet", "10.1.3.0/24", "rightsubnet",
        "10.2.3.0/24");
    assertTrue(t.add(t.west, "c3", c3).text().contains("added"));
    assertTrue(t.add(t.east, "c3", c3).text().contains("added"));
    TwoPlutos.Recorder r = t.whack(t.west, new WhackRequest.Initiate("c3", false));
    assertTrue(r.text().contains("IPsec SA established") && r.text().contains("sending INITIAL_CONTACT"), r.text());
    assertEquals(2, eastUp(t).size(), "@west's IKE SA stays beside @west2's: " + eastUp(t));
  }
}
