package org.openswanj.cluster.codec;

import org.openswanj.alg.DhGroup;
import org.openswanj.alg.Encryption;
import org.openswanj.alg.Integrity;
import org.openswanj.cluster.state.Endpoint;
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

/**
 * The ISAKMP SA record's fields (format version 3; version 4 adds the XAUTH user and the ModeConfig address); algorithms by their IKEv1 attribute values (RFC 2409 App. A:
 * Encryption Algorithm, Hash Algorithm, Group Description, Authentication Method).
 */
final class IsakmpBody {
  private IsakmpBody() {}

  /** Everything but the keys, as read before the keys are opened. */
  record Public(IkeSaRef ref, IkePeers peers, IsakmpAlgorithms algorithms, SaTimes times, IsakmpFeatures features) {}

  static void writePublic(IsakmpSaRecord r, WireWriter w, int version) {
    w.text(r.ref().conn()).u64(r.ref().spis().initiator()).u64(r.ref().spis().responder())
        .u8(r.ref().role().ordinal());
    Fields.endpoint(w, r.peers().local());
    Fields.endpoint(w, r.peers().remote());
    w.text(r.peers().localId()).text(r.peers().remoteId()).u8(r.peers().nat().ordinal());
    IsakmpAlgorithms a = r.algorithms();
    w.u16(a.encryption().ikev1Id()).u16(a.keyBits()).u16(a.hash().ikev1HashId()).u16(a.dh().id())
        .u16(a.authMethod());
    Fields.times(w, r.times());
    IsakmpFeatures f = r.features();
    w.u8(f.natt().ordinal()).u8(f.peerDpd() ? 1 : 0).u32(f.dpdSeq());
    if (version >= RecordCodec.XAUTH_SINCE) {
      byte[] addr = f.modecfgAddress() == null ? new byte[0] : f.modecfgAddress().getAddress();
      w.text(f.xauthUser()).u8(addr.length).raw(addr);
    }
  }

  static Public readPublic(WireReader r, int version) throws RecordException {
    IkeSaRef ref = new IkeSaRef(r.text("conn"), new IkeSpis(r.u64("initiator cookie"), r.u64("responder cookie")),
        Fields.ordinal(r, IkeRole.values(), "role"));
    Endpoint local = Fields.endpoint(r, "local endpoint");
    Endpoint remote = Fields.endpoint(r, "remote endpoint");
    IkePeers peers = new IkePeers(local, remote, r.text("local id"), r.text("remote id"),
        Fields.ordinal(r, NatState.values(), "NAT state"), FragmentState.NONE);
    IsakmpAlgorithms algs = algorithms(r);
    SaTimes times = Fields.times(r);
    IsakmpFeatures.NattFlavour natt = Fields.ordinal(r, IsakmpFeatures.NattFlavour.values(), "NAT-T flavour");
    int dpd = r.u8("DPD flag");
    if (dpd > 1) {
      throw r.bad("DPD flag", "value " + dpd + " (0 or 1)");
    }
    long dpdSeq = r.u32("DPD sequence number");
    if (version < RecordCodec.XAUTH_SINCE) {
      return new Public(ref, peers, algs, times, new IsakmpFeatures(natt, dpd == 1, dpdSeq));
    }
    String user = r.text("XAUTH user");
    int len = r.u8("ModeConfig address length");
    if (len != 0 && len != 4 && len != 16) {
      throw r.bad("ModeConfig address length", len + " (0, 4 or 16)");
    }
    java.net.InetAddress address = null;
    if (len > 0) {
      try {
        address = java.net.InetAddress.getByAddress(r.raw(len, "ModeConfig address"));
      } catch (java.net.UnknownHostException e) {
        throw r.bad("ModeConfig address", e.getMessage()); // not reached: the length was checked
      }
    }
    return new Public(ref, peers, algs, times, new IsakmpFeatures(natt, dpd == 1, dpdSeq, user, address));
  }

  private static IsakmpAlgorithms algorithms(WireReader r) throws RecordException {
    int enc = r.u16("encryption id");
    Encryption e = Encryption.fromIkev1(enc).orElseThrow(() -> r.bad("encryption id", "unknown IKEv1 id " + enc));
    int bits = r.u16("key length");
    int hash = r.u16("hash id");
    Integrity h = Integrity.fromIkev1Hash(hash).orElseThrow(() -> r.bad("hash id", "unknown IKEv1 id " + hash));
    int dh = r.u16("DH group");
    DhGroup g = DhGroup.fromId(dh).orElseThrow(() -> r.bad("DH group", "unknown group " + dh));
    return new IsakmpAlgorithms(e, bits, h, g, r.u16("authentication method"));
  }

  static void writeKeys(IsakmpKeys k, WireWriter w) {
    w.key(k.skeyidD()).key(k.skeyidA()).key(k.skeyidE()).key(k.encKey()).key(k.phase1Iv());
  }

  static IsakmpKeys readKeys(WireReader r) throws RecordException {
    IsakmpKeys k = new IsakmpKeys(r.key("SKEYID_d"), r.key("SKEYID_a"), r.key("SKEYID_e"), r.key("encryption key"),
        r.key("phase 1 IV"));
    r.end();
    return k;
  }

  static IsakmpSaRecord assemble(Public p, IsakmpKeys keys) {
    return new IsakmpSaRecord(p.ref(), p.peers(), p.algorithms(), keys, p.times(), p.features());
  }
}
