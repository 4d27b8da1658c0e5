package org.openswanj.pluto.ike.wire;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.HexFormat;
import java.util.List;
import org.junit.jupiter.api.Test;

/** RFC 6311's IKEV2_MESSAGE_ID_SYNC notify data (§6.3) and the shape of the message ID zero INFORMATIONAL (§5.1). */
class MessageIdSyncDataTest {
  private static final HexFormat HEX = HexFormat.of();

  @Test
  void encodesNonceThenBothCountersBigEndianAsANotifyOfType16422() throws Exception {
    NotifyPayload n = new MessageIdSyncData(0x0001feff, 0x01020304L, 0xfffffffeL).toNotify();
    assertEquals(16422, n.notifyType());
    assertEquals(0, n.protocolId());
    assertEquals(0, n.spi().length);
    assertEquals("0001feff01020304fffffffe", HEX.formatHex(n.data()));
    // through the IKEv2 payload codec and back, inside an SK-less INFORMATIONAL
    IkeHeader h = IkeHeader.v2(1, 2, ExchangeType.INFORMATIONAL, true, false, 0);
    IkeMessage back = IkeCodec.decode(IkeCodec.encode(h, List.of(n)));
    NotifyPayload decoded = (NotifyPayload) back.payloads().get(0);
    assertEquals(NotifyType.IKEV2_MESSAGE_ID_SYNC, decoded.type());
    assertArrayEquals(n.data(), decoded.data());
    MessageIdSyncData d = MessageIdSyncData.decode(decoded);
    assertEquals(0x0001feff, d.nonce());
    assertEquals(0x01020304L, d.expectedSend());
    assertEquals(0xfffffffeL, d.expectedRecv()); // unsigned, not -2
  }

  @Test
  void theSupportedNotifiesAreTheRegistryValues() {
    assertEquals(16420, NotifyType.IKEV2_MESSAGE_ID_SYNC_SUPPORTED.wireValue());
    assertEquals(16421, NotifyType.IPSEC_REPLAY_COUNTER_SYNC_SUPPORTED.wireValue());
    assertEquals(NotifyType.IKEV2_MESSAGE_ID_SYNC, NotifyType.fromWire(16422));
    assertEquals(NotifyType.IPSEC_REPLAY_COUNTER_SYNC, NotifyType.fromWire(16423));
  }

  @Test
  void aWrongLengthOrAnSpiIsInvalidSyntaxNamingWhatWasFound() {
    var shortData = new NotifyPayload(NotifyType.IKEV2_MESSAGE_ID_SYNC, new byte[11]);
    var e = assertThrows(InvalidSyntaxException.class, () -> MessageIdSyncData.decode(shortData));
    assertEquals("IKEV2_MESSAGE_ID_SYNC: 11 octets of data, expected 12", e.getMessage());
    var withSpi = new NotifyPayload(1, new byte[8], NotifyType.IKEV2_MESSAGE_ID_SYNC.wireValue(), new byte[12]);
    assertTrue(assertThrows(InvalidSyntaxException.class, () -> MessageIdSyncData.decode(withSpi)).getMessage()
        .contains("SPI of 8 octets"));
    assertThrows(InvalidSyntaxException.class, () -> MessageIdSyncData.of(List.of()));
  }

  @Test
  void theSyncMessageCarriesExactlyOneSyncNotifyAndNothingElse() throws Exception {
    NotifyPayload sync = new MessageIdSyncData(7, 20, 5).toNotify();
    MessageRules.checkMessageIdSync(false, List.of(sync));
    MessageRules.checkMessageIdSync(true, List.of(sync,
        new ReplayCounterSyncData(65536).toNotify(true)));
    // empty (a liveness check), a Delete, two syncs, another notify, a short sync: all refused
    assertThrows(InvalidSyntaxException.class, () -> MessageRules.checkMessageIdSync(false, List.of()));
    assertThrows(InvalidSyntaxException.class, () -> MessageRules.checkMessageIdSync(false,
        List.of(sync, new DeletePayload(1, 0, List.of()))));
    assertThrows(InvalidSyntaxException.class, () -> MessageRules.checkMessageIdSync(false, List.of(sync, sync)));
    assertThrows(InvalidSyntaxException.class, () -> MessageRules.checkMessageIdSync(false,
        List.of(sync, new NotifyPayload(NotifyType.INITIAL_CONTACT, new byte[0]))));
    var e = assertThrows(InvalidSyntaxException.class, () -> MessageRules.checkMessageIdSync(false,
        List.of(new NotifyPayload(NotifyType.IKEV2_MESSAGE_ID_SYNC, new byte[4]))));
    assertTrue(e.getMessage().startsWith("IKEV2_MESSAGE_ID_SYNC request: exactly one"), e.getMessage());
  }
}
