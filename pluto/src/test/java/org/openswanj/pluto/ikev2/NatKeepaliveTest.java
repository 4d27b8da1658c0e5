package org.openswanj.pluto.ikev2;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetSocketAddress;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.openswanj.pluto.engine.IkeSettings;
import org.openswanj.pluto.engine.NatKeepalives;
import org.openswanj.pluto.daemon.ManualEventLoop;
import org.openswanj.pluto.net.IkeTransport;
import org.openswanj.whack.proto.WhackRequest;

/**
 * RFC 3948 §2.3/§4 NAT-keepalives sent by pluto (netkey, none): one 0xFF octet from our NAT-T port to the peer's
 * every keep_alive= seconds while the IKE SA lives, only when we are behind the NAT or force_keepalive=yes, and
 * not while other packets to that peer keep the mapping alive. On virtual time.
 */
class NatKeepaliveTest {
  static final String PSK = "@west @east : PSK \"a-long-shared-secret\"\n";
  static final InetSocketAddress WEST_NATT = new InetSocketAddress(TwoPlutos.WEST, 4500);
  static final InetSocketAddress EAST_NATT = new InetSocketAddress(TwoPlutos.EAST, 4500);

  private static TwoPlutos up(NatKeepalives.Settings west, Map<String, String> westConn, Map<String, String> eastConn)
      throws Exception {
    TwoPlutos t = new TwoPlutos(PSK, PSK, IkeSettings.defaults().withKeepalive(west), IkeSettings.defaults());
    t.add(t.west, "west-east", westConn);
    t.add(t.east, "west-east", eastConn);
    String r = t.whack(t.west, new WhackRequest.Initiate("west-east", false)).text();
    assertTrue(r.contains("IPsec SA established"), r);
    return t;
  }

  private static long keepalives(TwoPlutos t) {
    return t.net.log().stream().filter(d -> d.bytes().length == 1).peek(d -> {
      assertArrayEquals(new byte[] {(byte) 0xff}, d.bytes());
      assertEquals(WEST_NATT, d.from(), "from our NAT-T port");
      assertEquals(EAST_NATT, d.to(), "to the peer's");
    }).count();
  }

  @Test
  void forcedKeepalivesEveryIntervalUnlessIkeTrafficWentToThePeer() throws Exception {
    TwoPlutos t = up(new NatKeepalives.Settings(Duration.ofSeconds(20), true), TwoPlutos.conn("forceencaps", "yes"),
        TwoPlutos.conn());
    t.loop.advance(Duration.ofSeconds(19));
    assertEquals(0, keepalives(t));
    t.loop.advance(Duration.ofSeconds(1));
    assertEquals(1, keepalives(t), "20 s after the IKE SA came up");
    t.loop.advance(Duration.ofSeconds(10));
    // at 30 s west sends east a CREATE_CHILD_SA request: the mapping is fresh, the keepalive due at 40 s waits
    t.west.pluto.engine().createChild.rekeyChild(t.west.pluto.engine().childSas().get(0));
    t.loop.runPending();
    t.loop.advance(Duration.ofSeconds(10));
    assertEquals(1, keepalives(t), "none at 40 s, 10 s after the last IKE message");
    t.loop.advance(Duration.ofSeconds(10));
    assertEquals(2, keepalives(t), "one at 50 s, 20 s after it");
    t.loop.advance(Duration.ofSeconds(60));
    assertEquals(5, keepalives(t), "then every 20 s");
    t.whack(t.west, new WhackRequest.Terminate("west-east"));
    t.loop.advance(Duration.ofSeconds(100));
    assertEquals(5, keepalives(t), "none once the IKE SA is deleted");
  }

  @Test
  void noneWithoutANatInFrontOfUsUnlessForced() throws Exception {
    // forceencaps: NAT-T is in use, but NAT-D says only the peer's side looks NATed
    TwoPlutos t = up(NatKeepalives.Settings.DEFAULT, TwoPlutos.conn("forceencaps", "yes"), TwoPlutos.conn());
    t.loop.advance(Duration.ofSeconds(100));
    assertEquals(0, keepalives(t));
  }

  @Test
  void noneWithoutNatTraversalEvenWhenForced() throws Exception {
    TwoPlutos t = up(new NatKeepalives.Settings(Duration.ofSeconds(20), true), TwoPlutos.conn(), TwoPlutos.conn());
    t.loop.advance(Duration.ofSeconds(100));
    assertEquals(0, keepalives(t));
  }

  @Test
  void keepAliveZeroSendsNone() throws Exception {
    TwoPlutos t = up(new NatKeepalives.Settings(Duration.ZERO, true), TwoPlutos.conn("forceencaps", "yes"),
        TwoPlutos.conn());
    t.loop.advance(Duration.ofSeconds(100));
    assertEquals(0, keepalives(t));
  }

  @Test
  void ikev1BehindANatAtTheConfiguredInterval() throws Exception {
    // IKEv1 forceencaps= claims our side is NATed (RFC 3947 NAT-D with a false hash, as Openswan does)
    TwoPlutos t = up(new NatKeepalives.Settings(Duration.ofSeconds(30), false),
        TwoPlutos.connFor("never", "forceencaps", "yes"), TwoPlutos.connFor("never"));
    t.loop.advance(Duration.ofSeconds(29));
    assertEquals(0, keepalives(t));
    t.loop.advance(Duration.ofSeconds(61));
    assertEquals(3, keepalives(t), "at 30, 60 and 90 s");
  }

  @Test
  void aBackendThatSendsItsOwnGetsNoneFromPluto() {
    ManualEventLoop loop = new ManualEventLoop(Instant.parse("2026-01-01T00:00:00Z"));
    List<InetSocketAddress> sent = new ArrayList<>();
    IkeTransport wire = new IkeTransport() {
      @Override
      public void send(InetSocketAddress l, InetSocketAddress r, byte[] m) {}

      @Override
      public void sendNatKeepalive(InetSocketAddress l, InetSocketAddress r) {
        sent.add(r);
      }
    };
    InetSocketAddress[] ends = {WEST_NATT, EAST_NATT};
    NatKeepalives klips = new NatKeepalives(loop, wire, NatKeepalives.Settings.DEFAULT, true);
    NatKeepalives netkey = new NatKeepalives(loop, wire, NatKeepalives.Settings.DEFAULT, false);
    loop.execute(() -> {
      klips.watch(1, true, true, () -> ends);
      netkey.watch(2, true, true, () -> ends);
    });
    loop.advance(Duration.ofSeconds(60));
    assertEquals(List.of(EAST_NATT, EAST_NATT, EAST_NATT), sent, "netkey's three, klips's none");
  }
}
