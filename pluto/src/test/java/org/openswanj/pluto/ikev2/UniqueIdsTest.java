package org.openswanj.pluto.ikev2;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.openswanj.whack.proto.WhackRequest;

/**
 * uniqueids as Openswan: east's shared road-warrior conn (left=%any) serves two peer identities; a new IKE SA
 * replaces only an older one of the SAME identity, and with uniqueids off nothing is replaced.
 */
class UniqueIdsTest {
  private static final String SECRETS = "@alice @east : PSK \"alice-shared-secret\"\n"
      + "@bob @east : PSK \"bob-shared-secret\"\n";

  private static Map<String, String> westAs(String id) {
    Map<String, String> m = new LinkedHashMap<>();
    m.put("left", TwoPlutos.WEST);
    m.put("leftid", id);
    m.put("right", TwoPlutos.EAST);
    m.put("rightid", "@east");
    m.put("authby", "secret");
    m.put("ikev2", "insist");
    return m;
  }

  private static Map<String, String> shared() {
    Map<String, String> m = new LinkedHashMap<>();
    m.put("left", "%any");
    m.put("leftid", "%any");
    m.put("right", TwoPlutos.EAST);
    m.put("rightid", "@east");
    m.put("authby", "secret");
    m.put("ikev2", "insist");
    return m;
  }

  private TwoPlutos lab(boolean uniqueIds) throws Exception {
    Ikev2Settings settings = Ikev2Settings.defaults().withUniqueIds(uniqueIds);
    TwoPlutos t = new TwoPlutos(SECRETS, SECRETS, settings, settings);
    assertTrue(t.add(t.west, "alice", westAs("@alice")).text().contains("added"));
    assertTrue(t.add(t.west, "bob", westAs("@bob")).text().contains("added"));
    assertTrue(t.add(t.east, "shared", shared()).text().contains("added"));
    return t;
  }

  private static List<String> eastPeers(TwoPlutos t) {
    return t.east.pluto.engine().ikeSas().stream().filter(s -> s.state.established())
        .map(s -> String.valueOf(s.peerId)).sorted().toList();
  }

  @Test
  void anotherPeersSaOnASharedConnIsKept() throws Exception {
    TwoPlutos t = lab(true);
    String a = t.whack(t.west, new WhackRequest.Initiate("alice", false)).text();
    assertTrue(a.contains("established"), a);
    assertTrue(t.whack(t.west, new WhackRequest.Initiate("bob", false)).text().contains("established"));
    assertEquals(List.of("@alice", "@bob"), eastPeers(t), "bob's SA must not delete alice's");
  }

  @Test
  void theSamePeerAgainReplacesItsOlderSa() throws Exception {
    TwoPlutos t = lab(true);
    t.whack(t.west, new WhackRequest.Initiate("alice", false));
    long first = t.east.pluto.engine().ikeSas().get(0).serial;
    t.whack(t.west, new WhackRequest.Initiate("alice", false));
    List<IkeSa> now = t.east.pluto.engine().ikeSas().stream().filter(s -> s.state.established()).toList();
    assertEquals(1, now.size(), "one SA for @alice");
    assertTrue(now.get(0).serial > first, "the newer one stays");
  }

  @Test
  void uniqueIdsOffKeepsBoth() throws Exception {
    TwoPlutos t = lab(false);
    t.whack(t.west, new WhackRequest.Initiate("alice", false));
    t.whack(t.west, new WhackRequest.Initiate("alice", false));
    assertEquals(List.of("@alice", "@alice"), eastPeers(t));
  }
}
