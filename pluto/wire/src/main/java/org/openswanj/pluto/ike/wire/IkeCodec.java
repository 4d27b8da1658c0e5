package org.openswanj.pluto.ike.wire;

import com.google.common.io.BaseEncoding;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.function.UnaryOperator;

/**
 * Encodes and decodes whole IKE messages (RFC 7296 §3, RFC 2408 §3). Pure: no I/O, no state. Lengths read from
 * the wire are never trusted: every disagreement becomes an {@link IkeProtocolException} naming where and what.
 * The UDP 4500 non-ESP marker (RFC 3948 §2.2) is the transport's business, not this codec's.
 */
public final class IkeCodec {
  private static final int GENERIC_HEADER = 4;
  private static final int CRITICAL = 0x80;
  private static final int SKF_FIELDS = 4;

  private IkeCodec() {}

  /**
   * Seals an IKEv2 SK payload. {@code aad} is the IKE header ‖ the SK generic payload header (RFC 5282 §5.1: the
   * AEAD associated data; for other ciphers the ICV covers aad ‖ IV ‖ ciphertext, RFC 7296 §3.14). Returns
   * IV ‖ ciphertext (with padding and pad length) ‖ ICV, exactly {@code sealedLength(plaintext.length)} bytes.
   */
  public interface SkSealer {
    int sealedLength(int plaintextLength);

    byte[] seal(byte[] aad, byte[] plaintext);
  }

  /** Opens an IKEv2 SK/SKF body: returns the inner chain with padding removed, or throws (ICV → silent drop). */
  public interface SkOpener {
    byte[] open(byte[] aad, byte[] body) throws IkeProtocolException;
  }

  /** Reads the 28-byte header; the length field must cover at least the header and at most the datagram. */
  public static IkeHeader decodeHeader(byte[] datagram) throws IkeDecodeException {
    if (datagram == null || datagram.length < IkeHeader.SIZE) {
      int n = datagram == null ? 0 : datagram.length;
      throw new IkeDecodeException("datagram of " + n + " bytes is shorter than the 28-byte IKE header");
    }
    try {
      WireReader r = new WireReader(datagram, 0, IkeHeader.SIZE, "IKE header");
      long spiI = ((long) r.u32("initiator SPI") << 32) | (r.u32("initiator SPI") & 0xffffffffL);
      long spiR = ((long) r.u32("responder SPI") << 32) | (r.u32("responder SPI") & 0xffffffffL);
      int next = r.u8("next payload");
      int version = r.u8("version");
      int exchange = r.u8("exchange type");
      int flags = r.u8("flags");
      int messageId = r.u32("message ID");
      long length = r.u32("length") & 0xffffffffL;
      if (length < IkeHeader.SIZE || length > datagram.length) {
        throw new IkeDecodeException("IKE header length " + length + " at offset 24 does not fit the datagram of "
            + datagram.length + " bytes");
      }
      return new IkeHeader(spiI, spiR, next, version >>> 4, version & 0xf, exchange, flags, messageId, (int) length);
    } catch (InvalidSyntaxException e) {
      throw new IkeDecodeException(e.getMessage());
    }
  }

  /**
   * Decodes an IKEv2 (major 2) or IKEv1 (major 1) message. IKEv2: an SK/SKF payload stays opaque (last payload).
   * IKEv1 with the ENCRYPTION flag: the payload list is one {@link V1EncryptedBody}. Bytes after the header's
   * length are ignored.
   */
  public static IkeMessage decode(byte[] datagram) throws IkeProtocolException {
    IkeHeader h = decodeHeader(datagram);
    int bodyLen = h.length() - IkeHeader.SIZE;
    if (h.majorVersion() == 1 && h.encrypted()) {
      byte[] ct = Arrays.copyOfRange(datagram, IkeHeader.SIZE, h.length());
      return new IkeMessage(h, List.of(new V1EncryptedBody(h.nextPayload(), ct)));
    }
    if (h.majorVersion() != 1 && h.majorVersion() != 2) {
      throw new InvalidMajorVersionException("major version " + h.majorVersion() + " at offset 17 is not 1 or 2");
    }
    return new IkeMessage(h, decodeChain(h.majorVersion(), h.nextPayload(), datagram, IkeHeader.SIZE, bodyLen));
  }

  /**
   * Decodes a payload chain starting with type {@code firstPayload} in {@code buf[off, off+len)}; the chain must
   * fill it exactly. IKEv2: an SK or SKF payload ends the chain and must be last.
   */
  public static List<Payload> decodeChain(int majorVersion, int firstPayload, byte[] buf, int off, int len)
      throws IkeProtocolException {
    return decodeChain(majorVersion, firstPayload, buf, off, len, false);
  }

  /** Decodes a decrypted IKEv1 chain; the bytes after the last payload are the cipher padding (RFC 2409 §5.3). */
  public static List<Payload> decodeV1Chain(int firstPayload, byte[] plaintext) throws IkeProtocolException {
    return decodeChain(1, firstPayload, plaintext, 0, plaintext.length, true);
  }

  private static List<Payload> decodeChain(int major, int first, byte[] buf, int off, int len, boolean padded)
      throws IkeProtocolException {
    if (off < 0 || len < 0 || off + len > buf.length) {
      throw new InvalidSyntaxException("payload chain [" + off + ", " + (off + len) + ") is outside the buffer");
    }
    WireReader r = new WireReader(buf, off, len, "payload chain");
    List<Payload> out = new ArrayList<>();
    int type = first;
    while (type != 0) {
      String where = "payload #" + (out.size() + 1) + " (" + typeName(type) + ")";
      int start = r.position();
      if (r.remaining() < GENERIC_HEADER) {
        throw new InvalidSyntaxException(where + " at offset " + start + ": only " + r.remaining()
            + " bytes left, a generic payload header needs 4");
      }
      int next = r.u8(where + " next payload");
      int flags = r.u8(where + " flags");
      int plen = r.u16(where + " length");
      if (plen < GENERIC_HEADER || plen - GENERIC_HEADER > r.remaining()) {
        throw new InvalidSyntaxException(where + " at offset " + start + ": length " + plen + " at offset "
            + (start + 2) + (plen < GENERIC_HEADER ? " is less than its 4-byte header"
            : " runs past the end of the message (" + (r.remaining() + GENERIC_HEADER) + " bytes left)"));
      }
      WireReader body = r.sub(plen - GENERIC_HEADER, where);
      if (major == 2 && (type == PayloadType.SK.wireValue() || type == PayloadType.SKF.wireValue())) {
        out.add(decodeEncryptedPayload(type, next, body, where));
        if (r.remaining() != 0) {
          throw new InvalidSyntaxException(where + " at offset " + start + ": must be the last payload but "
              + r.remaining() + " bytes follow (RFC 7296 §3.14)");
        }
        return out;
      }
      out.add(decodeOne(major, type, (flags & CRITICAL) != 0, body, where, start));
      type = next;
    }
    if (r.remaining() != 0 && !padded) {
      throw new InvalidSyntaxException("payload chain at offset " + r.position() + ": " + r.remaining()
          + " bytes after the last payload");
    }
    return out;
  }

  private static Payload decodeOne(int major, int type, boolean critical, WireReader body, String where, int start)
      throws IkeProtocolException {
    boolean known = major == 2 ? V2PayloadCodec.known(type) : V1PayloadCodec.known(type);
    if (!known) {
      // RFC 7296 §2.5 (IKEv1 has no critical bit: RFC 2408 §5.1 INVALID-PAYLOAD-TYPE).
      if (major == 1 || critical) {
        throw new UnsupportedCriticalPayloadException(type, where + " at offset " + start + ": unsupported "
            + (major == 1 ? "IKEv1 payload type " : "critical payload type ") + type);
      }
      return new UnknownPayload(type, false, body.rest());
    }
    return major == 2 ? V2PayloadCodec.decode(type, body) : V1PayloadCodec.decode(type, body);
  }

  private static Payload decodeEncryptedPayload(int type, int next, WireReader body, String where)
      throws InvalidSyntaxException {
    if (type == PayloadType.SK.wireValue()) {
      return new SkPayload(next, body.rest());
    }
    int number = body.u16(where + " fragment number");
    int total = body.u16(where + " total fragments");
    // RFC 7383 §2.5: numbers start at 1 and never exceed the total.
    if (number == 0 || total == 0 || number > total) {
      throw body.error("fragment " + number + " of " + total + " is impossible (RFC 7383 §2.5)");
    }
    return new SkfPayload(next, number, total, body.rest());
  }

  private static String typeName(int type) {
    PayloadType t = PayloadType.fromWire(type);
    return t == PayloadType.UNKNOWN ? "type " + type : t.name();
  }

  /** Encodes a message: fills the Next Payload chain, the payload lengths and the header's nextPayload/length. */
  public static byte[] encode(IkeHeader header, List<Payload> payloads) {
    if (payloads.size() == 1 && payloads.get(0) instanceof V1EncryptedBody eb) {
      byte[] ct = eb.ciphertext();
      IkeHeader h = header.withChain(eb.firstPayload(), IkeHeader.SIZE + ct.length);
      return concat(encodeHeader(h), ct);
    }
    byte[] chain = encodeChain(header.majorVersion(), payloads);
    int first = payloads.isEmpty() ? 0 : payloads.get(0).wireType();
    return concat(encodeHeader(header.withChain(first, IkeHeader.SIZE + chain.length)), chain);
  }

  /** The chain bytes alone (what goes inside SK before sealing, or what a caller splits into SKF fragments). */
  public static byte[] encodeChain(int majorVersion, List<Payload> payloads) {
    WireWriter w = new WireWriter();
    for (int i = 0; i < payloads.size(); i++) {
      Payload p = payloads.get(i);
      int next = i + 1 < payloads.size() ? payloads.get(i + 1).wireType() : 0;
      if (p instanceof SkPayload sk) {
        next = sk.firstInnerPayload();
      } else if (p instanceof SkfPayload skf) {
        next = skf.firstInnerPayload();
      }
      WireWriter body = new WireWriter();
      if (majorVersion == 2) {
        V2PayloadCodec.encode(p, body);
      } else {
        V1PayloadCodec.encode(p, body);
      }
      boolean critical = p instanceof UnknownPayload u && u.critical() && majorVersion == 2;
      w.u8(next).u8(critical ? CRITICAL : 0).u16(GENERIC_HEADER + body.size()).bytes(body.toByteArray());
    }
    return w.toByteArray();
  }

  static byte[] encodeHeader(IkeHeader h) {
    return new WireWriter().u64(h.initiatorSpi()).u64(h.responderSpi()).u8(h.nextPayload())
        .u8((h.majorVersion() << 4) | (h.minorVersion() & 0xf)).u8(h.exchangeType()).u8(h.flags())
        .u32(h.messageId()).u32(h.length()).toByteArray();
  }

  /** Encodes an IKEv2 message whose payloads all go inside one SK payload (RFC 7296 §3.14). */
  public static byte[] encodeEncrypted(IkeHeader header, List<Payload> inner, SkSealer sealer) {
    byte[] plain = encodeChain(2, inner);
    int first = inner.isEmpty() ? 0 : inner.get(0).wireType();
    return seal(header, PayloadType.SK.wireValue(), new WireWriter().u8(first).u8(0), new byte[0], plain, sealer);
  }

  /**
   * Encodes one IKEv2 fragment message (RFC 7383 §2.5): {@code plainPiece} is this fragment's share of the
   * encoded inner chain; {@code firstInnerPayload} is used only in fragment 1.
   */
  public static byte[] encodeFragment(IkeHeader header, int firstInnerPayload, int fragmentNumber,
      int totalFragments, byte[] plainPiece, SkSealer sealer) {
    byte[] fields = new WireWriter().u16(fragmentNumber).u16(totalFragments).toByteArray();
    int next = fragmentNumber == 1 ? firstInnerPayload : 0;
    return seal(header, PayloadType.SKF.wireValue(), new WireWriter().u8(next).u8(0), fields, plainPiece, sealer);
  }

  private static byte[] seal(IkeHeader header, int type, WireWriter genericStart, byte[] fields, byte[] plain,
      SkSealer sealer) {
    int sealedLen = sealer.sealedLength(plain.length);
    int payloadLen = GENERIC_HEADER + fields.length + sealedLen;
    IkeHeader h = header.withChain(type, IkeHeader.SIZE + payloadLen);
    byte[] aad = concat(encodeHeader(h), genericStart.u16(payloadLen).bytes(fields).toByteArray());
    byte[] body = sealer.seal(aad, plain);
    if (body.length != sealedLen) {
      throw new IllegalStateException("sealer returned " + body.length + " bytes, promised " + sealedLen);
    }
    return concat(aad, body);
  }

  /**
   * Opens the SK payload of a decoded IKEv2 message and decodes the inner chain. The opener gets the AAD (all
   * bytes before the IV) and the body. An SKF message of more than one fragment must go through
   * {@link #openFragment} and reassembly instead.
   */
  public static List<Payload> decodeEncrypted(byte[] datagram, IkeMessage outer, SkOpener opener)
      throws IkeProtocolException {
    Payload last = outer.payloads().isEmpty() ? null : outer.payloads().get(outer.payloads().size() - 1);
    int first;
    if (last instanceof SkPayload sk) {
      first = sk.firstInnerPayload();
    } else if (last instanceof SkfPayload skf && skf.totalFragments() == 1) {
      first = skf.firstInnerPayload();
    } else {
      throw new InvalidSyntaxException("message has no SK payload (or is one fragment of several)");
    }
    byte[] plain = openFragment(datagram, outer, opener);
    return decodeChain(2, first, plain, 0, plain.length);
  }

  /** Opens the SK or SKF payload of a decoded IKEv2 message, returning the decrypted inner bytes. */
  public static byte[] openFragment(byte[] datagram, IkeMessage outer, SkOpener opener) throws IkeProtocolException {
    Payload last = outer.payloads().isEmpty() ? null : outer.payloads().get(outer.payloads().size() - 1);
    byte[] body;
    if (last instanceof SkPayload sk) {
      body = sk.body();
    } else if (last instanceof SkfPayload skf) {
      body = skf.body();
    } else {
      throw new InvalidSyntaxException("message has no SK or SKF payload");
    }
    int ivStart = outer.header().length() - body.length;
    if (ivStart < IkeHeader.SIZE || outer.header().length() > datagram.length) {
      throw new InvalidSyntaxException("SK payload does not lie inside the datagram");
    }
    return opener.open(Arrays.copyOfRange(datagram, 0, ivStart), body);
  }

  /**
   * Encodes an IKEv1 message with encrypted payloads (RFC 2408 §3.1 ENCRYPTION flag; RFC 2409 §5.3, App. B).
   * {@code encryptPadded} pads the plaintext chain to the cipher block and encrypts it.
   */
  public static byte[] encodeV1Encrypted(IkeHeader header, List<Payload> inner,
      UnaryOperator<byte[]> encryptPadded) {
    byte[] ct = encryptPadded.apply(encodeChain(1, inner));
    int first = inner.isEmpty() ? 0 : inner.get(0).wireType();
    IkeHeader h = header.withFlags(header.flags() | IkeHeader.FLAG_ENCRYPTION)
        .withChain(first, IkeHeader.SIZE + ct.length);
    return concat(encodeHeader(h), ct);
  }

  private static byte[] concat(byte[] a, byte[] b) {
    byte[] out = Arrays.copyOf(a, a.length + b.length);
    System.arraycopy(b, 0, out, a.length, b.length);
    return out;
  }

  /** Lower-case hex, for tests and debug logs of public values. */
  public static String hex(byte[] b) {
    return BaseEncoding.base16().lowerCase().encode(b);
  }

  /** Parses hex, ignoring white space and case. */
  public static byte[] unhex(String s) {
    return BaseEncoding.base16().lowerCase().decode(s.replaceAll("\\s+", "").toLowerCase());
  }
}
