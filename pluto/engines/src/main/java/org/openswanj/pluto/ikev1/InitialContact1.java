package org.openswanj.pluto.ikev1;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.openswanj.pluto.engine.Outcome;
import org.openswanj.pluto.ike.wire.NotifyType;
import org.openswanj.pluto.ike.wire.Payload;
import org.openswanj.pluto.ike.wire.ProtocolId;
import org.openswanj.pluto.ike.wire.V1NotifyPayload;
import org.openswanj.pluto.ike.wire.V1SaPayload;

/**
 * RFC 2407 §4.6.3.3 INITIAL-CONTACT for IKEv1: a pluto that has just started sends it in its first Main Mode
 * (MI3, encrypted) to each peer; a responder that receives it deletes, without telling, the older ISAKMP SAs
 * and the IPsec SAs it holds with that peer ID at that address, which belong to the sender's previous life.
 * Conns to one peer share one ISAKMP SA here, so a first phase 1 has no siblings to spare. Event loop only.
 */
final class InitialContact1 {
  private final Ikev1Engine e;
  /** Our ID and the peer's address, for every peer we have had an ISAKMP SA up with since start. */
  private final Set<String> contacted = new HashSet<>();

  InitialContact1(Ikev1Engine engine) {
    this.e = engine;
  }

  private static String peerKey(IsakmpSa sa) {
    return sa.conn.localId() + " " + sa.remote.getAddress().getHostAddress();
  }

  void established(IsakmpSa sa) {
    contacted.add(peerKey(sa));
  }

  /** MI3's payloads, with INITIAL-CONTACT added if this is our first phase 1 to the peer since start. */
  List<Payload> withNotify(IsakmpSa sa, List<Payload> mi3) {
    if (contacted.contains(peerKey(sa))) {
      return mi3;
    }
    V1Log.sa(sa, Outcome.COMMENT, "first Main Mode to this peer since start: sending INITIAL-CONTACT");
    List<Payload> out = new ArrayList<>(mi3);
    // RFC 2407 §4.6.3.3: protocol ISAKMP, the SPI is the two cookies
    out.add(new V1NotifyPayload(V1SaPayload.DOI_IPSEC, ProtocolId.IKE.wireValue(),
        Informational1.cookies(sa.cookieI, sa.cookieR), NotifyType.INITIAL_CONTACT_V1.wireValue(), new byte[0]));
    return out;
  }

  /** MI3 of the now established {@code sa} was {@code mi3}: on INITIAL-CONTACT, the peer's older SAs go. */
  void received(IsakmpSa sa, List<Payload> mi3) {
    boolean ic = mi3.stream().anyMatch(p -> p instanceof V1NotifyPayload n
        && n.notifyType() == NotifyType.INITIAL_CONTACT_V1.wireValue());
    if (!ic || sa.peerId == null) {
      return;
    }
    V1Log.sa(sa, Outcome.COMMENT, "received INITIAL-CONTACT: deleting " + sa.peerId + "'s older SAs");
    for (IsakmpSa other : e.isakmpSas()) {
      if (other == sa || other.deleting || other.serial > sa.serial || !sa.peerId.matches(other.peerId)
          || !other.remote.getAddress().equals(sa.remote.getAddress())) {
        continue;
      }
      for (QuickSa q : List.copyOf(other.quicks)) {
        e.info.deleteQuick(q, false); // the peer has forgotten them: no Delete into them
      }
      V1Log.sa(other, Outcome.COMMENT, "deleting: peer restarted (INITIAL-CONTACT in #" + sa.serial + ")");
      e.info.deleteIsakmp(other, false);
    }
  }
}
