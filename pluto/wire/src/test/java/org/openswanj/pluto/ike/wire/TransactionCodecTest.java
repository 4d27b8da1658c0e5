package org.openswanj.pluto.ike.wire;

import static org.junit.jupiter.api.Assertions.*;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.openswanj.pluto.ike.wire.MessageRules.V1Step;

/** The ISAKMP Transaction exchange (mode-cfg-05 §3.2) and its attribute payload: round trip, shape, malformed. */
class TransactionCodecTest {
  private static final byte[] HASH20 = new byte[20];

  /** An XAUTH request as a server sends it (xauth-06 §4.1): TYPE generic, USER_NAME and PASSWORD empty. */
  private static List<Payload> xauthRequest() {
    return List.of(new HashPayload(HASH20), new V1AttributePayload(CfgType.ISAKMP_CFG_REQUEST, 0x1234,
        List.of(CfgAttribute.XAUTH_TYPE.tv(CfgAttribute.XAUTH_TYPE_GENERIC),
            CfgAttribute.XAUTH_USER_NAME.tlv(new byte[0]), CfgAttribute.XAUTH_USER_PASSWORD.tlv(new byte[0]))));
  }

  private static byte[] message(List<Payload> ps) {
    return IkeCodec.encode(IkeHeader.v1(0x1111222233334444L, 0x5555666677778888L, ExchangeType.TRANSACTION, 0,
        0x0badcafe), ps);
  }

  @Test
  void requestRoundTripsByteForByte() throws Exception {
    byte[] d = message(xauthRequest());
    // attribute payload body: type 1, reserved 0, identifier 0x1234, then TV 0x8000|16520 = 0xc088 value 0,
    // TLV 16521 = 0x4089 length 0, TLV 16522 = 0x408a length 0 (RFC 2408 §3.3 data attributes)
    String attr = IkeCodec.hex(Arrays.copyOfRange(d, d.length - 16, d.length));
    assertEquals("01001234c08800004089000040" + "8a0000", attr);
    IkeMessage m = IkeCodec.decode(d);
    assertEquals(ExchangeType.TRANSACTION, m.header().exchange());
    assertEquals(6, m.header().exchangeType());
    V1AttributePayload a = (V1AttributePayload) m.payloads().get(1);
    assertEquals(CfgType.ISAKMP_CFG_REQUEST, a.type());
    assertEquals(0x1234, a.identifier());
    assertTrue(a.find(CfgAttribute.XAUTH_TYPE).orElseThrow().tv());
    assertEquals(0, a.find(CfgAttribute.XAUTH_USER_NAME).orElseThrow().variable().length);
    assertArrayEquals(d, IkeCodec.encode(m.header(), m.payloads()));
    MessageRules.checkV1(V1Step.TRANSACTION, m.payloads());
    MessageRules.check(ExchangeType.TRANSACTION, false, m.payloads());
  }

  @Test
  void replyWithAddressesAndStrings() throws Exception {
    byte[] user = "alice".getBytes(StandardCharsets.UTF_8);
    List<Payload> ps = List.of(new HashPayload(HASH20), new V1AttributePayload(CfgType.ISAKMP_CFG_REPLY, 7,
        List.of(CfgAttribute.XAUTH_USER_NAME.tlv(user), CfgAttribute.INTERNAL_IP4_ADDRESS.tlv(new byte[] {10, 9, 9, 1}),
            CfgAttribute.INTERNAL_IP4_DNS.tlv(new byte[] {1, 1, 1, 1}),
            CfgAttribute.INTERNAL_IP4_DNS.tlv(new byte[] {8, 8, 8, 8}))));
    V1AttributePayload a = (V1AttributePayload) IkeCodec.decode(message(ps)).payloads().get(1);
    assertEquals(CfgType.ISAKMP_CFG_REPLY, a.type());
    assertArrayEquals(user, a.find(CfgAttribute.XAUTH_USER_NAME).orElseThrow().variable());
    assertEquals(2, a.all(CfgAttribute.INTERNAL_IP4_DNS).size());
    assertArrayEquals(new byte[] {8, 8, 8, 8}, a.all(CfgAttribute.INTERNAL_IP4_DNS).get(1).variable());
  }

  @Test
  void registriesNeverThrow() {
    assertEquals(CfgType.UNKNOWN, CfgType.fromWire(0));
    assertEquals(CfgType.UNKNOWN, CfgType.fromWire(200));
    assertEquals(CfgType.ISAKMP_CFG_ACK, CfgType.fromWire(4));
    assertEquals(CfgAttribute.XAUTH_STATUS, CfgAttribute.fromWire(16527));
    assertEquals(CfgAttribute.UNKNOWN, CfgAttribute.fromWire(28700)); // past Cisco Unity's 28672-28682
    assertEquals(ExchangeType.TRANSACTION, ExchangeType.fromWire(6));
    assertTrue(CfgAttribute.XAUTH_STATUS.tv(1).tv());
    assertFalse(CfgAttribute.INTERNAL_ADDRESS_EXPIRY.tv(1).tv());
  }

  @Test
  void shapeNeedsOneHashAndOneAttributePayload() {
    V1AttributePayload attr = (V1AttributePayload) xauthRequest().get(1);
    assertThrows(InvalidSyntaxException.class, () -> MessageRules.checkV1(V1Step.TRANSACTION, List.of(attr)));
    assertThrows(InvalidSyntaxException.class,
        () -> MessageRules.checkV1(V1Step.TRANSACTION, List.of(new HashPayload(HASH20))));
    assertThrows(InvalidSyntaxException.class,
        () -> MessageRules.checkV1(V1Step.TRANSACTION, List.of(new HashPayload(HASH20), attr, attr)));
  }

  private static void setU16(byte[] d, int off, int v) {
    d[off] = (byte) (v >>> 8);
    d[off + 1] = (byte) v;
  }

  /** Offset of the attribute payload's generic header in {@link #message}: header 28 + HASH 24. */
  private static final int ATTR = 28 + 24;

  @Test
  void truncatedAttributePayloadIsInvalidSyntax() {
    byte[] d = message(xauthRequest());
    // every cut inside the attribute payload's fixed fields or inside an attribute (a cut between attributes
    // leaves a shorter valid payload), with the payload and header lengths made consistent with it
    java.util.Set<Integer> between = java.util.Set.of(ATTR + 8, ATTR + 12, ATTR + 16);
    for (int cut = ATTR + 4; cut < d.length; cut++) {
      if (between.contains(cut)) {
        continue;
      }
      byte[] t = Arrays.copyOf(d, cut);
      setU16(t, ATTR + 2, cut - ATTR);
      t[24] = 0;
      t[25] = 0;
      setU16(t, 26, cut);
      InvalidSyntaxException x = assertThrows(InvalidSyntaxException.class, () -> IkeCodec.decode(t), "cut " + cut);
      assertEquals(NotifyType.INVALID_SYNTAX, x.notifyType());
    }
  }

  @Test
  void attributeLengthPastThePayloadIsInvalidSyntax() {
    byte[] d = message(xauthRequest());
    setU16(d, ATTR + 4 + 4 + 4 + 2, 9); // XAUTH_USER_NAME's length says 9, nothing follows but 4 bytes
    InvalidSyntaxException x = assertThrows(InvalidSyntaxException.class, () -> IkeCodec.decode(d));
    assertTrue(x.getMessage().contains("attribute"), x.getMessage());
  }

  @Test
  void everySingleByteCorruptionIsTypedOrDecodes() {
    byte[] d = message(xauthRequest());
    for (int off = 0; off < d.length; off++) {
      for (int v : new int[] {0x00, 0x01, 0x7f, 0x80, 0xff}) {
        byte[] t = d.clone();
        t[off] = (byte) v;
        try {
          IkeMessage m = IkeCodec.decode(t);
          if (m.header().exchange() == ExchangeType.TRANSACTION) {
            MessageRules.checkV1(V1Step.TRANSACTION, m.payloads());
          }
        } catch (IkeProtocolException expected) {
          assertNotNull(expected.getMessage());
        } catch (RuntimeException bug) {
          fail("byte " + off + " = " + v + ": " + bug);
        }
      }
    }
  }
}
