package org.openswanj.pluto.daemon.cluster;

import org.openswanj.cluster.state.FragmentState;
import org.openswanj.cluster.state.IkePeers;
import org.openswanj.cluster.state.IkeRole;
import org.openswanj.cluster.state.IkeSaRef;
import org.openswanj.cluster.state.IkeSpis;
import org.openswanj.cluster.state.IsakmpAlgorithms;
import org.openswanj.cluster.state.IsakmpFeatures;
import org.openswanj.cluster.state.IsakmpKeys;
import org.openswanj.cluster.state.IsakmpSaRecord;
import org.openswanj.cluster.state.NatState;
import org.openswanj.cluster.state.SaTimes;
import org.openswanj.kernel.SecretKey;
import org.openswanj.pluto.ikev1.IsakmpSa;
import org.openswanj.pluto.ikev1.QuickSa;

/** Records from the IKEv1 engine's SAs (docs/HA.md, "Replication"): ISAKMP SAs, and IPsec SAs as Child SA records. */
final class V1Records {
  private V1Records() {}

  static IsakmpSaRecord isakmp(IsakmpSa sa) {
    var a = sa.algs();
    var k = sa.keys();
    NatState nat = natState(sa.natLocal(), sa.natRemote());
    String remoteId = sa.peerId() != null ? sa.peerId().toString() : String.valueOf(sa.conn().remoteId());
    IkePeers peers = new IkePeers(Publisher.endpoint(sa.local()), Publisher.endpoint(sa.remote()),
        String.valueOf(sa.conn().localId()), remoteId, nat, FragmentState.NONE);
    IsakmpKeys keys = new IsakmpKeys(Publisher.key(k.skeyidD()), Publisher.key(k.skeyidA()),
        Publisher.key(k.skeyidE()), Publisher.key(k.encKey()), new SecretKey(sa.phase1Iv()));
    long est = sa.established().getEpochSecond();
    long rekeyAt = sa.replaceTimer() == null ? 0 : Math.max(0, sa.replaceTimer().due().getEpochSecond());
    SaTimes times = new SaTimes(est, rekeyAt, est + sa.conn().config().ikeLifetime().getSeconds());
    // RFC 3947 §3.1: the flavour decides NAT-OA and the encapsulation mode numbers of later Quick Modes
    IsakmpFeatures.NattFlavour natt = sa.nattRfc() ? IsakmpFeatures.NattFlavour.RFC3947
        : sa.nattDraft() ? IsakmpFeatures.NattFlavour.DRAFT : IsakmpFeatures.NattFlavour.NONE;
    return new IsakmpSaRecord(new IkeSaRef(sa.conn().name(), new IkeSpis(sa.cookieI(), sa.cookieR()),
        sa.initiator() ? IkeRole.ORIGINAL_INITIATOR : IkeRole.ORIGINAL_RESPONDER), peers,
        new IsakmpAlgorithms(a.enc(), a.keyBits(), a.hash(), a.dh(), sa.authMethodId()), keys, times,
        new IsakmpFeatures(natt, sa.peerDpd(), Integer.toUnsignedLong(sa.dpdSeq()), sa.xauthUser().orElse(""),
            sa.modecfgAddress().orElse(null)));
  }

  static NatState natState(boolean local, boolean remote) {
    return local && remote ? NatState.BOTH_BEHIND_NAT
        : local ? NatState.LOCAL_BEHIND_NAT : remote ? NatState.REMOTE_BEHIND_NAT : NatState.NONE;
  }

  /** An IKEv1 IPsec SA as the publisher's {@link Publisher.Esp}; its parent is the ISAKMP SA's cookies. */
  static Publisher.Esp esp(QuickSa q) {
    IsakmpSa sa = q.parent();
    // no RFC 6311 in IKEv1: the inbound window of a taken-over IPsec SA starts fresh, from 0
    return new Publisher.Esp(q.conn(), new IkeSpis(sa.cookieI(), sa.cookieR()), sa.local(), sa.remote(),
        sa.natDetected() && (sa.nattRfc() || sa.nattDraft()), q.reqid(), q.inboundSpi(), q.outboundSpi(), q.algs(),
        q.transport(), q.selectors(), java.util.Arrays.asList(q.encIn(), q.integIn(), q.encOut(), q.integOut()),
        q.established(), q.replaceTimer(), q.firstOutboundSeq(), 0);
  }
}
