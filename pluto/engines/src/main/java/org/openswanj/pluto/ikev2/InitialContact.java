package org.openswanj.pluto.ikev2;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.openswanj.conf.id.Identity;
import org.openswanj.pluto.engine.Outcome;
import org.openswanj.pluto.engine.SaEvent;

/**
 * RFC 7296 §2.4 INITIAL_CONTACT. A pluto that has just started (after a crash, say) sends it in its first
 * IKE_AUTH to each peer, so the peer drops the IKE SAs of our previous life at once rather than after DPD or
 * a lifetime. A responder that receives it deletes the other IKE SAs between the same two identities that were
 * up before this IKE SA began; the ones that came up since are the sender's new life and are kept.
 *
 * <p>Only one IKE_AUTH per peer carries it, so conns that come up together (20 {@code auto=start} conns to one
 * gateway) do not delete each other: the others wait until it has been answered, and none carries it once an IKE
 * SA with that peer has been up. They wait because a peer may delete every other IKE SA of those identities,
 * not only older ones (charon does), and one that overtook ours would be among them. Event loop only.
 */
final class InitialContact {
  private final Ikev2Engine e;
  /** Our ID and the peer's address, for every peer we have had an IKE SA up with since start. */
  private final Set<String> contacted = new HashSet<>();
  /** IKE SAs whose IKE_AUTH waits for the one carrying INITIAL_CONTACT to the same peer. */
  private final Map<String, List<IkeSa>> waiting = new HashMap<>();

  /** How an IKE SA's IKE_AUTH request goes. */
  enum Turn {
    WITH_INITIAL_CONTACT,
    WITHOUT,
    /** After the IKE_AUTH in flight that carries it; {@link Auth#initiate} is called again then. */
    WAIT
  }

  InitialContact(Ikev2Engine engine) {
    this.e = engine;
  }

  private static String peerKey(IkeSa sa) {
    return sa.conn.localId() + " " + sa.remote.getAddress().getHostAddress();
  }

  /** Whether {@code sa}'s IKE_AUTH request carries INITIAL_CONTACT, or waits for one that does. */
  Turn turn(IkeSa sa) {
    String key = peerKey(sa);
    if (contacted.contains(key)) {
      return Turn.WITHOUT;
    }
    for (IkeSa other : e.ikeSas()) {
      if (other != sa && other.sentInitialContact && !other.deleting && key.equals(peerKey(other))) {
        waiting.computeIfAbsent(key, k -> new ArrayList<>()).add(sa);
        SaLog.ike(sa, Outcome.COMMENT, "IKE_AUTH waits for #" + other.serial + "'s INITIAL_CONTACT to this peer");
        return Turn.WAIT;
      }
    }
    sa.sentInitialContact = true;
    SaLog.ike(sa, Outcome.COMMENT, "first IKE_AUTH to this peer since start: sending INITIAL_CONTACT");
    return Turn.WITH_INITIAL_CONTACT;
  }

  /** The IKE SA that carried INITIAL_CONTACT came up or died: the IKE_AUTHs waiting for it go now. */
  void ended(IkeSa sa) {
    if (!sa.sentInitialContact) {
      return;
    }
    for (IkeSa w : waiting.getOrDefault(peerKey(sa), List.of())) {
      e.loop().execute(() -> e.guard.run(w, SaEvent.TIMER, () -> {
        if (!w.deleting) {
          e.auth.initiate(w);
        }
      }));
    }
    waiting.remove(peerKey(sa));
  }

  /** {@code sa} has just come up: from now on this peer has been contacted. */
  void established(IkeSa sa) {
    sa.upAfterSerial = e.lastSerial();
    contacted.add(peerKey(sa));
    ended(sa);
  }

  /** The initiator of {@code sa} (authenticated as {@code peer}) sent INITIAL_CONTACT: its older IKE SAs go. */
  void received(IkeSa sa, Identity peer) {
    if (sa.peerNullAuth) {
      // RFC 7619 §2.3: an unauthenticated peer must not delete anyone's SAs, an authenticated peer's least of all
      SaLog.ike(sa, Outcome.COMMENT, "ignoring INITIAL_CONTACT from a peer that used NULL authentication");
      return;
    }
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
