package org.openswanj.pluto.ike.wire;

import java.util.ArrayList;
import java.util.List;

/**
 * SA payload bodies: IKEv2 proposals and transforms (RFC 7296 §3.3) and ISAKMP proposal and transform payloads
 * (RFC 2408 §3.4-3.6), with data attributes (RFC 2408 §3.3, RFC 7296 §3.3.5).
 */
final class SaCodec {
  private static final int MORE_PROPOSALS = 2;
  private static final int MORE_TRANSFORMS = 3;
  /** RFC 7296 §3.3.5. */
  private static final int ATTR_KEY_LENGTH = 14;
  private static final int AF_TV = 0x8000;

  private SaCodec() {}

  // ---- IKEv2 (RFC 7296 §3.3) ----

  static SaPayload decodeV2(WireReader r) throws InvalidSyntaxException {
    List<Proposal> proposals = new ArrayList<>();
    int last = MORE_PROPOSALS;
    while (last == MORE_PROPOSALS) {
      String where = r.where() + " proposal " + (proposals.size() + 1);
      last = r.u8(where + " last-substruc");
      if (last != 0 && last != MORE_PROPOSALS) {
        throw r.error(where + ": last-substruc is " + last + ", must be 0 or 2");
      }
      r.skip(1, where + " reserved");
      int len = r.u16(where + " length");
      if (len < 8) {
        throw r.error(where + ": length " + len + " is less than the 8-byte proposal header");
      }
      proposals.add(decodeV2Proposal(r.sub(len - 4, where)));
    }
    r.expectEnd("the last proposal");
    return new SaPayload(proposals);
  }

  private static Proposal decodeV2Proposal(WireReader r) throws InvalidSyntaxException {
    int number = r.u8("proposal number");
    int protocol = r.u8("protocol id");
    int spiSize = r.u8("SPI size");
    int count = r.u8("number of transforms");
    byte[] spi = r.bytes(spiSize, "SPI");
    List<Transform> transforms = new ArrayList<>();
    int last = count == 0 ? 0 : MORE_TRANSFORMS;
    while (last == MORE_TRANSFORMS) {
      String where = r.where() + " transform " + (transforms.size() + 1);
      last = r.u8(where + " last-substruc");
      if (last != 0 && last != MORE_TRANSFORMS) {
        throw r.error(where + ": last-substruc is " + last + ", must be 0 or 3");
      }
      r.skip(1, where + " reserved");
      int len = r.u16(where + " length");
      if (len < 8) {
        throw r.error(where + ": length " + len + " is less than the 8-byte transform header");
      }
      transforms.add(decodeV2Transform(r.sub(len - 4, where)));
    }
    if (transforms.size() != count) {
      throw r.error("proposal says " + count + " transforms but holds " + transforms.size());
    }
    r.expectEnd("the last transform");
    return new Proposal(number, ProtocolId.fromWire(protocol), spi, transforms);
  }

  private static Transform decodeV2Transform(WireReader r) throws InvalidSyntaxException {
    int type = r.u8("transform type");
    r.skip(1, "reserved");
    int id = r.u16("transform id");
    int keyLength = 0;
    for (DataAttribute a : decodeAttributes(r)) {
      keyLength = a.type() == ATTR_KEY_LENGTH && a.tv() && keyLength == 0 ? a.value()
          : Transform.UNRECOGNIZED_ATTRIBUTE;
    }
    return new Transform(TransformType.fromWire(type), id, keyLength);
  }

  static void encodeV2(SaPayload sa, WireWriter w) {
    List<Proposal> ps = sa.proposals();
    for (int i = 0; i < ps.size(); i++) {
      Proposal p = ps.get(i);
      WireWriter body = new WireWriter();
      body.u8(p.number()).u8(p.protocol().wireValue() & 0xff).u8(p.spi().length).u8(p.transforms().size());
      body.bytes(p.spi());
      List<Transform> ts = p.transforms();
      for (int j = 0; j < ts.size(); j++) {
        Transform t = ts.get(j);
        boolean keyLen = t.keyLength() > 0;
        body.u8(j + 1 < ts.size() ? MORE_TRANSFORMS : 0).u8(0).u16(keyLen ? 12 : 8);
        body.u8(t.type().wireValue() & 0xff).u8(0).u16(t.id());
        if (keyLen) {
          body.u16(AF_TV | ATTR_KEY_LENGTH).u16(t.keyLength());
        }
      }
      w.u8(i + 1 < ps.size() ? MORE_PROPOSALS : 0).u8(0).u16(4 + body.size()).bytes(body.toByteArray());
    }
  }

  // ---- IKEv1 (RFC 2408 §3.4-3.6, RFC 2407 §4.6.1) ----

  static V1SaPayload decodeV1(WireReader r) throws InvalidSyntaxException {
    int doi = r.u32("DOI");
    int situation = r.u32("situation");
    // RFC 2407 §4.6.1: SIT_SECRECY (2) / SIT_INTEGRITY (4) add labelled-domain fields we do not support.
    if (doi == V1SaPayload.DOI_IPSEC && (situation & 0x6) != 0) {
      throw r.error("situation 0x" + Integer.toHexString(situation) + " (secrecy/integrity labels) is not supported");
    }
    List<V1Proposal> proposals = new ArrayList<>();
    int next = r.remaining() > 0 ? PayloadType.PROPOSAL.wireValue() : 0;
    while (next == PayloadType.PROPOSAL.wireValue()) {
      String where = r.where() + " proposal payload " + (proposals.size() + 1);
      next = r.u8(where + " next payload");
      if (next != 0 && next != PayloadType.PROPOSAL.wireValue()) {
        throw r.error(where + ": next payload is " + next + ", must be 0 or 2 (PROPOSAL)");
      }
      r.skip(1, where + " reserved");
      int len = r.u16(where + " length");
      if (len < 8) {
        throw r.error(where + ": length " + len + " is less than the 8-byte proposal header");
      }
      proposals.add(decodeV1Proposal(r.sub(len - 4, where)));
    }
    r.expectEnd("the last proposal");
    return new V1SaPayload(doi, situation, proposals);
  }

  private static V1Proposal decodeV1Proposal(WireReader r) throws InvalidSyntaxException {
    int number = r.u8("proposal number");
    int protocol = r.u8("protocol id");
    int spiSize = r.u8("SPI size");
    int count = r.u8("number of transforms");
    byte[] spi = r.bytes(spiSize, "SPI");
    List<V1Transform> transforms = new ArrayList<>();
    int next = count == 0 ? 0 : PayloadType.TRANSFORM.wireValue();
    while (next == PayloadType.TRANSFORM.wireValue()) {
      String where = r.where() + " transform payload " + (transforms.size() + 1);
      next = r.u8(where + " next payload");
      if (next != 0 && next != PayloadType.TRANSFORM.wireValue()) {
        throw r.error(where + ": next payload is " + next + ", must be 0 or 3 (TRANSFORM)");
      }
      r.skip(1, where + " reserved");
      int len = r.u16(where + " length");
      if (len < 8) {
        throw r.error(where + ": length " + len + " is less than the 8-byte transform header");
      }
      WireReader t = r.sub(len - 4, where);
      int tnum = t.u8("transform number");
      int tid = t.u8("transform id");
      t.skip(2, "reserved2");
      transforms.add(new V1Transform(tnum, tid, decodeAttributes(t)));
    }
    if (transforms.size() != count) {
      throw r.error("proposal says " + count + " transforms but holds " + transforms.size());
    }
    r.expectEnd("the last transform");
    return new V1Proposal(number, ProtocolId.fromWire(protocol), spi, transforms);
  }

  static void encodeV1(V1SaPayload sa, WireWriter w) {
    w.u32(sa.doi()).u32(sa.situation());
    List<V1Proposal> ps = sa.proposals();
    for (int i = 0; i < ps.size(); i++) {
      V1Proposal p = ps.get(i);
      WireWriter body = new WireWriter();
      body.u8(p.number()).u8(p.protocol().wireValue() & 0xff).u8(p.spi().length).u8(p.transforms().size());
      body.bytes(p.spi());
      List<V1Transform> ts = p.transforms();
      for (int j = 0; j < ts.size(); j++) {
        V1Transform t = ts.get(j);
        WireWriter tb = new WireWriter().u8(t.number()).u8(t.id()).u16(0);
        encodeAttributes(t.attributes(), tb);
        body.u8(j + 1 < ts.size() ? PayloadType.TRANSFORM.wireValue() : 0).u8(0).u16(4 + tb.size());
        body.bytes(tb.toByteArray());
      }
      w.u8(i + 1 < ps.size() ? PayloadType.PROPOSAL.wireValue() : 0).u8(0).u16(4 + body.size());
      w.bytes(body.toByteArray());
    }
  }

  // ---- data attributes (RFC 2408 §3.3) ----

  static List<DataAttribute> decodeAttributes(WireReader r) throws InvalidSyntaxException {
    List<DataAttribute> attrs = new ArrayList<>();
    while (r.remaining() > 0) {
      int t = r.u16("attribute type");
      if ((t & AF_TV) != 0) {
        attrs.add(DataAttribute.tv(t & 0x7fff, r.u16("attribute value")));
      } else {
        int len = r.u16("attribute length");
        attrs.add(DataAttribute.tlv(t, r.bytes(len, "attribute " + t + " value")));
      }
    }
    return attrs;
  }

  static void encodeAttributes(List<DataAttribute> attrs, WireWriter w) {
    for (DataAttribute a : attrs) {
      if (a.tv()) {
        w.u16(AF_TV | a.type()).u16(a.value());
      } else {
        w.u16(a.type() & 0x7fff).u16(a.variable().length).bytes(a.variable());
      }
    }
  }
}
