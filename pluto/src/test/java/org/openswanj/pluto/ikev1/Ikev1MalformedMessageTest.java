package org.openswanj.pluto.ikev1;

import org.openswanj.pluto.ikev2.TwoPlutos;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.openswanj.pluto.engine.IkeSettings;
import org.openswanj.pluto.net.MemoryNetwork;
import org.openswanj.whack.proto.WhackRequest;

/**
 * Every truncation and every bit flip of a Main Mode MI1 and of an encrypted Quick Mode QI1 is answered or
 * dropped by east, never reaching the engine's bug guard; the established SAs survive and still work.
 */
class Ikev1MalformedMessageTest {
  private static MemoryNetwork.Datagram first(TwoPlutos t, int exchange) {
    return t.net.log().stream().filter(d -> d.from().getAddress().equals(t.west.address) && d.bytes()[18] == exchange)
        .findFirst().orElseThrow();
  }

  private static int mutate(TwoPlutos t, MemoryNetwork.Datagram d) {
    byte[] b = d.bytes();
    int sent = 0;
    for (int len = 0; len < b.length; len++) {
      t.net.inject(d.from(), d.to(), Arrays.copyOf(b, len));
      sent++;
    }
    for (int i = 0; i < b.length; i++) {
      for (int bit = 0; bit < 8; bit++) {
        byte[] m = b.clone();
        m[i] ^= (byte) (1 << bit);
        t.net.inject(d.from(), d.to(), m);
        sent++;
      }
      t.loop.runPending();
    }
    t.loop.runPending();
    return sent;
  }

  @Test
  void mutatedMainModeMi1NeverHitsTheBugGuard() throws Exception {
    TwoPlutos t = new TwoPlutos(Ikev1TwoPeerTest.PSK, Ikev1TwoPeerTest.PSK, IkeSettings.defaults());
    t.add(t.west, "west-east", TwoPlutos.connFor("never"));
    t.add(t.east, "west-east", TwoPlutos.connFor("never"));
    t.net.setTap(d -> d.from().getAddress().equals(t.west.address) ? null : d); // west's own MI1 is lost
    t.whack(t.west, new WhackRequest.Initiate("west-east", false));
    MemoryNetwork.Datagram mi1 = first(t, 2);
    t.net.setTap(d -> d);
    int sent = mutate(t, mi1);
    assertTrue(sent > 4000, "sent " + sent);
    assertEquals(0, t.east.pluto.ikev1().internalErrors(), "a malformed MI1 reached the bug guard");
    t.loop.advance(Duration.ofMinutes(2));
    // the bad MI1s' half-open SAs timed out; west's retransmitted good MI1 made the one that is left
    assertEquals(1, t.east.pluto.ikev1().isakmpSas().size(), "half-open SAs from bad MI1s time out");
    assertEquals(Ikev1State.STATE_MAIN_R3, t.east.pluto.ikev1().isakmpSas().get(0).state);
    assertEquals(1, t.east.pluto.ikev1().ipsecSas().size());
  }

  @Test
  void mutatedEncryptedQuickModeNeverHitsTheBugGuardAndTheSaSurvives() throws Exception {
    TwoPlutos t = new TwoPlutos(Ikev1TwoPeerTest.PSK, Ikev1TwoPeerTest.PSK, IkeSettings.defaults());
    t.add(t.west, "west-east", TwoPlutos.connFor("never"));
    t.add(t.east, "west-east", TwoPlutos.connFor("never"));
    t.whack(t.west, new WhackRequest.Initiate("west-east", false));
    assertEquals(1, t.east.pluto.ikev1().ipsecSas().size());
    MemoryNetwork.Datagram qi1 = first(t, 32);
    int sent = mutate(t, qi1);
    assertTrue(sent > 2000, "sent " + sent);
    assertEquals(0, t.east.pluto.ikev1().internalErrors(), "a malformed protected message reached the bug guard");
    assertEquals(1, t.east.pluto.ikev1().isakmpSas().size(), "the ISAKMP SA survived " + sent + " bad messages");
    assertEquals(1, t.east.pluto.ikev1().ipsecSas().size(), "no extra IPsec SA from a forged Quick Mode");
    t.whack(t.west, new WhackRequest.Terminate("west-east"));
    t.loop.runPending();
    assertTrue(t.east.pluto.ikev1().isakmpSas().isEmpty(), "east processed the good Delete after the bad ones");
  }

  @Test
  void forceencapsFloatsToPort4500AndUsesUdpEncapsulation() throws Exception {
    TwoPlutos t = new TwoPlutos(Ikev1TwoPeerTest.PSK, Ikev1TwoPeerTest.PSK, IkeSettings.defaults());
    t.add(t.west, "west-east", TwoPlutos.connFor("never", "forceencaps", "yes"));
    t.add(t.east, "west-east", TwoPlutos.connFor("never"));
    TwoPlutos.Recorder r = t.whack(t.west, new WhackRequest.Initiate("west-east", false));
    assertTrue(r.text().contains("IPsec SA established tunnel mode {ESP/NAT=>0x"), r.text());
    assertTrue(r.text().contains("NATD=192.1.2.23:4500"), r.text());
    IsakmpSa e = t.east.pluto.ikev1().isakmpSas().get(0);
    assertEquals(4500, e.remote.getPort(), "east followed west to 4500");
    assertTrue(t.east.backend.sas().values().stream().allMatch(s -> s.encapsulation().udp() != null
        && s.encapsulation().udp().srcPort() == 4500 && s.encapsulation().udp().dstPort() == 4500), t.east.backend.describe().toString());
    assertTrue(t.net.log().stream().anyMatch(d -> d.to().equals(new InetSocketAddress(t.east.address, 4500))));
  }
}
