package org.openswanj.pluto.ikev1;

import org.openswanj.pluto.engine.IkeSettings;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.openswanj.kernel.PolicyDirection;
import org.openswanj.kernel.PolicySpec;
import org.openswanj.pluto.ike.wire.ExchangeType;
import org.openswanj.pluto.ike.wire.IkeCodec;
import org.openswanj.pluto.ikev2.TwoPlutos;
import org.openswanj.pluto.net.MemoryNetwork.Datagram;
import org.openswanj.whack.proto.WhackRequest;

/**
 * The IKEv1 Quick Mode responder cannot be steered by what an unauthenticated party replays (issue 11): an old
 * QI1 changes nothing, a QI1 from another address is dropped, and our outbound SA waits for QI2's HASH(3).
 */
class Ikev1ResponderHardeningTest {
  private static final int QUICK_MODE = 32;

  private static TwoPlutos up() throws Exception {
    TwoPlutos t = new TwoPlutos(Ikev1TwoPeerTest.PSK, Ikev1TwoPeerTest.PSK, IkeSettings.defaults());
    t.add(t.west, "west-east", TwoPlutos.connFor("never", "salifetime", "1h", "rekeymargin", "9m", "rekeyfuzz", "0%"));
    t.add(t.east, "west-east", TwoPlutos.connFor("never", "salifetime", "1h"));
    return t;
  }

  private static List<Datagram> quickModeFromWest(TwoPlutos t) {
    return t.net.log().stream().filter(d -> (d.bytes()[18] & 0xff) == QUICK_MODE)
        .filter(d -> d.from().getAddress().getHostAddress().equals(TwoPlutos.WEST)).toList();
  }

  /** East's outbound IPsec policies, by selector: what a replay must not move. */
  private static Map<?, PolicySpec> eastOut(TwoPlutos t) {
    return t.east.backend.policies().entrySet().stream().filter(p -> p.getKey().direction() == PolicyDirection.OUT)
        .collect(java.util.stream.Collectors.toMap(Map.Entry::getKey, Map.Entry::getValue));
  }

  @Test
  void aPeerThatNeverSendsQi2HoldsAtMostSixteenQuickModesOpen() throws Exception {
    // Ikev1SealedFuzzTest: every fresh QI1 of an authenticated peer made a QUICK_R1 with an SPI and an inbound SA
    TwoPlutos t = up();
    t.whack(t.west, new WhackRequest.Initiate("west-east", false));
    IsakmpSa e = t.east.pluto.ikev1().isakmpSas().get(0);
    byte[] qi1 = quickModeFromWest(t).get(0).bytes();
    V1Protect.Opened o = V1Protect.open(e, IkeCodec.decodeHeader(qi1), qi1,
        V1Protect.phase2Iv(e, IkeCodec.decodeHeader(qi1).messageId()));
    InetSocketAddress west = new InetSocketAddress(t.west.address, 500);
    for (int mid = 1; mid <= 20; mid++) {
      t.net.inject(west, e.local, Ikev1SealedFuzzTest.seal(e, ExchangeType.QUICK_MODE, Ikev1SealedFuzzTest.VALID_HASH,
          mid, o.plain()[0] & 0xff, V1Protect.afterFirstPayload(o.plain())));
      t.loop.runPending();
    }
    assertEquals(QuickMode.MAX_RESPONDER_IN_FLIGHT, QuickMode.responding(e), "QI1s past the limit are dropped");
    assertEquals(1 + QuickMode.MAX_RESPONDER_IN_FLIGHT, t.east.pluto.ikev1().ipsecSas().size());
    t.loop.advance(Duration.ofMinutes(5)); // the open ones time out without their QI2
    assertEquals(0, QuickMode.responding(e));
    t.net.inject(west, e.local, Ikev1SealedFuzzTest.seal(e, ExchangeType.QUICK_MODE, Ikev1SealedFuzzTest.VALID_HASH,
        21, o.plain()[0] & 0xff, V1Protect.afterFirstPayload(o.plain())));
    t.loop.runPending();
    assertEquals(1, QuickMode.responding(e), "answered again once they are gone");
    assertEquals(0, t.east.pluto.ikev1().internalErrors());
  }

  @Test
  void aReplayedOldQi1ChangesNothing() throws Exception {
    TwoPlutos t = up();
    t.whack(t.west, new WhackRequest.Initiate("west-east", false));
    Datagram oldQi1 = quickModeFromWest(t).get(0);
    t.loop.advance(Duration.ofMinutes(52)); // west rekeys and deletes the first pair
    QuickSa current = t.east.pluto.ikev1().ipsecSas().get(0);
    Map<?, PolicySpec> before = eastOut(t);
    int sas = t.east.backend.sas().size();
    t.net.inject(oldQi1.from(), oldQi1.to(), oldQi1.bytes());
    t.loop.runPending();
    assertEquals(1, t.east.pluto.ikev1().ipsecSas().size(), "no new Quick Mode from a replay");
    assertEquals(current.serial, t.east.pluto.ikev1().ipsecSas().get(0).serial);
    assertEquals(before, eastOut(t), "the outbound policy still points at the live SA");
    assertEquals(sas, t.east.backend.sas().size(), "no SA added");
    assertEquals(0, t.east.pluto.ikev1().internalErrors());
  }

  /**
   * The same replay while the IPsec SA it made is still live (the lab's case: west rekeyed, the old pair not yet
   * expired): the message ID belongs to a finished Quick Mode, so it is dropped, with one line saying why.
   */
  @Test
  void aReplayedQi1OfALiveIpsecSaIsDroppedWithALine() throws Exception {
    TwoPlutos t = up();
    t.whack(t.west, new WhackRequest.Initiate("west-east", false));
    Datagram qi1 = quickModeFromWest(t).get(0);
    QuickSa made = t.east.pluto.ikev1().ipsecSas().get(0);
    assertEquals(Ikev1State.STATE_QUICK_R2, made.state);
    int sent = t.net.log().size();
    Map<?, PolicySpec> before = eastOut(t);
    try (org.openswanj.pluto.ikev2.LogCapture log = org.openswanj.pluto.ikev2.LogCapture.messages("v1-replay")) {
      t.net.inject(qi1.from(), qi1.to(), qi1.bytes());
      t.loop.runPending();
      String id = String.format("%08x", made.messageId);
      assertEquals(1, log.count("Quick Mode message " + id + " from " + qi1.from() + " dropped: message ID already"
          + " used by #" + made.serial), log.text());
    }
    assertEquals(sent, t.net.log().size(), "nothing answered");
    assertEquals(before, eastOut(t));
    assertEquals(1, t.east.pluto.ikev1().ipsecSas().size());
  }

  @Test
  void aQuickModeMessageFromAnotherAddressIsDropped() throws Exception {
    TwoPlutos t = up();
    t.whack(t.west, new WhackRequest.Initiate("west-east", false));
    Datagram qi1 = quickModeFromWest(t).get(0);
    byte[] fresh = qi1.bytes().clone();
    fresh[20] ^= 0x55; // another message ID: were it accepted, it would have to be answered
    int sent = t.net.log().size();
    t.net.inject(new InetSocketAddress(InetAddress.getByName("192.1.2.99"), 500), qi1.to(), fresh);
    t.loop.runPending();
    assertEquals(sent, t.net.log().size(), "nothing answered");
    assertEquals(1, t.east.pluto.ikev1().ipsecSas().size());
  }

  @Test
  void theResponderMovesItsTrafficOnlyAfterQi2() throws Exception {
    TwoPlutos t = up();
    int[] quick = {0};
    // every QI2 of west (its Quick Mode messages after QI1) is lost
    t.net.setTap(d -> (d.bytes()[18] & 0xff) == QUICK_MODE && d.from().getAddress().getHostAddress()
        .equals(TwoPlutos.WEST) && ++quick[0] >= 2 ? null : d);
    t.whack(t.west, new WhackRequest.Initiate("west-east", false));
    QuickSa half = t.east.pluto.ikev1().ipsecSas().get(0);
    assertEquals(Ikev1State.STATE_QUICK_R1, half.state);
    assertTrue(t.east.backend.sas().keySet().stream().anyMatch(id -> id.spi() == half.inboundSpi), "inbound SA in");
    assertTrue(t.east.backend.sas().keySet().stream().noneMatch(id -> id.spi() == half.outboundSpi),
        "no outbound SA before HASH(3): " + t.east.backend.describe());
    assertTrue(eastOut(t).values().stream().noneMatch(p -> p.template() != null
        && p.template().outboundSpi() == half.outboundSpi), "no traffic moved to it");
    // the responder gives up on it: its inbound SA goes too
    t.loop.advance(Duration.ofMinutes(5));
    assertTrue(t.east.backend.sas().keySet().stream().noneMatch(id -> id.spi() == half.inboundSpi),
        "the half SA is removed when the Quick Mode dies: " + t.east.backend.describe());
  }

  @Test
  void aSpoofedMainModeFloodStopsAtTheCapsAndTheTunnelStays() throws Exception {
    IkeSettings capped = IkeSettings.defaults().withFlood(
        new IkeSettings.FloodLimits(64, 20, 3, Duration.ofMinutes(2)));
    TwoPlutos t = new TwoPlutos(Ikev1TwoPeerTest.PSK, Ikev1TwoPeerTest.PSK + "@east %any : PSK \"road-warriors\"\n",
        capped);
    t.add(t.west, "west-east", TwoPlutos.connFor("never"));
    t.add(t.east, "west-east", TwoPlutos.connFor("never"));
    Map<String, String> rw = new java.util.LinkedHashMap<>(TwoPlutos.connFor("never"));
    rw.put("left", "%any");
    rw.put("leftid", "%any");
    String added = t.add(t.east, "rw", rw).text();
    assertTrue(added.contains("added connection description"), added);
    t.whack(t.west, new WhackRequest.Initiate("west-east", false));
    assertEquals(1, t.east.pluto.ikev1().ipsecSas().size());
    Datagram mi1 = t.net.log().get(0);
    InetSocketAddress east = mi1.to();
    for (int i = 0; i < 200; i++) {
      byte[] m = mi1.bytes().clone();
      java.nio.ByteBuffer.wrap(m).putLong(0, 0x1000_0000L + i);
      String from = "10.1." + (i % 50) + "." + (1 + i / 50);
      t.net.inject(new InetSocketAddress(InetAddress.getByName(from), 500), east, m);
      // one address tries hard: its own cap
      t.net.inject(new InetSocketAddress(InetAddress.getByName("10.9.9.9"), 500), east,
          withCookie(mi1.bytes(), 0x2000_0000L + i));
    }
    t.loop.runPending();
    assertEquals(20, t.east.pluto.ikev1().halfOpenCount(), "the cap");
    assertEquals(1 + 20, t.east.pluto.ikev1().isakmpSas().size(), "the established one and the capped half-open ones");
    assertEquals(1, t.east.pluto.ikev1().ipsecSas().size(), "the tunnel is untouched");
    t.loop.advance(Duration.ofSeconds(31));
    assertEquals(0, t.east.pluto.ikev1().halfOpenCount(), "half-open states time out");
    // room again, and per address at most 3
    for (int i = 0; i < 10; i++) {
      t.net.inject(new InetSocketAddress(InetAddress.getByName("10.9.9.9"), 500), east,
          withCookie(mi1.bytes(), 0x3000_0000L + i));
    }
    t.loop.runPending();
    assertEquals(3, t.east.pluto.ikev1().halfOpenCount());
    assertEquals(0, t.east.pluto.ikev1().internalErrors());
  }

  private static byte[] withCookie(byte[] m, long cookie) {
    byte[] c = m.clone();
    java.nio.ByteBuffer.wrap(c).putLong(0, cookie);
    return c;
  }
}
