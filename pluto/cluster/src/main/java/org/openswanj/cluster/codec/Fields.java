package org.openswanj.cluster.codec;

import org.openswanj.cluster.state.Endpoint;
import org.openswanj.cluster.state.SaTimes;
import org.openswanj.kernel.Selector;

/** Field encodings shared by the IKE and Child bodies; readers validate before building a value. */
final class Fields {
  private Fields() {}

  static void endpoint(WireWriter w, Endpoint e) {
    w.address(e.address()).u16(e.port());
  }

  static Endpoint endpoint(WireReader r, String field) throws RecordException {
    return new Endpoint(r.address(field), r.u16(field + " port"));
  }

  static void times(WireWriter w, SaTimes t) {
    w.u64(t.establishedAt()).u64(t.rekeyAt()).u64(t.expireAt());
  }

  static SaTimes times(WireReader r) throws RecordException {
    long est = r.u64("established at");
    long rekey = r.u64("rekey at");
    long expire = r.u64("expire at");
    if (est < 0 || rekey < 0 || expire < 0) {
      throw r.bad("lifetime", "negative time");
    }
    return new SaTimes(est, rekey, expire);
  }

  static <E extends Enum<E>> E ordinal(WireReader r, E[] values, String field) throws RecordException {
    int v = r.u8(field);
    if (v >= values.length) {
      throw r.bad(field, "value " + v + " (0.." + (values.length - 1) + ")");
    }
    return values[v];
  }

  static void selector(WireWriter w, Selector s) {
    w.address(s.src()).u8(s.srcPrefix()).address(s.dst()).u8(s.dstPrefix()).u8(s.protocol())
        .u16(s.srcPort()).u16(s.dstPort());
  }

  static Selector selector(WireReader r) throws RecordException {
    var src = r.address("selector source");
    int sp = r.u8("selector source prefix");
    var dst = r.address("selector destination");
    int dp = r.u8("selector destination prefix");
    int proto = r.u8("selector protocol");
    int sport = r.u16("selector source port");
    int dport = r.u16("selector destination port");
    if (sp > src.getAddress().length * 8 || dp > dst.getAddress().length * 8) {
      throw r.bad("selector", "prefix longer than its address");
    }
    return new Selector(src, sp, dst, dp, proto, sport, dport);
  }
}
