package org.openswanj.pluto.ike.wire;

import static org.junit.jupiter.api.Assertions.*;

import java.net.Inet4Address;
import java.net.InetAddress;
import java.util.HexFormat;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Cisco Unity's split-network list (UNITY_SPLIT_INCLUDE): golden bytes, both ways, and malformed values. */
class UnitySplitTest {
  private static UnitySplit.Network net(String a, int prefix) throws Exception {
    return new UnitySplit.Network((Inet4Address) InetAddress.getByName(a), prefix);
  }

  private static byte[] hex(String s) {
    return HexFormat.of().parseHex(s.replace(" ", ""));
  }

  /** 10.2.0.0/24 and 10.3.0.0/16: address, mask, six zero bytes each (strongSwan's unity_provider writes these). */
  private static final String TWO = "0a020000 ffffff00 000000000000" + "0a030000 ffff0000 000000000000";

  @Test
  void encodesTwoNetworksAsFourteenByteEntries() throws Exception {
    assertEquals(TWO.replace(" ", ""), HexFormat.of().formatHex(
        UnitySplit.encode(List.of(net("10.2.0.0", 24), net("10.3.0.0", 16)))));
  }

  @Test
  void hostBitsAreClearedWhenEncoding() throws Exception {
    assertEquals("0a020000ffffff00000000000000", HexFormat.of().formatHex(
        UnitySplit.encode(List.of(net("10.2.0.7", 24)))));
  }

  @Test
  void decodesTheGoldenBytes() throws Exception {
    assertEquals(List.of(net("10.2.0.0", 24), net("10.3.0.0", 16)), UnitySplit.decode(hex(TWO)));
  }

  @Test
  void theLastEntryMayLackItsSixTrailingBytes() throws Exception {
    assertEquals(List.of(net("10.2.0.0", 24), net("192.0.2.1", 32)),
        UnitySplit.decode(hex("0a020000 ffffff00 000000000000 c0000201 ffffffff")));
  }

  @Test
  void aHostAndTheWholeSpaceDecode() throws Exception {
    assertEquals(List.of(net("0.0.0.0", 0), net("192.0.2.9", 32)),
        UnitySplit.decode(hex("00000000 00000000 000000000000 c0000209 ffffffff 000000000000")));
  }

  @Test
  void hostBitsAreClearedWhenDecoding() throws Exception {
    assertEquals(List.of(net("10.2.0.0", 24)), UnitySplit.decode(hex("0a020005 ffffff00 000000000000")));
  }

  @Test
  void badLengthsAreOneLineErrors() {
    for (String v : new String[] {"", "0a020000", "0a020000 ffffff00 00", "0a020000 ffffff00 000000000000 0a"}) {
      InvalidSyntaxException e = assertThrows(InvalidSyntaxException.class, () -> UnitySplit.decode(hex(v)), v);
      assertTrue(e.getMessage().startsWith("UNITY_SPLIT_INCLUDE value of " + hex(v).length + " bytes"),
          e.getMessage());
      assertFalse(e.getMessage().contains("\n"));
    }
  }

  @Test
  void aNonContiguousMaskIsRefusedNamingTheEntry() {
    InvalidSyntaxException e = assertThrows(InvalidSyntaxException.class,
        () -> UnitySplit.decode(hex("0a020000 ffffff00 000000000000 0a030000 ff00ff00 000000000000")));
    assertEquals("UNITY_SPLIT_INCLUDE entry 2 (byte 18): netmask 255.0.255.0 is not contiguous", e.getMessage());
  }

  @Test
  void everyByteStringDecodesOrIsRefusedNeverAnotherException() {
    java.util.Random r = new java.util.Random(11);
    for (int i = 0; i < 2000; i++) {
      byte[] b = new byte[r.nextInt(50)];
      r.nextBytes(b);
      try {
        UnitySplit.decode(b);
      } catch (InvalidSyntaxException expected) {
        // fine: a one-line refusal
      }
    }
  }

  @Test
  void theUnityAttributesHaveTheirNumbers() {
    assertEquals(28672, CfgAttribute.UNITY_BANNER.wireValue());
    assertEquals(28674, CfgAttribute.UNITY_DEF_DOMAIN.wireValue());
    assertEquals(28676, CfgAttribute.UNITY_SPLIT_INCLUDE.wireValue());
    assertEquals(CfgAttribute.UNITY_SPLIT_INCLUDE, CfgAttribute.fromWire(28676));
    assertFalse(CfgAttribute.UNITY_BANNER.basic());
  }
}
