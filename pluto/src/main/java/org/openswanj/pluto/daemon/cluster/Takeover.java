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
import org.openswanj.cluster.takeover.IsakmpTakeover;
import org.openswanj.cluster.state.IsakmpFeatures;
import org.openswanj.cluster.state.IsakmpSaRecord;
import org.openswanj.pluto.ikev1.V1Algs;
import org.openswanj.pluto.ikev1.V1Resume;
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
 * A {@link TakeoverPlan} (computed from the warm copy) in the engines' terms: one {@link Resume.Ike} per IKE SA
 * with the Child SAs it owns (one {@link V1Resume.Isakmp} per ISAKMP SA with its IPsec SAs), each starting at the plan's outbound sequence number. Child SAs whose IKE SA is
 * not in the copy cannot be rekeyed or deleted by us and are left out.
 */
final class Takeover {
  private Takeover() {}

  static List<Resume.Ike> of(TakeoverPlan plan) {
    List<Resume.Ike> out = new ArrayList<>();
    for (IkeTakeover t : plan.ikeSas()) {
      IkeSaRecord r = t.record();
      List<Resume.Child> children = new ArrayList<>();
      for (ChildTakeover c : plan.childrenOf(r.ref().spis())) {
        children.add(child(c));
      }
      var a = r.algorithms();
      var k = r.keys();
      IkeSaKeys keys = new IkeSaKeys(bytes(k.skD()), bytes(k.skAi()), bytes(k.skAr()), bytes(k.skEi()),
          bytes(k.skEr()), SecretBytes.of(new byte[0]), SecretBytes.of(new byte[0]));
      NatState nat = r.peers().nat();
      out.add(new Resume.Ike(r.ref().conn(), r.ref().spis().initiator(), r.ref().spis().responder(),
          r.ref().role() == org.openswanj.cluster.state.IkeRole.ORIGINAL_INITIATOR, address(r.peers().local()),
          address(r.peers().remote()), localBehind(nat), remoteBehind(nat), r.peers().fragments().local(),
          r.peers().fragments().peer(),
          new IkeChoice(a.encryption(), a.keyBits(), a.integrity(), a.prf(), a.dh()), keys, r.peers().remoteId(),
          peerSync(t), t.nextSendRequest(), t.nextExpectedRequest(), children));
    }
    return out;
  }

  /**
   * The ISAKMP SAs of the plan with their IPsec SAs (IKEv1, docs/HA.md): each resumed with its phase 1 keys and IV,
   * its IPsec SAs at the plan's outbound sequence numbers, and a first R_U_THERE past the old node's.
   */
  static List<V1Resume.Isakmp> v1(TakeoverPlan plan) {
    List<V1Resume.Isakmp> out = new ArrayList<>();
    for (IsakmpTakeover t : plan.isakmpSas()) {
      IsakmpSaRecord r = t.record();
      List<V1Resume.Ipsec> ipsec = new ArrayList<>();
      for (ChildTakeover c : plan.childrenOf(r.ref().spis())) {
        Resume.Child x = child(c);
        ipsec.add(new V1Resume.Ipsec(x.inboundSpi(), x.outboundSpi(), x.algs(), x.encIn(), x.integIn(), x.encOut(),
            x.integOut(), x.outboundSelectors(), x.transport(), x.firstOutboundSeq(), x.rekeyAtOnce()));
      }
      var a = r.algorithms();
      var k = r.keys();
      var f = r.features();
      NatState nat = r.peers().nat();
      V1Resume.Nat n = new V1Resume.Nat(f.natt() == IsakmpFeatures.NattFlavour.RFC3947,
          f.natt() == IsakmpFeatures.NattFlavour.DRAFT, localBehind(nat), remoteBehind(nat), f.peerDpd());
      out.add(new V1Resume.Isakmp(r.ref().conn(), r.ref().spis().initiator(), r.ref().spis().responder(),
          r.ref().role() == org.openswanj.cluster.state.IkeRole.ORIGINAL_INITIATOR, address(r.peers().local()),
          address(r.peers().remote()), n, new V1Algs(a.encryption(), a.keyBits(), a.hash(), a.dh()),
          a.authMethod(), new V1Resume.Keys(k.skeyidD(), k.skeyidA(), k.skeyidE(), k.encKey(), k.phase1Iv()),
          r.peers().remoteId(), (int) t.firstDpdSeq(), new V1Resume.Client(f.xauthUser().isEmpty() ? null
          : f.xauthUser(), f.modecfgAddress()), ipsec));
    }
    return out;
  }

  private static boolean localBehind(NatState nat) {
    return nat == NatState.LOCAL_BEHIND_NAT || nat == NatState.BOTH_BEHIND_NAT;
  }

  private static boolean remoteBehind(NatState nat) {
    return nat == NatState.REMOTE_BEHIND_NAT || nat == NatState.BOTH_BEHIND_NAT;
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
        t.nextOutboundSeq(), t.inboundReplay().inboundFloor(), t.rekeyAtOnce());
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
