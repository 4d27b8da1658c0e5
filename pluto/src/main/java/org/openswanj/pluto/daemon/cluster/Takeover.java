package org.openswanj.pluto.daemon.cluster;

import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;
import org.openswanj.cluster.state.ChildSaRecord;
import org.openswanj.cluster.state.Endpoint;
import org.openswanj.cluster.state.IkeSaRecord;
import org.openswanj.cluster.state.NatState;
import org.openswanj.cluster.state.MessageIdSync;
import org.openswanj.cluster.takeover.ChildTakeover;
import org.openswanj.cluster.takeover.IkeResync;
import org.openswanj.cluster.takeover.IkeTakeover;
import org.openswanj.cluster.takeover.TakeoverPlan;
import org.openswanj.kernel.IpsecMode;
import org.openswanj.kernel.SecretKey;
import org.openswanj.pluto.conn.ProposalPolicy.EspChoice;
import org.openswanj.pluto.conn.ProposalPolicy.IkeChoice;
import org.openswanj.pluto.crypto.IkeSaKeys;
import org.openswanj.pluto.crypto.SecretBytes;
import org.openswanj.pluto.ikev2.MidSync;
import org.openswanj.pluto.ikev2.Resume;

/**
 * A {@link TakeoverPlan} (computed from the warm copy) in the engine's terms: one {@link Resume.Ike} per IKE SA
 * with the Child SAs it owns, each starting at the plan's outbound sequence number. Child SAs whose IKE SA is
 * not in the copy cannot be rekeyed or deleted by us and are left out.
 */
final class Takeover {
  private Takeover() {}

  static List<Resume.Ike> of(TakeoverPlan plan) {
    List<Resume.Ike> out = new ArrayList<>();
    for (IkeTakeover t : plan.ikeSas()) {
      IkeSaRecord r = t.record();
      List<Resume.Child> children = new ArrayList<>();
      for (ChildTakeover c : plan.childSas()) {
        if (c.record().ref().parent().equals(r.ref().spis())) {
          children.add(child(c));
        }
      }
      var a = r.algorithms();
      var k = r.keys();
      IkeSaKeys keys = new IkeSaKeys(bytes(k.skD()), bytes(k.skAi()), bytes(k.skAr()), bytes(k.skEi()),
          bytes(k.skEr()), SecretBytes.of(new byte[0]), SecretBytes.of(new byte[0]));
      NatState nat = r.peers().nat();
      out.add(new Resume.Ike(r.ref().conn(), r.ref().spis().initiator(), r.ref().spis().responder(),
          r.ref().role() == org.openswanj.cluster.state.IkeRole.ORIGINAL_INITIATOR, address(r.peers().local()),
          address(r.peers().remote()), nat == NatState.LOCAL_BEHIND_NAT || nat == NatState.BOTH_BEHIND_NAT,
          nat == NatState.REMOTE_BEHIND_NAT || nat == NatState.BOTH_BEHIND_NAT, r.peers().fragments().local(),
          r.peers().fragments().peer(),
          new IkeChoice(a.encryption(), a.keyBits(), a.integrity(), a.prf(), a.dh()), keys, r.peers().remoteId(),
          peerSync(t), t.nextSendRequest(), t.nextExpectedRequest(), children));
    }
    return out;
  }

  /** RFC 6311 §6.1: what the peer announced; the plan syncs with RFC 6311 exactly when it did. */
  private static MidSync.Support peerSync(IkeTakeover t) {
    if (t.resync() != IkeResync.RFC6311_SYNC) {
      return MidSync.Support.NONE;
    }
    return t.record().messageIds().sync() == MessageIdSync.MESSAGE_ID_AND_REPLAY
        ? MidSync.Support.MESSAGE_ID_AND_REPLAY : MidSync.Support.MESSAGE_ID;
  }

  private static Resume.Child child(ChildTakeover t) {
    ChildSaRecord r = t.record();
    var a = r.algorithms();
    var k = r.keys();
    return new Resume.Child(r.ref().spis().inbound(), r.ref().spis().outbound(),
        new EspChoice(a.encryption(), a.keyBits(), a.integrity(), null), k.inboundEnc(), orNull(k.inboundInteg()),
        k.outboundEnc(), orNull(k.outboundInteg()), r.selectors().local(), a.mode() == IpsecMode.TRANSPORT,
        t.nextOutboundSeq(), t.inboundReplay().inboundFloor());
  }

  private static SecretBytes bytes(SecretKey k) {
    return SecretBytes.of(k.bytes());
  }

  private static SecretKey orNull(SecretKey k) {
    return k.length() == 0 ? null : k;
  }

  private static InetSocketAddress address(Endpoint e) {
    return new InetSocketAddress(e.address(), e.port());
  }
}
