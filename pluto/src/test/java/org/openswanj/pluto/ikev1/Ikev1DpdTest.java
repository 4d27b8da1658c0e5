package org.openswanj.pluto.ikev1;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.openswanj.kernel.PolicyAction;
import org.openswanj.kernel.PolicyDirection;
import org.openswanj.pluto.ikev2.Ikev2Settings;
import org.openswanj.pluto.ikev2.TwoPlutos;
import org.openswanj.whack.proto.WhackRequest;

/** IKEv1 Dead Peer Detection (RFC 3706): R_U_THERE when idle, the ACK keeps the SAs, silence runs dpdaction. */
class Ikev1DpdTest {
  private static final int INFORMATIONAL = 5;

  private static TwoPlutos up(String action) throws Exception {
    TwoPlutos t = new TwoPlutos(Ikev1TwoPeerTest.PSK, Ikev1TwoPeerTest.PSK, Ikev2Settings.defaults());
    t.add(t.west, "west-east", TwoPlutos.connFor("never", "dpddelay", "5", "dpdtimeout", "15", "dpdaction", action,
        "auto", "route"));
    t.add(t.east, "west-east", TwoPlutos.connFor("never"));
    t.whack(t.west, new WhackRequest.Route("west-east"));
    String r = t.whack(t.west, new WhackRequest.Initiate("west-east", false)).text();
    assertTrue(r.contains("IPsec SA established"), r);
    return t;
  }

  private static long informationals(TwoPlutos t, String from) {
    return t.net.log().stream().filter(d -> (d.bytes()[18] & 0xff) == INFORMATIONAL)
        .filter(d -> d.from().getAddress().getHostAddress().equals(from)).count();
  }

  @Test
  void aLivePeerAnswersAndTheSasStay() throws Exception {
    TwoPlutos t = up("clear");
    t.loop.advance(Duration.ofSeconds(60));
    assertTrue(informationals(t, TwoPlutos.WEST) >= 5, "R_U_THERE about every 5 s of silence");
    assertEquals(informationals(t, TwoPlutos.WEST), informationals(t, TwoPlutos.EAST), "each one acknowledged");
    assertEquals(1, t.west.pluto.ikev1().isakmpSas().size());
    assertEquals(1, t.west.pluto.ikev1().ipsecSas().size());
  }

  @Test
  void aDeadPeerIsClearedWithinDpdTimeout() throws Exception {
    TwoPlutos t = up("clear");
    t.net.setTap(d -> d.from().getAddress().getHostAddress().equals(TwoPlutos.EAST) ? null : d); // east dies
    t.loop.advance(Duration.ofSeconds(5 + 15 + 1));
    assertTrue(t.west.pluto.ikev1().isakmpSas().isEmpty(), "ISAKMP SA gone");
    assertTrue(t.west.pluto.ikev1().ipsecSas().isEmpty(), "IPsec SAs gone");
    assertTrue(t.west.backend.sas().isEmpty(), "kernel SAs gone: " + t.west.backend.describe());
    assertTrue(t.west.backend.policies().isEmpty(), "dpdaction=clear removes the policies: " + t.west.backend.describe());
  }

  @Test
  void holdPutsTheTrapBack() throws Exception {
    TwoPlutos t = up("hold");
    t.net.setTap(d -> d.from().getAddress().getHostAddress().equals(TwoPlutos.EAST) ? null : d);
    t.loop.advance(Duration.ofSeconds(21));
    assertTrue(t.west.backend.sas().isEmpty());
    assertTrue(t.west.backend.policies().entrySet().stream().anyMatch(p -> p.getKey().direction() == PolicyDirection.OUT
        && p.getValue().action() == PolicyAction.TRAP), "%trap again: " + t.west.backend.describe());
  }

  @Test
  void restartBringsTheTunnelBackWhenThePeerReturns() throws Exception {
    TwoPlutos t = up("restart");
    int[] dropped = {0};
    t.net.setTap(d -> d.from().getAddress().getHostAddress().equals(TwoPlutos.EAST) && ++dropped[0] < 1000 ? null : d);
    t.loop.advance(Duration.ofSeconds(21));
    t.net.setTap(d -> d); // east back before west's retransmissions give up
    t.loop.advance(Duration.ofSeconds(10));
    assertEquals(1, t.west.pluto.ikev1().ipsecSas().stream().filter(QuickSa::installed).count(),
        "a new IPsec SA: " + t.west.backend.describe());
  }
}
