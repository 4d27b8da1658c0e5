package org.openswanj.pluto.ikev2;

import java.util.HashSet;
import java.util.Set;
import org.openswanj.conf.id.Identity;
import org.openswanj.pluto.engine.Outcome;

/**
 * RFC 7296 §2.4 INITIAL_CONTACT. A pluto that has just started (after a crash, say) sends it in its first
 * IKE_AUTH to each peer, so the peer drops the IKE SAs of our previous life at once rather than after DPD or
 * a lifetime. A responder that receives it deletes the other IKE SAs between the same two identities that were
 * up before this IKE SA began; the ones that came up since are the sender's new life and are kept.
 *
 * <p>Only one IKE_AUTH per peer carries it, so conns that come up together (20 {@code auto=start} conns to one
 * gateway) do not delete each other: the others go without it while it is in flight, and none carries it once
 * an IKE SA with that peer has been up. Event loop only.
 */
final class InitialContact {
  private final Ikev2Engine e;
  /** Our ID and the peer's address, for every peer we have had an IKE SA up with since start. */
  private final Set<String> contacted = new HashSet<>();

  InitialContact(Ikev2Engine engine) {
    this.e = engine;
  }

  private static String peerKey(IkeSa sa) {
    return sa.conn.localId() + " " + sa.remote.getAddress().getHostAddress();
  }

  /** True (and noted on {@code sa}) if this IKE_AUTH request is the one to carry INITIAL_CONTACT. */
  boolean sendWith(IkeSa sa) {
    String key = peerKey(sa);
    if (contacted.contains(key)) {
      return false;
    }
    for (IkeSa other : e.ikeSas()) {
      if (other != sa && other.sentInitialContact && !other.deleting && key.equals(peerKey(other))) {
        return false; // in flight on another IKE SA
      }
    }
    sa.sentInitialContact = true;
    SaLog.ike(sa, Outcome.COMMENT, "first IKE_AUTH to this peer since start: sending INITIAL_CONTACT");
    return true;
  }

  /** {@code sa} has just come up: from now on this peer has been contacted. */
  void established(IkeSa sa) {
    sa.upAfterSerial = e.lastSerial();
    contacted.add(peerKey(sa));
  }

  /** The initiator of {@code sa} (authenticated as {@code peer}) sent INITIAL_CONTACT: its older IKE SAs go. */
  void received(IkeSa sa, Identity peer) {
    SaLog.ike(sa, Outcome.COMMENT, "received INITIAL_CONTACT: deleting " + peer + "'s IKE SAs older than this one");
    for (IkeSa other : e.ikeSas()) {
      if (other != sa && other.state.established() && !other.deleting && other.upAfterSerial < sa.serial
          && peer.matches(other.peerId) && sa.conn.localId().matches(other.conn.localId())) {
        // the peer has forgotten these SAs, so no Delete is sent into them
        SaLog.ike(other, Outcome.COMMENT, "deleting: peer restarted (INITIAL_CONTACT in #" + sa.serial + ")");
        e.informational.deleteIke(other, false);
      }
    }
  }
}
