package org.openswanj.cluster.codec;

import org.openswanj.alg.DhGroup;
import org.openswanj.alg.Encryption;
import org.openswanj.alg.Integrity;
import org.openswanj.alg.Prf;
import org.openswanj.cluster.state.Endpoint;
import org.openswanj.cluster.state.FragmentState;
import org.openswanj.cluster.state.IkeAlgorithms;
import org.openswanj.cluster.state.IkeKeys;
import org.openswanj.cluster.state.IkeMessageIds;
import org.openswanj.cluster.state.IkePeers;
import org.openswanj.cluster.state.IkeRole;
import org.openswanj.cluster.state.IkeSaRecord;
import org.openswanj.cluster.state.IkeSaRef;
import org.openswanj.cluster.state.IkeSpis;
import org.openswanj.cluster.state.MessageIdSync;
import org.openswanj.cluster.state.NatState;
import org.openswanj.cluster.state.SaTimes;

/** The IKE SA record's fields; algorithms by their IKEv2 transform ids (RFC 7296 §3.3.2), 0 = none. */
final class IkeBody {
  private IkeBody() {}

  /** Everything but the keys, as read before the keys are opened. */
  record Public(IkeSaRef ref, IkePeers peers, IkeAlgorithms algorithms, SaTimes times, IkeMessageIds ids) {}

  static void writePublic(IkeSaRecord r, WireWriter w) {
    w.text(r.ref().conn()).u64(r.ref().spis().initiator()).u64(r.ref().spis().responder())
        .u8(r.ref().role().ordinal());
    Fields.endpoint(w, r.peers().local());
    Fields.endpoint(w, r.peers().remote());
    w.text(r.peers().localId()).text(r.peers().remoteId()).u8(r.peers().nat().ordinal())
        .u8(r.peers().fragments().ordinal());
    IkeAlgorithms a = r.algorithms();
    w.u16(a.encryption().ikev2Id()).u16(a.keyBits()).u16(a.integrity() == null ? 0 : a.integrity().ikev2Id())
        .u16(a.prf().ikev2Id()).u16(a.dh().id());
    Fields.times(w, r.times());
    w.u32(r.messageIds().nextSendRequest()).u32(r.messageIds().nextExpectedRequest())
        .u8(r.messageIds().sync().ordinal());
  }

  static Public readPublic(WireReader r) throws RecordException {
    IkeSaRef ref = new IkeSaRef(r.text("conn"), new IkeSpis(r.u64("initiator SPI"), r.u64("responder SPI")),
        Fields.ordinal(r, IkeRole.values(), "role"));
    Endpoint local = Fields.endpoint(r, "local endpoint");
    Endpoint remote = Fields.endpoint(r, "remote endpoint");
    IkePeers peers = new IkePeers(local, remote, r.text("local id"), r.text("remote id"),
        Fields.ordinal(r, NatState.values(), "NAT state"),
        Fields.ordinal(r, FragmentState.values(), "fragmentation state"));
    return new Public(ref, peers, algorithms(r), Fields.times(r),
        new IkeMessageIds(r.u32("next send message ID"), r.u32("next expected message ID"),
            Fields.ordinal(r, MessageIdSync.values(), "RFC 6311 support")));
  }

  private static IkeAlgorithms algorithms(WireReader r) throws RecordException {
    int enc = r.u16("encryption id");
    Encryption e = Encryption.fromIkev2(enc).orElseThrow(() -> r.bad("encryption id", "unknown IKEv2 id " + enc));
    int bits = r.u16("key length");
    int integ = r.u16("integrity id");
    Integrity i = integ == 0 ? null
        : Integrity.fromIkev2(integ).orElseThrow(() -> r.bad("integrity id", "unknown IKEv2 id " + integ));
    int prf = r.u16("PRF id");
    Prf p = Prf.fromIkev2(prf).orElseThrow(() -> r.bad("PRF id", "unknown IKEv2 id " + prf));
    int dh = r.u16("DH group");
    DhGroup g = DhGroup.fromId(dh).orElseThrow(() -> r.bad("DH group", "unknown group " + dh));
    return new IkeAlgorithms(e, bits, i, p, g);
  }

  static void writeKeys(IkeKeys k, WireWriter w) {
    w.key(k.skD()).key(k.skAi()).key(k.skAr()).key(k.skEi()).key(k.skEr());
  }

  static IkeKeys readKeys(WireReader r) throws RecordException {
    IkeKeys k = new IkeKeys(r.key("SK_d"), r.key("SK_ai"), r.key("SK_ar"), r.key("SK_ei"), r.key("SK_er"));
    r.end();
    return k;
  }

  static IkeSaRecord assemble(Public p, IkeKeys keys) {
    return new IkeSaRecord(p.ref(), p.peers(), p.algorithms(), keys, p.times(), p.ids());
  }
}
