package org.openswanj.cluster.codec;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.security.SecureRandom;
import java.util.Arrays;
import java.util.HexFormat;
import org.junit.jupiter.api.Test;
import org.openswanj.cluster.Samples;
import org.openswanj.cluster.codec.RecordException.Reason;
import org.openswanj.cluster.state.ChildSaRecord;
import org.openswanj.cluster.state.IsakmpSaRecord;
import org.openswanj.cluster.state.MessageIdSync;
import org.openswanj.cluster.state.SaRecord;

class RecordCodecTest {
  private static final String KEY = "/openswanj/sa/192.0.2.10/ike/0123456789abcdef-fedcba9876543210";
  private static final String V1_KEY = "/openswanj/sa/192.0.2.10/isakmp/0123456789abcdef-fedcba9876543210";
  private final RecordCodec codec = new RecordCodec(new ClusterKey(Samples.keyBytes(90, 32), new SecureRandom()));

  @Test
  void ikeAndChildRecordsRoundTrip() throws RecordException {
    for (SaRecord r : new SaRecord[] {Samples.ike(42, MessageIdSync.MESSAGE_ID), Samples.child(0xcafe0001, 9_000,
        true)}) {
      assertEquals(r, codec.decode(codec.encode(r, KEY), KEY));
    }
  }

  @Test
  void aChildRecordCarriesItsInboundHighWaterAndAVersion1RecordIsReadWithNone() throws RecordException {
    ChildSaRecord c = Samples.child(0xcafe0002, 9_000, false);
    ChildSaRecord withInbound = new ChildSaRecord(c.ref(), c.selectors(), c.algorithms(), c.keys(), c.times(),
        c.outboundSeqHighWater(), 70_000);
    assertEquals(withInbound, codec.decode(codec.encode(withInbound, KEY), KEY));
    byte[] v1 = codec.encode(withInbound, KEY, 1); // as a node not yet upgraded writes it
    assertEquals(1, v1[0]);
    assertEquals(c, codec.decode(v1, KEY), "version 1 has no inbound high-water: 0");
  }

  @Test
  void encodedRecordsHoldNoKeyBytes() {
    byte[] ike = codec.encode(Samples.ike(1, MessageIdSync.UNSUPPORTED), KEY);
    byte[] child = codec.encode(Samples.child(1, 1, false), KEY);
    for (byte[] k : Samples.allKeys()) {
      assertFalse(Samples.contains(ike, Arrays.copyOf(k, 8)) || Samples.contains(child, Arrays.copyOf(k, 8)),
          "key bytes found in the clear");
    }
  }

  @Test
  void recordMovedToAnotherKeyOrUnderAnotherClusterKeyIsRefused() {
    byte[] b = codec.encode(Samples.ike(1, MessageIdSync.UNSUPPORTED), KEY);
    assertEquals(Reason.NOT_AUTHENTIC, assertThrows(RecordException.class,
        () -> codec.decode(b, KEY.replace("0123", "0124"))).reason());
    RecordCodec other = new RecordCodec(new ClusterKey(Samples.keyBytes(91, 32), new SecureRandom()));
    assertEquals(Reason.NOT_AUTHENTIC, assertThrows(RecordException.class, () -> other.decode(b, KEY)).reason());
  }

  @Test
  void editedPublicFieldFailsAuthentication() {
    byte[] b = codec.encode(Samples.child(1, 1, false), KEY);
    b[4] ^= 1; // inside the conn name "road-vip" (after version, type and its 2-byte length)
    RecordException e = assertThrows(RecordException.class, () -> codec.decode(b, KEY));
    assertEquals(Reason.NOT_AUTHENTIC, e.reason());
  }

  @Test
  void versionTypeAndTrailingBytesAreNamed() {
    byte[] b = codec.encode(Samples.ike(1, MessageIdSync.UNSUPPORTED), KEY);
    byte[] v5 = b.clone();
    v5[0] = 5;
    RecordException e = assertThrows(RecordException.class, () -> codec.decode(v5, KEY));
    assertEquals(Reason.UNSUPPORTED_VERSION, e.reason());
    assertEquals("record " + KEY + ": format version 5 (this pluto reads 1 to 4)", e.getMessage());
    byte[] t9 = b.clone();
    t9[1] = 9;
    assertEquals(Reason.UNKNOWN_TYPE, assertThrows(RecordException.class, () -> codec.decode(t9, KEY)).reason());
    byte[] longer = Arrays.copyOf(b, b.length + 1);
    assertEquals(Reason.TRAILING_BYTES,
        assertThrows(RecordException.class, () -> codec.decode(longer, KEY)).reason());
  }

  @Test
  void everyTruncationIsATypedRefusal() {
    byte[] b = codec.encode(Samples.child(1, 1, true), KEY);
    for (int n = 0; n < b.length; n++) {
      byte[] cut = Arrays.copyOf(b, n);
      try {
        codec.decode(cut, KEY);
        fail("decoded a record cut to " + n + " bytes");
      } catch (RecordException e) {
        assertTrue(e.reason() == Reason.TRUNCATED || e.reason() == Reason.NOT_AUTHENTIC, n + ": " + e.getMessage());
      }
    }
  }

  @Test
  void everyCorruptedByteIsATypedRefusalNeverACrash() {
    byte[] b = codec.encode(Samples.ike(3, MessageIdSync.MESSAGE_ID_AND_REPLAY), KEY);
    for (int i = 0; i < b.length; i++) {
      for (int x : new int[] {0x01, 0x80, 0xff}) {
        byte[] c = b.clone();
        c[i] ^= (byte) x;
        assertThrows(RecordException.class, () -> codec.decode(c, KEY), "offset " + i + " ^ " + x);
      }
    }
  }

  @Test
  void unknownAlgorithmIdIsABadValue() {
    byte[] b = codec.encode(Samples.ike(3, MessageIdSync.UNSUPPORTED), KEY);
    // version, type, conn(2+8), SPIs(16), role(1), local(1+4+2), remote(1+4+2), ids(2+11, 2+18), nat(1),
    // fragmentation(1)
    int enc = 2 + 10 + 16 + 1 + 7 + 7 + 13 + 20 + 1 + 1;
    b[enc] = (byte) 0xff;
    RecordException e = assertThrows(RecordException.class, () -> codec.decode(b, KEY));
    assertEquals(Reason.BAD_VALUE, e.reason(), e.getMessage());
    assertTrue(e.getMessage().contains("encryption id"), e.getMessage());
  }

  @Test
  void anIsakmpRecordRoundTripsInVersion3AndIkev2RecordsStayInVersion2() throws RecordException {
    IsakmpSaRecord r = Samples.isakmp(0x7ffffff0L);
    byte[] b = codec.encode(r, V1_KEY);
    assertEquals(3, b[0], "ISAKMP records need version 3");
    assertEquals(r, codec.decode(b, V1_KEY));
    assertEquals(2, codec.encode(Samples.ike(1, MessageIdSync.UNSUPPORTED), KEY)[0],
        "an IKEv2 record stays readable by a node not yet upgraded");
    assertEquals(2, codec.encode(Samples.child(1, 1, false), KEY)[0]);
  }

  @Test
  void anXauthClientsIsakmpRecordRoundTripsInVersion4() throws Exception {
    IsakmpSaRecord plain = Samples.isakmp(5);
    org.openswanj.cluster.state.IsakmpFeatures f = plain.features();
    IsakmpSaRecord r = new IsakmpSaRecord(plain.ref(), plain.peers(), plain.algorithms(), plain.keys(), plain.times(),
        new org.openswanj.cluster.state.IsakmpFeatures(f.natt(), f.peerDpd(), f.dpdSeq(), "alice",
            java.net.InetAddress.getByName("10.9.100.10")));
    byte[] b = codec.encode(r, V1_KEY);
    assertEquals(4, b[0], "the XAUTH user and ModeConfig address need version 4");
    assertEquals(r, codec.decode(b, V1_KEY));
    assertEquals(3, codec.encode(plain, V1_KEY)[0], "an SA without them stays readable by a version 3 node");
    RecordException e = assertThrows(RecordException.class, () -> codec.decode(b, V1_KEY.replace("01", "02")));
    assertEquals(Reason.NOT_AUTHENTIC, e.reason(), "a record moved to another key: " + e.getMessage());
  }

  @Test
  void anIsakmpRecordHoldsNoKeyBytesNeitherEncodedNorInToString() {
    IsakmpSaRecord r = Samples.isakmp(5);
    byte[] b = codec.encode(r, V1_KEY);
    for (byte[] k : Samples.isakmpKeys()) {
      assertFalse(Samples.contains(b, Arrays.copyOf(k, 8)), "key bytes found in the clear");
      assertFalse(r.toString().contains(HexFormat.of().formatHex(k, 0, 4)), r.toString());
      assertFalse(r.toString().contains(Arrays.toString(Arrays.copyOf(k, 4)).replace("[", "").replace("]", "")));
    }
  }

  @Test
  void anIsakmpRecordInAnOlderVersionOrCutOrEditedIsATypedRefusal() {
    byte[] v2 = codec.encode(Samples.isakmp(5), V1_KEY, 2); // type 3 did not exist in version 2
    RecordException e = assertThrows(RecordException.class, () -> codec.decode(v2, V1_KEY));
    assertEquals(Reason.UNKNOWN_TYPE, e.reason());
    assertEquals("record " + V1_KEY + ": record type 3 at offset 1 in version 2 (1 IKE, 2 Child, 3 ISAKMP since "
        + "version 3)", e.getMessage());
    byte[] b = codec.encode(Samples.isakmp(5), V1_KEY);
    for (int n = 0; n < b.length; n++) {
      int cut = n;
      RecordException t = assertThrows(RecordException.class, () -> codec.decode(Arrays.copyOf(b, cut), V1_KEY));
      assertTrue(t.reason() == Reason.TRUNCATED || t.reason() == Reason.NOT_AUTHENTIC, n + ": " + t.getMessage());
    }
    for (int i = 0; i < b.length; i++) {
      byte[] c = b.clone();
      c[i] ^= (byte) 0x80;
      assertThrows(RecordException.class, () -> codec.decode(c, V1_KEY), "offset " + i);
    }
    // version, type, conn(2+7), cookies(16), role(1), local(1+4+2), remote(1+4+2), ids(2+11, 2+13), nat(1)
    byte[] hash = b.clone();
    int at = 2 + 9 + 16 + 1 + 7 + 7 + 13 + 15 + 1 + 4;
    hash[at] = (byte) 0x7f;
    RecordException h = assertThrows(RecordException.class, () -> codec.decode(hash, V1_KEY));
    assertEquals(Reason.BAD_VALUE, h.reason(), h.getMessage());
    assertTrue(h.getMessage().contains("hash id"), h.getMessage());
  }

  @Test
  void clusterKeyMustBe256Bits() {
    assertThrows(IllegalArgumentException.class, () -> new ClusterKey(new byte[16], new SecureRandom()));
    assertFalse(new ClusterKey(Samples.keyBytes(1, 32), new SecureRandom()).toString().contains("1"));
  }
}
