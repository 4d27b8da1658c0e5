package org.openswanj.pluto.ike.wire;

import static org.junit.jupiter.api.Assertions.*;

import org.junit.jupiter.api.Test;

/** The IANA enums: fromWire never throws, and numbers shared by IKEv1 and IKEv2 read per version. */
class RegistryTest {

  @Test
  void fromWireNeverThrows() {
    for (int v : new int[] {Integer.MIN_VALUE, -1, 0, 1, 255, 256, 65535, 65536, Integer.MAX_VALUE}) {
      assertNotNull(ExchangeType.fromWire(v));
      assertNotNull(PayloadType.fromWire(v));
      assertNotNull(NotifyType.fromWire(v));
      assertNotNull(NotifyType.fromWireV1(v));
      assertNotNull(ProtocolId.fromWire(v));
      assertNotNull(TransformType.fromWire(v));
      assertNotNull(IdType.fromWire(v));
      assertNotNull(AuthMethod.fromWire(v));
      assertNotNull(TsType.fromWire(v));
    }
    assertEquals(ExchangeType.UNKNOWN, ExchangeType.fromWire(-1));
    assertEquals(PayloadType.UNKNOWN, PayloadType.fromWire(200));
  }

  @Test
  void notifyNumbersReadPerVersion() {
    assertEquals(NotifyType.UNSUPPORTED_CRITICAL_PAYLOAD, NotifyType.fromWire(1));
    assertEquals(NotifyType.INVALID_PAYLOAD_TYPE, NotifyType.fromWireV1(1));
    assertEquals(NotifyType.INITIAL_CONTACT, NotifyType.fromWire(16384));
    assertEquals(NotifyType.CONNECTED, NotifyType.fromWireV1(16384));
    assertEquals(NotifyType.INITIAL_CONTACT_V1, NotifyType.fromWireV1(24578));
    assertEquals(NotifyType.R_U_THERE, NotifyType.fromWireV1(36136));
    assertEquals(NotifyType.R_U_THERE_ACK, NotifyType.fromWire(36137));
    assertEquals(NotifyType.NO_PROPOSAL_CHOSEN, NotifyType.fromWireV1(14));
    assertEquals(NotifyType.NO_PROPOSAL_CHOSEN, NotifyType.fromWire(14));
    assertTrue(NotifyType.INVALID_KE_PAYLOAD.isError());
    assertFalse(NotifyType.COOKIE.isError());
    assertEquals(NotifyType.UNKNOWN, NotifyType.fromWire(12345));
    NotifyPayload raw = new NotifyPayload(0, new byte[0], 12345, new byte[0]);
    assertEquals(12345, raw.notifyType());
    assertTrue(raw.isError());
  }

  @Test
  void exceptionsCarryTheirNotify() {
    assertEquals("0013", IkeCodec.hex(new InvalidKePayloadException(19, "x").notifyData()));
    assertEquals(NotifyType.PAYLOAD_MALFORMED, new InvalidSyntaxException("x").notifyTypeV1());
    assertEquals(NotifyType.TS_UNACCEPTABLE, new TsUnacceptableException("x").notifyType());
    assertTrue(new IkeDecodeException("x").silentDrop());
    assertFalse(new NoProposalChosenException("x").silentDrop());
  }
}
