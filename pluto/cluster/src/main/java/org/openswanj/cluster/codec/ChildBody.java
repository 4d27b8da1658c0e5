package org.openswanj.cluster.codec;

import java.util.ArrayList;
import java.util.List;
import org.openswanj.alg.Encryption;
import org.openswanj.alg.Integrity;
import org.openswanj.cluster.state.ChildAlgorithms;
import org.openswanj.cluster.state.ChildKeys;
import org.openswanj.cluster.state.ChildSaRecord;
import org.openswanj.cluster.state.ChildSaRef;
import org.openswanj.cluster.state.ChildSpis;
import org.openswanj.cluster.state.IkeSpis;
import org.openswanj.cluster.state.SaTimes;
import org.openswanj.cluster.state.TrafficSelectors;
import org.openswanj.kernel.IpsecMode;
import org.openswanj.kernel.IpsecProto;
import org.openswanj.kernel.Replay;
import org.openswanj.kernel.Selector;
import org.openswanj.kernel.UdpEncap;

/** The Child SA record's fields; algorithms by their IPsec DOI ids (RFC 2407 §4.4.4, as ESP uses), 0 = none. */
final class ChildBody {
  private static final int MAX_SELECTORS = 64;

  private ChildBody() {}

  record Public(ChildSaRef ref, TrafficSelectors selectors, ChildAlgorithms algorithms, SaTimes times,
      long highWater, long inboundHighWater) {}

  static void writePublic(ChildSaRecord r, WireWriter w, int version) {
    ChildSaRef ref = r.ref();
    w.text(ref.conn()).u64(ref.parent().initiator()).u64(ref.parent().responder()).u32(ref.reqid() & 0xffffffffL)
        .u32(ref.spis().inbound() & 0xffffffffL).u32(ref.spis().outbound() & 0xffffffffL)
        .u8(ref.spis().proto().ordinal());
    selectors(w, r.selectors().local());
    selectors(w, r.selectors().remote());
    ChildAlgorithms a = r.algorithms();
    w.u16(a.encryption().ids().ipsecDoi()).u16(a.keyBits())
        .u16(a.integrity() == null ? 0 : a.integrity().ids().ipsecDoi()).u8(a.mode().ordinal())
        .u32(a.replay().window()).u8(a.replay().esn() ? 1 : 0);
    w.u16(a.udp() == null ? 0 : a.udp().srcPort()).u16(a.udp() == null ? 0 : a.udp().dstPort());
    Fields.times(w, r.times());
    w.u64(r.outboundSeqHighWater());
    if (version >= 2) {
      w.u64(r.inboundSeqHighWater());
    }
  }

  private static void selectors(WireWriter w, List<Selector> s) {
    w.u8(s.size());
    s.forEach(x -> Fields.selector(w, x));
  }

  static Public readPublic(WireReader r, int version) throws RecordException {
    ChildSaRef ref = new ChildSaRef(r.text("conn"), new IkeSpis(r.u64("parent initiator SPI"),
        r.u64("parent responder SPI")), (int) r.u32("reqid"),
        new ChildSpis((int) r.u32("inbound SPI"), (int) r.u32("outbound SPI"),
            Fields.ordinal(r, IpsecProto.values(), "protocol")));
    TrafficSelectors ts = new TrafficSelectors(selectors(r, "local"), selectors(r, "remote"));
    ChildAlgorithms algs = algorithms(r);
    SaTimes times = Fields.times(r);
    long hw = r.u64("outbound sequence high-water");
    if (hw < 0) {
      throw r.bad("outbound sequence high-water", "beyond 2^63");
    }
    long in = version >= 2 ? r.u64("inbound sequence high-water") : 0;
    if (in < 0) {
      throw r.bad("inbound sequence high-water", "beyond 2^63");
    }
    return new Public(ref, ts, algs, times, hw, in);
  }

  private static List<Selector> selectors(WireReader r, String side) throws RecordException {
    int n = r.u8(side + " selector count");
    if (n > MAX_SELECTORS) {
      throw r.bad(side + " selector count", n + " (at most " + MAX_SELECTORS + ")");
    }
    List<Selector> out = new ArrayList<>(n);
    for (int i = 0; i < n; i++) {
      out.add(Fields.selector(r));
    }
    return out;
  }

  private static ChildAlgorithms algorithms(WireReader r) throws RecordException {
    int enc = r.u16("ESP encryption id");
    Encryption e = Encryption.fromEspV1(enc).orElseThrow(() -> r.bad("ESP encryption id", "unknown id " + enc));
    int bits = r.u16("key length");
    int integ = r.u16("ESP integrity id");
    Integrity i = integ == 0 ? null
        : Integrity.fromEspV1(integ).orElseThrow(() -> r.bad("ESP integrity id", "unknown id " + integ));
    IpsecMode mode = Fields.ordinal(r, IpsecMode.values(), "mode");
    long window = r.u32("replay window");
    int esn = r.u8("ESN flag");
    if (window > Integer.MAX_VALUE || esn > 1) {
      throw r.bad("replay", "window " + window + ", ESN flag " + esn);
    }
    int sport = r.u16("UDP source port");
    int dport = r.u16("UDP destination port");
    UdpEncap udp = sport == 0 && dport == 0 ? null : new UdpEncap(sport, dport);
    return new ChildAlgorithms(e, bits, i, mode, new Replay((int) window, esn == 1), udp);
  }

  static void writeKeys(ChildKeys k, WireWriter w) {
    w.key(k.inboundEnc()).key(k.inboundInteg()).key(k.outboundEnc()).key(k.outboundInteg());
  }

  static ChildKeys readKeys(WireReader r) throws RecordException {
    ChildKeys k = new ChildKeys(r.key("inbound encryption key"), r.key("inbound integrity key"),
        r.key("outbound encryption key"), r.key("outbound integrity key"));
    r.end();
    return k;
  }

  static ChildSaRecord assemble(Public p, ChildKeys keys) {
    return new ChildSaRecord(p.ref(), p.selectors(), p.algorithms(), keys, p.times(), p.highWater(),
        p.inboundHighWater());
  }
}
