package org.openswanj.pluto.ikev2;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetAddress;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.openswanj.pluto.engine.IkeSettings;
import org.openswanj.pluto.ike.wire.TrafficSelector;
import org.openswanj.whack.proto.WhackRequest;

/**
 * RFC 7296 §2.23.1, transport mode through a NAT: the initiator behind the NAT names its own (private) address in
 * TSi; the responder keys the address it sees the peer at and answers with the peer's own selectors, so each side
 * installs what it can reach. West's {@code forceencaps=yes} makes NAT-D say west is behind a NAT, and its
 * {@code leftsubnet=10.9.9.9/32} plays the private address its transport-mode selectors name.
 */
class TransportNatTest {
  static final String PSK = "@west @east : PSK \"a-long-shared-secret\"\n";
  static final String PRIVATE = "10.9.9.9";

  private static TwoPlutos up(String... eastExtra) throws Exception {
    TwoPlutos t = new TwoPlutos(PSK, PSK, IkeSettings.defaults());
    Map<String, String> west = TwoPlutos.conn("type", "transport", "forceencaps", "yes",
        "leftsubnet", PRIVATE + "/32");
    west.remove("rightsubnet");
    Map<String, String> east = TwoPlutos.conn("type", "transport");
    east.remove("leftsubnet");
    east.remove("rightsubnet");
    for (int i = 0; i < eastExtra.length; i += 2) {
      east.put(eastExtra[i], eastExtra[i + 1]);
    }
    assertTrue(t.add(t.west, "west-east", west).text().contains("added connection description"));
    assertTrue(t.add(t.east, "west-east", east).text().contains("added connection description"));
    return t;
  }

  private static TrafficSelector host(String a) throws Exception {
    InetAddress ip = InetAddress.getByName(a);
    return TrafficSelector.ofRange(ip, ip);
  }

  @Test
  void theResponderKeysThePeersObservedAddressAndAnswersWithItsOwnSelectors() throws Exception {
    TwoPlutos t = up();
    TwoPlutos.Recorder r = t.whack(t.west, new WhackRequest.Initiate("west-east", false));
    assertTrue(r.text().contains("IPsec SA established transport mode {ESP/NAT"), r.text());
    ChildSa east = t.east.pluto.engine().childSas().get(0);
    ChildSa west = t.west.pluto.engine().childSas().get(0);
    assertEquals(List.of(host(TwoPlutos.WEST)), east.remoteTs(), "east keys west's observed address");
    assertEquals(List.of(host(PRIVATE)), east.remoteTsAsPeerNamesIt, "and remembers how west names itself");
    assertEquals(List.of(host(PRIVATE)), west.localTs(), "west got its own selectors back");
  }

  @Test
  void aRekeyFromBehindTheNatIsKeyedAtTheObservedAddressAgain() throws Exception {
    rekeyBy(true);
  }

  @Test
  void theResponderRekeysNamingThePeersSideAsThePeerNamesIt() throws Exception {
    rekeyBy(false); // east's CREATE_CHILD_SA must say TSr 10.9.9.9, or west refuses it (TS_UNACCEPTABLE)
  }

  private static void rekeyBy(boolean west) throws Exception {
    TwoPlutos t = up();
    t.whack(t.west, new WhackRequest.Initiate("west-east", false));
    ChildSa first = t.east.pluto.engine().childSas().get(0);
    TwoPlutos.Node by = west ? t.west : t.east;
    by.pluto.engine().createChild.rekeyChild(by.pluto.engine().childSas().get(0));
    t.loop.advance(Duration.ofSeconds(2));
    List<ChildSa> now = t.east.pluto.engine().childSas();
    assertEquals(1, now.size(), "the rekeyed Child SA replaced the first: " + now);
    ChildSa fresh = now.get(0);
    assertNotEquals(first.inboundSpi, fresh.inboundSpi, "rekeyed");
    assertEquals(List.of(host(TwoPlutos.WEST)), fresh.remoteTs(), "still keyed at west's address");
    assertEquals(List.of(host(PRIVATE)), fresh.remoteTsAsPeerNamesIt);
    ChildSa w = t.west.pluto.engine().childSas().get(0);
    assertEquals(List.of(host(PRIVATE)), w.localTs());
    assertEquals(fresh.inboundSpi, w.outboundSpi, "west sends into the new SA");
  }
}
