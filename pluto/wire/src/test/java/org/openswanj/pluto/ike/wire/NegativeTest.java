package org.openswanj.pluto.ike.wire;

import static org.junit.jupiter.api.Assertions.*;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Corrupted real messages: every case gives the expected typed exception, never a runtime exception. */
class NegativeTest {

  /** Offsets of the generic payload headers of the top-level chain, walked independently of the codec. */
  static List<Integer> payloadOffsets(byte[] d) {
    List<Integer> out = new ArrayList<>();
    int off = IkeHeader.SIZE;
    int next = d[16] & 0xff;
    while (next != 0 && off + 4 <= d.length) {
      out.add(off);
      if (d[17] >> 4 == 2 && (next == 46 || next == 53)) {
        break; // SK/SKF: its next field names the inner chain
      }
      next = d[off] & 0xff;
      off += ((d[off + 2] & 0xff) << 8) | (d[off + 3] & 0xff);
    }
    return out;
  }

  private static boolean v1Encrypted(byte[] d) {
    return d[17] >> 4 == 1 && (d[19] & 1) != 0;
  }

  private static void setU32(byte[] d, int off, int v) {
    d[off] = (byte) (v >>> 24);
    d[off + 1] = (byte) (v >>> 16);
    d[off + 2] = (byte) (v >>> 8);
    d[off + 3] = (byte) v;
  }

  private static void setU16(byte[] d, int off, int v) {
    d[off] = (byte) (v >>> 8);
    d[off + 1] = (byte) v;
  }

  @Test
  void truncatedDatagramIsDroppedSilently() {
    for (Map.Entry<String, byte[]> e : Fixtures.all().entrySet()) {
      byte[] d = e.getValue();
      for (int cut = 0; cut < d.length; cut++) {
        byte[] t = Arrays.copyOf(d, cut);
        IkeDecodeException x = assertThrows(IkeDecodeException.class, () -> IkeCodec.decode(t),
            e.getKey() + " cut at " + cut);
        assertTrue(x.silentDrop());
      }
    }
  }

  @Test
  void truncationWithConsistentHeaderLengthIsInvalidSyntax() {
    for (Map.Entry<String, byte[]> e : Fixtures.all().entrySet()) {
      if (v1Encrypted(e.getValue())) {
        continue; // the body is opaque ciphertext
      }
      byte[] d = e.getValue();
      List<Integer> cuts = new ArrayList<>(payloadOffsets(d));
      for (int off : payloadOffsets(d)) {
        cuts.add(off + 2); // mid generic header
        cuts.add(off + 5); // mid body
      }
      for (int cut : cuts) {
        if (cut >= d.length) {
          continue;
        }
        byte[] t = Arrays.copyOf(d, cut);
        setU32(t, 24, cut);
        InvalidSyntaxException x = assertThrows(InvalidSyntaxException.class, () -> IkeCodec.decode(t),
            e.getKey() + " cut at " + cut);
        assertEquals(NotifyType.INVALID_SYNTAX, x.notifyType());
        assertTrue(x.getMessage().contains("payload"), x.getMessage());
      }
    }
  }

  @Test
  void everyPayloadLengthFieldCorrupted() {
    for (Map.Entry<String, byte[]> e : Fixtures.all().entrySet()) {
      if (v1Encrypted(e.getValue())) {
        continue;
      }
      for (int off : payloadOffsets(e.getValue())) {
        for (int bad : new int[] {0, 1, 3, e.getValue().length - off + 1, 0xffff}) {
          byte[] d = e.getValue().clone();
          setU16(d, off + 2, bad);
          InvalidSyntaxException x = assertThrows(InvalidSyntaxException.class, () -> IkeCodec.decode(d),
              e.getKey() + " payload at " + off + " length " + bad);
          assertTrue(x.getMessage().contains("offset " + off), x.getMessage());
        }
        for (int delta : new int[] {-1, 1}) {
          byte[] d = e.getValue().clone();
          int len = ((d[off + 2] & 0xff) << 8) | (d[off + 3] & 0xff);
          setU16(d, off + 2, len + delta);
          assertThrows(IkeProtocolException.class, () -> IkeCodec.decode(d),
              e.getKey() + " payload at " + off + " length " + len + delta);
        }
      }
    }
  }

  @Test
  void headerLengthFieldCorrupted() {
    byte[] good = Fixtures.get("ikev2", "ike_sa_init_req");
    for (int v : new int[] {0, 27, good.length + 1, -1}) {
      byte[] d = good.clone();
      setU32(d, 24, v);
      IkeDecodeException x = assertThrows(IkeDecodeException.class, () -> IkeCodec.decode(d));
      assertTrue(x.getMessage().contains("offset 24"), x.getMessage());
    }
    // a length shorter than the datagram but not at a payload boundary
    byte[] d = good.clone();
    setU32(d, 24, good.length - 1);
    assertThrows(InvalidSyntaxException.class, () -> IkeCodec.decode(d));
  }

  @Test
  void trailingBytesAfterLastPayloadAreRejected() {
    byte[] good = Fixtures.get("ikev2", "ike_sa_init_req");
    byte[] d = Arrays.copyOf(good, good.length + 4);
    setU32(d, 24, d.length);
    InvalidSyntaxException x = assertThrows(InvalidSyntaxException.class, () -> IkeCodec.decode(d));
    assertTrue(x.getMessage().contains("4 bytes after the last payload"), x.getMessage());
  }

  @Test
  void unknownMajorVersion() {
    byte[] d = Fixtures.get("ikev2", "ike_sa_init_req");
    d[17] = 0x30;
    IkeProtocolException x = assertThrows(InvalidMajorVersionException.class, () -> IkeCodec.decode(d));
    assertEquals(NotifyType.INVALID_MAJOR_VERSION, x.notifyType());
    assertFalse(x.silentDrop());
  }

  /** Inserts an unknown payload (type 200) after the first payload of ike_sa_init_req. */
  private static byte[] withUnknownPayload(boolean critical) {
    byte[] d = Fixtures.get("ikev2", "ike_sa_init_req");
    int saLen = ((d[30] & 0xff) << 8) | (d[31] & 0xff);
    int at = IkeHeader.SIZE + saLen;
    byte[] extra = {(byte) d[IkeHeader.SIZE], (byte) (critical ? 0x80 : 0), 0, 8, 1, 2, 3, 4};
    d[IkeHeader.SIZE] = (byte) 200;
    byte[] out = new byte[d.length + extra.length];
    System.arraycopy(d, 0, out, 0, at);
    System.arraycopy(extra, 0, out, at, extra.length);
    System.arraycopy(d, at, out, at + extra.length, d.length - at);
    setU32(out, 24, out.length);
    return out;
  }

  @Test
  void unknownCriticalPayloadIsRejectedWithItsType() {
    UnsupportedCriticalPayloadException x = assertThrows(UnsupportedCriticalPayloadException.class,
        () -> IkeCodec.decode(withUnknownPayload(true)));
    assertEquals(NotifyType.UNSUPPORTED_CRITICAL_PAYLOAD, x.notifyType());
    assertArrayEquals(new byte[] {(byte) 200}, x.notifyData());
    assertEquals(200, x.payloadType());
  }

  @Test
  void unknownNonCriticalPayloadIsKeptAndSkipped() throws Exception {
    byte[] d = withUnknownPayload(false);
    IkeMessage m = IkeCodec.decode(d);
    UnknownPayload u = m.first(UnknownPayload.class).orElseThrow();
    assertEquals(200, u.rawType());
    assertArrayEquals(new byte[] {1, 2, 3, 4}, u.body());
    assertEquals(9, m.payloads().size());
    MessageRules.check(ExchangeType.IKE_SA_INIT, false, m.payloads());
    assertArrayEquals(d, IkeCodec.encode(m.header(), m.payloads()));
  }

  @Test
  void ikev1UnknownPayloadTypeIsInvalidPayloadType() {
    byte[] d = Fixtures.get("ikev1-main", "mi1");
    d[16] = 99; // first payload type
    UnsupportedCriticalPayloadException x = assertThrows(UnsupportedCriticalPayloadException.class,
        () -> IkeCodec.decode(d));
    assertEquals(NotifyType.INVALID_PAYLOAD_TYPE, x.notifyTypeV1());
  }

  @Test
  void saProposalAndTransformLengthsAreChecked() {
    // ike_sa_init_req: SA at 28, proposal header at 32 (length at 34), first transform at 40 (length at 42),
    // number of transforms at 39.
    int[][] cases = {{34, 0}, {34, 7}, {34, 0xff}, {42, 0}, {42, 7}, {42, 0x40}, {39, 9}, {39, 1}, {32, 5}};
    for (int[] c : cases) {
      byte[] d = Fixtures.get("ikev2", "ike_sa_init_req");
      if (c[0] == 39 || c[0] == 32) {
        d[c[0]] = (byte) c[1];
      } else {
        setU16(d, c[0], c[1]);
      }
      InvalidSyntaxException x = assertThrows(InvalidSyntaxException.class, () -> IkeCodec.decode(d),
          "offset " + c[0] + " = " + c[1]);
      assertTrue(x.getMessage().contains("SA"), x.getMessage());
    }
  }

  @Test
  void v1AttributeLengthIsChecked() {
    // mi1: SA at 28, DOI/situation, proposal payload at 40, transform payload at 48, attributes from 56:
    // 800b0001 ... make the first attribute a TLV with a huge length.
    byte[] d = Fixtures.get("ikev1-main", "mi1");
    assertEquals((byte) 0x80, d[56]);
    d[56] = 0x00;
    setU16(d, 58, 0x7000);
    InvalidSyntaxException x = assertThrows(InvalidSyntaxException.class, () -> IkeCodec.decode(d));
    assertTrue(x.getMessage().contains("attribute"), x.getMessage());
  }

  @Test
  void shortNonceIsRejected() throws Exception {
    // RFC 7296 §3.9: a 15-byte nonce. Build it with the encoder.
    IkeMessage m = IkeCodec.decode(Fixtures.get("ikev2", "ike_sa_init_req"));
    List<Payload> ps = new ArrayList<>(m.payloads());
    ps.set(2, new NoncePayload(new byte[15]));
    byte[] d = IkeCodec.encode(m.header(), ps);
    InvalidSyntaxException x = assertThrows(InvalidSyntaxException.class, () -> IkeCodec.decode(d));
    assertTrue(x.getMessage().contains("nonce of 15 bytes"), x.getMessage());
  }

  @Test
  void skMustBeLast() throws Exception {
    IkeMessage m = IkeCodec.decode(Fixtures.get("ikev2", "ike_auth_req"));
    List<Payload> ps = new ArrayList<>(m.payloads());
    ps.add(new VendorIdPayload(new byte[] {1, 2, 3}));
    byte[] d = IkeCodec.encode(m.header(), ps);
    // the SK payload's next field names the inner chain, so the extra payload is just trailing bytes
    InvalidSyntaxException x = assertThrows(InvalidSyntaxException.class, () -> IkeCodec.decode(d));
    assertTrue(x.getMessage().contains("must be the last payload"), x.getMessage());
  }

  @Test
  void impossibleFragmentNumbers() {
    for (int[] nt : new int[][] {{0, 1}, {2, 1}, {1, 0}}) {
      byte[] d = IkeCodec.encode(IkeHeader.v2(1, 2, ExchangeType.IKE_AUTH, true, false, 1),
          List.of(new SkfPayload(35, nt[0], nt[1], new byte[16])));
      assertThrows(InvalidSyntaxException.class, () -> IkeCodec.decode(d), nt[0] + "/" + nt[1]);
    }
  }

  @Test
  void trafficSelectorLengthIsChecked() throws Exception {
    TsPayload ts = new TsPayload(false, List.of(TrafficSelector.ofRange(
        java.net.InetAddress.getByName("10.1.0.0"), java.net.InetAddress.getByName("10.1.0.255"))));
    byte[] d = IkeCodec.encode(IkeHeader.v2(1, 2, ExchangeType.IKE_AUTH, true, false, 1), List.of(ts));
    assertEquals(1, IkeCodec.decode(d).all(TsPayload.class).size());
    // TS payload at 28; its first selector's length at 28 + 4 + 4 + 2
    setU16(d, 38, 40);
    InvalidSyntaxException x = assertThrows(InvalidSyntaxException.class, () -> IkeCodec.decode(d));
    assertTrue(x.getMessage().contains("selector 1"), x.getMessage());
  }
}
