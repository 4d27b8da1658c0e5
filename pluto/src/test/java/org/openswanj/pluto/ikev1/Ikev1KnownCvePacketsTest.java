package org.openswanj.pluto.ikev1;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.openswanj.pluto.engine.IkeSettings;
import org.openswanj.pluto.ike.wire.ProtocolId;
import org.openswanj.pluto.ike.wire.V1DeletePayload;
import org.openswanj.pluto.ike.wire.V1SaPayload;
import org.openswanj.pluto.ikev2.TwoPlutos;
import org.openswanj.pluto.net.MemoryNetwork;
import org.openswanj.whack.proto.WhackRequest;

/**
 * IKEv1 Informational messages shaped after Libreswan's CVEs (the IKEv2 and cleartext IKEv1 ones are in
 * ikev2.KnownCvePacketsTest): each is handled as RFC 2408/2409 say, with no internal error.
 */
class Ikev1KnownCvePacketsTest {
  private static final int INFORMATIONAL_V1 = 5;

  private static TwoPlutos up() throws Exception {
    TwoPlutos t = new TwoPlutos(Ikev1TwoPeerTest.PSK, Ikev1TwoPeerTest.PSK, IkeSettings.defaults());
    t.add(t.west, "west-east", TwoPlutos.connFor("never"));
    t.add(t.east, "west-east", TwoPlutos.connFor("never"));
    assertTrue(t.whack(t.west, new WhackRequest.Initiate("west-east", false)).text()
        .contains("IPsec SA established"));
    return t;
  }

  /**
   * CVE-2019-10155 (Libreswan, also Openswan): the integrity of IKEv1 Informational Exchange packets was not
   * checked, so a forged Delete tore tunnels down. RFC 2409 §5.7: HASH(1) must verify before the payloads act.
   */
  @Test
  void aDeleteWhoseHashDoesNotVerifyDeletesNothing() throws Exception {
    TwoPlutos t = up();
    List<MemoryNetwork.Datagram> held = new ArrayList<>();
    t.net.setTap(d -> {
      if (d.from().getAddress().equals(t.west.address) && d.bytes()[18] == INFORMATIONAL_V1) {
        held.add(d);
        return null;
      }
      return d;
    });
    t.whack(t.west, new WhackRequest.Terminate("west-east"));
    t.net.setTap(d -> d);
    assertTrue(!held.isEmpty(), "west sent its Deletes");
    for (MemoryNetwork.Datagram d : held) {
      byte[] forged = d.bytes().clone();
      forged[28] ^= 0x01; // the first encrypted byte: HASH(1) no longer matches (CBC garbles the block)
      t.net.inject(d.from(), d.to(), forged);
    }
    t.loop.runPending();
    assertEquals(0, t.east.pluto.ikev1().internalErrors());
    assertEquals(1, t.east.pluto.ikev1().isakmpSas().size(), "a forged Delete removed the ISAKMP SA");
    assertEquals(1, t.east.pluto.ikev1().ipsecSas().size(), "a forged Delete removed the IPsec SA");
    for (MemoryNetwork.Datagram d : held) {
      t.net.inject(d.from(), d.to(), d.bytes());
    }
    t.loop.runPending();
    assertTrue(t.east.pluto.ikev1().ipsecSas().isEmpty(), "the genuine Deletes act");
  }

  /**
   * CVE-2023-38712 (Libreswan): an ISAKMP SA Informational Exchange with several Delete payloads, for the
   * ISAKMP SA itself and twice over, crashed pluto (null pointer after the first deleted the SA).
   */
  @Test
  void severalDeletesInOneInformationalAreAllHandled() throws Exception {
    TwoPlutos t = up();
    IsakmpSa w = t.west.pluto.ikev1().isakmpSas().get(0);
    QuickSa q = t.west.pluto.ikev1().ipsecSas().get(0);
    byte[] cookies = ByteBuffer.allocate(16).putLong(w.cookieI).putLong(w.cookieR).array();
    byte[] spi = ByteBuffer.allocate(4).putInt(q.inboundSpi()).array();
    V1DeletePayload isakmp = new V1DeletePayload(V1SaPayload.DOI_IPSEC, ProtocolId.IKE.wireValue(), 16,
        List.of(cookies));
    V1DeletePayload esp = new V1DeletePayload(V1SaPayload.DOI_IPSEC, ProtocolId.ESP.wireValue(), 4, List.of(spi));
    t.west.pluto.ikev1().info.sendProtected(w, List.of(isakmp, isakmp, esp, isakmp));
    t.loop.runPending();
    assertEquals(0, t.east.pluto.ikev1().internalErrors(), "the Deletes reached the bug guard");
    assertTrue(t.east.pluto.ikev1().isakmpSas().isEmpty(), "the ISAKMP SA is deleted");
    assertTrue(t.east.pluto.ikev1().ipsecSas().isEmpty(), "the IPsec SA is deleted");
    assertTrue(t.east.backend.sas().isEmpty(), "the kernel holds nothing of them");
  }
}
