package org.openswanj.pluto.ike.wire;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.HexFormat;
import java.util.List;
import org.junit.jupiter.api.Test;

/** RFC 6311 §6.4's IPSEC_REPLAY_COUNTER_SYNC data: the delta, 4 octets (8 with ESN), big-endian, unsigned. */
class ReplayCounterSyncDataTest {
  private static final HexFormat HEX = HexFormat.of();

  @Test
  void encodesTheDeltaIn32BitsOr64WithEsnAsANotifyOfType16423AboutTheIkeSa() throws Exception {
    NotifyPayload n = new ReplayCounterSyncData(0xfffffffeL).toNotify(false);
    assertEquals(16423, n.notifyType());
    assertEquals(0, n.protocolId());
    assertEquals(0, n.spi().length);
    assertEquals("fffffffe", HEX.formatHex(n.data()));
    assertEquals(0xfffffffeL, ReplayCounterSyncData.decode(n).delta()); // unsigned, not -2
    NotifyPayload esn = new ReplayCounterSyncData(65536).toNotify(true);
    assertEquals("0000000000010000", HEX.formatHex(esn.data()));
    // a delta beyond 32 bits takes 8 octets even without ESN
    assertEquals(8, new ReplayCounterSyncData(1L << 33).toNotify(false).data().length);
    // through the payload codec and back, beside the message ID sync it rides with
    IkeHeader h = IkeHeader.v2(1, 2, ExchangeType.INFORMATIONAL, true, false, 0);
    IkeMessage back = IkeCodec.decode(IkeCodec.encode(h, List.of(new MessageIdSyncData(1, 2, 3).toNotify(), esn)));
    assertEquals(65536, ReplayCounterSyncData.of(back.payloads()).orElseThrow().delta());
    assertTrue(ReplayCounterSyncData.of(List.of(new MessageIdSyncData(1, 2, 3).toNotify())).isEmpty());
  }

  @Test
  void aWrongSizeAZeroDeltaAnSpiOrTwoAreInvalidSyntaxNamingWhatWasFound() {
    var e = assertThrows(InvalidSyntaxException.class, () -> ReplayCounterSyncData.decode(
        new NotifyPayload(NotifyType.IPSEC_REPLAY_COUNTER_SYNC, new byte[6])));
    assertEquals("IPSEC_REPLAY_COUNTER_SYNC: 6 octets of data, expected 4 or 8", e.getMessage());
    e = assertThrows(InvalidSyntaxException.class, () -> ReplayCounterSyncData.decode(
        new NotifyPayload(NotifyType.IPSEC_REPLAY_COUNTER_SYNC, new byte[4])));
    assertEquals("IPSEC_REPLAY_COUNTER_SYNC: delta 0 outside 1..2^63-1", e.getMessage());
    byte[] huge = HEX.parseHex("ffffffffffffffff");
    assertThrows(InvalidSyntaxException.class, () -> ReplayCounterSyncData.decode(
        new NotifyPayload(NotifyType.IPSEC_REPLAY_COUNTER_SYNC, huge)));
    var withSpi = new NotifyPayload(3, new byte[4], NotifyType.IPSEC_REPLAY_COUNTER_SYNC.wireValue(), new byte[4]);
    assertTrue(assertThrows(InvalidSyntaxException.class, () -> ReplayCounterSyncData.decode(withSpi)).getMessage()
        .contains("SPI of 4 octets"));
    NotifyPayload one = new ReplayCounterSyncData(5).toNotify(false);
    assertThrows(InvalidSyntaxException.class, () -> ReplayCounterSyncData.of(List.of(one, one)));
    assertThrows(IllegalArgumentException.class, () -> new ReplayCounterSyncData(0));
  }
}
