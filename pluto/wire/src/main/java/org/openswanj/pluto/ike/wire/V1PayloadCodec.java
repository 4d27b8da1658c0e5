package org.openswanj.pluto.ike.wire;

import java.util.ArrayList;
import java.util.List;

/** Bodies of the ISAKMP payloads (RFC 2408 §3.4-3.16, RFC 2407 §4.6, RFC 3947 §3.2/§5.2, Mode Config). */
final class V1PayloadCodec {
  private V1PayloadCodec() {}

  /** True if this codec knows the IKEv1 payload type at top level of a message. */
  static boolean known(int type) {
    return (type >= 1 && type <= 14 && type != 2 && type != 3) || type == 20 || type == 21 || type == 130
        || type == 131;
  }

  /** Decodes a payload body (after the generic header); {@code r} spans exactly the body. */
  static Payload decode(int type, WireReader r) throws InvalidSyntaxException {
    Payload p = switch (PayloadType.fromWire(type)) {
      case SA_V1 -> SaCodec.decodeV1(r);
      case KE_V1 -> new V1KePayload(r.rest());
      case ID_V1 -> decodeId(r);
      case CERT_V1 -> new V1CertPayload(r.u8("cert encoding"), r.rest());
      case CR_V1 -> new V1CertReqPayload(r.u8("cert type"), r.rest());
      case HASH -> new HashPayload(r.rest());
      case SIG -> new SigPayload(r.rest());
      case NONCE_V1 -> new V1NoncePayload(r.rest());
      case N_V1 -> decodeNotify(r);
      case D_V1 -> decodeDelete(r);
      case VID_V1 -> new V1VendorIdPayload(r.rest());
      case ATTRIBUTE_V1 -> decodeAttribute(r);
      case NAT_D, NAT_D_DRAFT -> new NatDPayload(r.rest(), type == PayloadType.NAT_D_DRAFT.wireValue());
      case NAT_OA, NAT_OA_DRAFT -> decodeNatOa(type == PayloadType.NAT_OA_DRAFT.wireValue(), r);
      default -> throw r.error("payload type " + type + " is not an IKEv1 payload");
    };
    r.expectEnd(PayloadType.fromWire(type) + " body");
    return p;
  }

  private static V1IdPayload decodeId(WireReader r) throws InvalidSyntaxException {
    int idType = r.u8("ID type");
    int protocol = r.u8("protocol id");
    int port = r.u16("port");
    return new V1IdPayload(IdType.fromWire(idType), protocol, port, r.rest());
  }

  private static V1NotifyPayload decodeNotify(WireReader r) throws InvalidSyntaxException {
    int doi = r.u32("DOI");
    int protocol = r.u8("protocol id");
    int spiSize = r.u8("SPI size");
    int type = r.u16("notify message type");
    byte[] spi = r.bytes(spiSize, "SPI");
    return new V1NotifyPayload(doi, protocol, spi, type, r.rest());
  }

  private static V1DeletePayload decodeDelete(WireReader r) throws InvalidSyntaxException {
    int doi = r.u32("DOI");
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
    return new V1DeletePayload(doi, protocol, spiSize, spis);
  }

  private static V1AttributePayload decodeAttribute(WireReader r) throws InvalidSyntaxException {
    int cfgType = r.u8("attribute message type");
    r.skip(1, "reserved");
    int identifier = r.u16("identifier");
    return new V1AttributePayload(cfgType, identifier, SaCodec.decodeAttributes(r));
  }

  private static NatOaPayload decodeNatOa(boolean draft, WireReader r) throws InvalidSyntaxException {
    // RFC 3947 §5.2: ID type, 3 reserved bytes, an IPv4 or IPv6 address.
    int idType = r.u8("ID type");
    r.skip(3, "reserved");
    IdType t = IdType.fromWire(idType);
    int len = t == IdType.ID_IPV4_ADDR ? 4 : t == IdType.ID_IPV6_ADDR ? 16 : -1;
    if (len < 0) {
      throw r.error("NAT-OA ID type " + idType + " is neither ID_IPV4_ADDR nor ID_IPV6_ADDR");
    }
    if (r.remaining() != len) {
      throw r.error("NAT-OA address of " + r.remaining() + " bytes for " + t);
    }
    return new NatOaPayload(t, V2PayloadCodec.address(r.bytes(len, "address")), draft);
  }

  /** Encodes a payload body (without the generic header). */
  static void encode(Payload p, WireWriter w) {
    if (p instanceof V1SaPayload sa) {
      SaCodec.encodeV1(sa, w);
    } else if (p instanceof V1KePayload ke) {
      w.bytes(ke.keyData());
    } else if (p instanceof V1IdPayload id) {
      w.bytes(id.body());
    } else if (p instanceof V1CertPayload c) {
      w.u8(c.encoding()).bytes(c.data());
    } else if (p instanceof V1CertReqPayload c) {
      w.u8(c.encoding()).bytes(c.data());
    } else if (p instanceof HashPayload h) {
      w.bytes(h.hash());
    } else if (p instanceof SigPayload s) {
      w.bytes(s.signature());
    } else if (p instanceof V1NoncePayload n) {
      w.bytes(n.nonce());
    } else if (p instanceof V1NotifyPayload n) {
      w.u32(n.doi()).u8(n.protocolId()).u8(n.spi().length).u16(n.notifyType()).bytes(n.spi()).bytes(n.data());
    } else if (p instanceof V1DeletePayload d) {
      w.u32(d.doi()).u8(d.protocolId()).u8(d.spiSize()).u16(d.spis().size());
      d.spis().forEach(w::bytes);
    } else if (p instanceof V1VendorIdPayload v) {
      w.bytes(v.data());
    } else if (p instanceof V1AttributePayload a) {
      w.u8(a.cfgType()).u8(0).u16(a.identifier());
      SaCodec.encodeAttributes(a.attributes(), w);
    } else if (p instanceof NatDPayload n) {
      w.bytes(n.hash());
    } else if (p instanceof NatOaPayload n) {
      w.u8(n.idType().wireValue()).zeros(3).bytes(n.address().getAddress());
    } else if (p instanceof UnknownPayload u) {
      w.bytes(u.body());
    } else {
      throw new IllegalArgumentException(p.payloadType() + " is not an IKEv1 payload");
    }
  }
}
