package org.openswanj.pluto.ike.wire;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.List;

/** Bodies of the IKEv2 payloads (RFC 7296 §3.3-3.16, RFC 7383 §2.5): one decode and one encode case per type. */
final class V2PayloadCodec {
  private V2PayloadCodec() {}

  /** True if IKEv2 defines this payload type (the rest are "unrecognized", RFC 7296 §2.5). */
  static boolean known(int type) {
    return (type >= 33 && type <= 48) || type == PayloadType.SKF.wireValue();
  }

  /** Decodes a payload body (after the generic header); {@code r} spans exactly the body. */
  static Payload decode(int type, WireReader r) throws InvalidSyntaxException {
    Payload p = switch (PayloadType.fromWire(type)) {
      case SA -> SaCodec.decodeV2(r);
      case KE -> decodeKe(r);
      case IDI, IDR -> decodeId(type == PayloadType.IDR.wireValue(), r);
      case CERT -> new CertPayload(r.u8("cert encoding"), r.rest());
      case CERTREQ -> new CertReqPayload(r.u8("cert encoding"), r.rest());
      case AUTH -> decodeAuth(r);
      case NONCE -> decodeNonce(r);
      case NOTIFY -> decodeNotify(r);
      case DELETE -> decodeDelete(r);
      case VENDOR_ID -> new VendorIdPayload(r.rest());
      case TSI, TSR -> decodeTs(type == PayloadType.TSR.wireValue(), r);
      case SK -> throw r.error("SK is decoded by the chain");
      case CP -> decodeCp(r);
      case EAP -> decodeEap(r);
      case SKF -> throw r.error("SKF is decoded by the chain");
      default -> throw r.error("payload type " + type + " is not an IKEv2 payload");
    };
    r.expectEnd(PayloadType.fromWire(type) + " body");
    return p;
  }

  private static KePayload decodeKe(WireReader r) throws InvalidSyntaxException {
    int group = r.u16("DH group");
    r.skip(2, "reserved");
    return new KePayload(group, r.rest());
  }

  private static IdPayload decodeId(boolean responder, WireReader r) throws InvalidSyntaxException {
    int idType = r.u8("ID type");
    r.skip(3, "reserved");
    return new IdPayload(responder, IdType.fromWire(idType), r.rest());
  }

  private static AuthPayload decodeAuth(WireReader r) throws InvalidSyntaxException {
    int method = r.u8("auth method");
    r.skip(3, "reserved");
    return new AuthPayload(AuthMethod.fromWire(method), method, r.rest());
  }

  private static NoncePayload decodeNonce(WireReader r) throws InvalidSyntaxException {
    // RFC 7296 §3.9: between 16 and 256 octets.
    if (r.remaining() < 16 || r.remaining() > 256) {
      throw r.error("nonce of " + r.remaining() + " bytes is outside 16..256 (RFC 7296 §3.9)");
    }
    return new NoncePayload(r.rest());
  }

  private static NotifyPayload decodeNotify(WireReader r) throws InvalidSyntaxException {
    int protocol = r.u8("protocol id");
    int spiSize = r.u8("SPI size");
    int type = r.u16("notify type");
    byte[] spi = r.bytes(spiSize, "SPI");
    return new NotifyPayload(protocol, spi, type, r.rest());
  }

  private static DeletePayload decodeDelete(WireReader r) throws InvalidSyntaxException {
    int protocol = r.u8("protocol id");
    int spiSize = r.u8("SPI size");
    int count = r.u16("number of SPIs");
    if ((long) spiSize * count != r.remaining()) {
      throw r.error(count + " SPIs of " + spiSize + " bytes do not fill the " + r.remaining() + " bytes left");
    }
    List<byte[]> spis = new ArrayList<>();
    for (int i = 0; i < count; i++) {
      spis.add(r.bytes(spiSize, "SPI " + (i + 1)));
    }
    return new DeletePayload(protocol, spiSize, spis);
  }

  private static TsPayload decodeTs(boolean responder, WireReader r) throws InvalidSyntaxException {
    int count = r.u8("number of TSs");
    r.skip(3, "reserved");
    List<TrafficSelector> list = new ArrayList<>();
    for (int i = 0; i < count; i++) {
      String where = r.where() + " selector " + (i + 1);
      int type = r.u8(where + " type");
      int proto = r.u8(where + " IP protocol");
      int len = r.u16(where + " length");
      TsType ts = TsType.fromWire(type);
      if (ts == TsType.UNKNOWN) {
        throw r.error(where + ": TS type " + type + " is not supported");
      }
      if (len != 8 + 2 * ts.addressLength()) {
        throw r.error(where + ": length " + len + " is wrong for " + ts + " (" + (8 + 2 * ts.addressLength()) + ")");
      }
      int startPort = r.u16(where + " start port");
      int endPort = r.u16(where + " end port");
      InetAddress start = address(r.bytes(ts.addressLength(), where + " start address"));
      InetAddress end = address(r.bytes(ts.addressLength(), where + " end address"));
      list.add(new TrafficSelector(ts, proto, startPort, endPort, start, end));
    }
    r.expectEnd(count + " traffic selectors");
    return new TsPayload(responder, list);
  }

  private static CpPayload decodeCp(WireReader r) throws InvalidSyntaxException {
    int cfgType = r.u8("CFG type");
    r.skip(3, "reserved");
    List<CpAttribute> attrs = new ArrayList<>();
    while (r.remaining() > 0) {
      int type = r.u16("attribute type") & 0x7fff;
      int len = r.u16("attribute length");
      attrs.add(new CpAttribute(type, r.bytes(len, "attribute " + type + " value")));
    }
    return new CpPayload(cfgType, attrs);
  }

  private static EapPayload decodeEap(WireReader r) throws InvalidSyntaxException {
    // RFC 3748 §4: code, identifier, 2-byte length covering the whole EAP message.
    if (r.remaining() < 4) {
      throw r.error("EAP message of " + r.remaining() + " bytes is shorter than its 4-byte header");
    }
    byte[] eap = r.rest();
    int len = ((eap[2] & 0xff) << 8) | (eap[3] & 0xff);
    if (len != eap.length) {
      throw r.error("EAP length " + len + " disagrees with the payload (" + eap.length + " bytes)");
    }
    return new EapPayload(eap);
  }

  static InetAddress address(byte[] b) {
    try {
      return InetAddress.getByAddress(b);
    } catch (UnknownHostException e) {
      throw new IllegalStateException("address of " + b.length + " bytes", e);
    }
  }

  /** Encodes a payload body (without the generic header). */
  static void encode(Payload p, WireWriter w) {
    if (p instanceof SaPayload sa) {
      SaCodec.encodeV2(sa, w);
    } else if (p instanceof KePayload ke) {
      w.u16(ke.dhGroup()).u16(0).bytes(ke.keyData());
    } else if (p instanceof IdPayload id) {
      w.u8(id.idType().wireValue() & 0xff).zeros(3).bytes(id.data());
    } else if (p instanceof CertPayload c) {
      w.u8(c.encoding()).bytes(c.data());
    } else if (p instanceof CertReqPayload c) {
      w.u8(c.encoding()).bytes(c.data());
    } else if (p instanceof AuthPayload a) {
      w.u8(a.rawMethod()).zeros(3).bytes(a.data());
    } else if (p instanceof NoncePayload n) {
      w.bytes(n.nonce());
    } else if (p instanceof NotifyPayload n) {
      w.u8(n.protocolId()).u8(n.spi().length).u16(n.notifyType()).bytes(n.spi()).bytes(n.data());
    } else if (p instanceof DeletePayload d) {
      encodeDelete(d, w);
    } else if (p instanceof VendorIdPayload v) {
      w.bytes(v.data());
    } else if (p instanceof TsPayload ts) {
      encodeTs(ts, w);
    } else if (p instanceof CpPayload cp) {
      encodeCp(cp, w);
    } else if (p instanceof EapPayload e) {
      w.bytes(e.data());
    } else if (p instanceof SkPayload sk) {
      w.bytes(sk.body());
    } else if (p instanceof SkfPayload f) {
      w.u16(f.fragmentNumber()).u16(f.totalFragments()).bytes(f.body());
    } else if (p instanceof UnknownPayload u) {
      w.bytes(u.body());
    } else {
      throw new IllegalArgumentException(p.payloadType() + " is not an IKEv2 payload");
    }
  }

  private static void encodeDelete(DeletePayload d, WireWriter w) {
    w.u8(d.protocolId()).u8(d.spiSize()).u16(d.spis().size());
    d.spis().forEach(w::bytes);
  }

  private static void encodeTs(TsPayload ts, WireWriter w) {
    w.u8(ts.selectors().size()).zeros(3);
    for (TrafficSelector s : ts.selectors()) {
      byte[] a = s.start().getAddress();
      byte[] b = s.end().getAddress();
      w.u8(s.type().wireValue()).u8(s.ipProtocol()).u16(8 + a.length + b.length);
      w.u16(s.startPort()).u16(s.endPort()).bytes(a).bytes(b);
    }
  }

  private static void encodeCp(CpPayload cp, WireWriter w) {
    w.u8(cp.cfgType()).zeros(3);
    for (CpAttribute a : cp.attributes()) {
      w.u16(a.type() & 0x7fff).u16(a.value().length).bytes(a.value());
    }
  }
}
