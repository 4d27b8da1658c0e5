package org.openswanj.pluto.ike.wire;

import static org.junit.jupiter.api.Assertions.*;

import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

/** SK / SKF / IKEv1 encryption framing with a fake cipher: XOR 0x5a, 8-byte IV, 16-byte block, fixed ICV. */
class SkCodecTest {
  private static final byte[] IV = {1, 2, 3, 4, 5, 6, 7, 8};
  private static final byte[] ICV = "0123456789abcdef".getBytes(StandardCharsets.US_ASCII);

  /** Pads to 16 with pad length byte (RFC 7296 §3.14), XORs, prefixes the IV, appends the ICV. */
  static final class FakeCipher implements IkeCodec.SkSealer, IkeCodec.SkOpener {
    byte[] sealAad;
    byte[] openAad;

    @Override
    public int sealedLength(int plaintextLength) {
      int padded = (plaintextLength + 1 + 15) / 16 * 16;
      return IV.length + padded + ICV.length;
    }

    @Override
    public byte[] seal(byte[] aad, byte[] plaintext) {
      sealAad = aad.clone();
      int padded = sealedLength(plaintext.length) - IV.length - ICV.length;
      byte[] p = Arrays.copyOf(plaintext, padded);
      p[padded - 1] = (byte) (padded - plaintext.length - 1);
      byte[] out = new byte[IV.length + padded + ICV.length];
      System.arraycopy(IV, 0, out, 0, IV.length);
      for (int i = 0; i < padded; i++) {
        out[IV.length + i] = (byte) (p[i] ^ 0x5a);
      }
      System.arraycopy(ICV, 0, out, IV.length + padded, ICV.length);
      return out;
    }

    @Override
    public byte[] open(byte[] aad, byte[] body) throws IkeProtocolException {
      openAad = aad.clone();
      if (body.length < IV.length + ICV.length + 16) {
        throw new InvalidSyntaxException("SK body too short");
      }
      byte[] icv = Arrays.copyOfRange(body, body.length - ICV.length, body.length);
      if (!Arrays.equals(icv, ICV)) {
        throw new IntegrityCheckFailedException("ICV mismatch");
      }
      byte[] p = new byte[body.length - IV.length - ICV.length];
      for (int i = 0; i < p.length; i++) {
        p[i] = (byte) (body[IV.length + i] ^ 0x5a);
      }
      int pad = p[p.length - 1] & 0xff;
      if (pad + 1 > p.length) {
        throw new InvalidSyntaxException("pad length " + pad);
      }
      return Arrays.copyOf(p, p.length - pad - 1);
    }
  }

  private static List<Payload> authInner() throws Exception {
    return List.of(new IdPayload(false, IdType.ID_FQDN, "west".getBytes(StandardCharsets.US_ASCII)),
        new AuthPayload(AuthMethod.SHARED_KEY_MESSAGE_INTEGRITY_CODE, new byte[32]),
        new SaPayload(List.of(new Proposal(1, ProtocolId.ESP, new byte[] {0x11, 0x22, 0x33, 0x44},
            List.of(new Transform(TransformType.ENCR, 20, 128), new Transform(TransformType.ESN, 0))))),
        new TsPayload(false, List.of(TrafficSelector.ofRange(InetAddress.getByName("10.1.0.0"),
            InetAddress.getByName("10.1.0.255")))),
        new TsPayload(true, List.of(TrafficSelector.ofRange(InetAddress.getByName("10.2.0.0"),
            InetAddress.getByName("10.2.0.255")))),
        new NotifyPayload(NotifyType.INITIAL_CONTACT, new byte[0]));
  }

  @Test
  void skRoundTripAadAndLengths() throws Exception {
    FakeCipher c = new FakeCipher();
    IkeHeader h = IkeHeader.v2(0x1122334455667788L, 0x99aabbccddeeff00L, ExchangeType.IKE_AUTH, true, false, 1);
    List<Payload> inner = authInner();
    byte[] plain = IkeCodec.encodeChain(2, inner);
    byte[] d = IkeCodec.encodeEncrypted(h, inner, c);
    int sealed = c.sealedLength(plain.length);
    assertEquals(28 + 4 + sealed, d.length);
    // aad = IKE header (next payload SK, final length) ‖ SK generic header (first inner IDi, length)
    assertEquals(32, c.sealAad.length);
    assertArrayEquals(Arrays.copyOf(d, 32), c.sealAad);
    assertEquals(46, c.sealAad[16]);
    assertEquals(d.length, ((c.sealAad[26] & 0xff) << 8) | (c.sealAad[27] & 0xff));
    assertEquals(35, c.sealAad[28]);
    assertEquals(4 + sealed, ((c.sealAad[30] & 0xff) << 8) | (c.sealAad[31] & 0xff));

    IkeMessage outer = IkeCodec.decode(d);
    MessageRules.checkOuter(outer);
    List<Payload> got = IkeCodec.decodeEncrypted(d, outer, c);
    assertArrayEquals(c.sealAad, c.openAad);
    MessageRules.check(ExchangeType.IKE_AUTH, false, got);
    assertArrayEquals(plain, IkeCodec.encodeChain(2, got));
    Proposal p = ((SaPayload) got.get(2)).proposals().get(0);
    assertEquals(ProtocolId.ESP, p.protocol());
    assertEquals("11223344", IkeCodec.hex(p.spi()));
    assertEquals(new Transform(TransformType.ENCR, 20, 128), p.transforms().get(0));
    TrafficSelector ts = ((TsPayload) got.get(4)).selectors().get(0);
    assertEquals(InetAddress.getByName("10.2.0.255"), ts.end());
    assertEquals(65535, ts.endPort());
  }

  @Test
  void tamperedIcvIsASilentDrop() throws Exception {
    FakeCipher c = new FakeCipher();
    byte[] d = IkeCodec.encodeEncrypted(IkeHeader.v2(1, 2, ExchangeType.INFORMATIONAL, true, false, 2),
        List.of(new DeletePayload(1, 0, List.of())), c);
    d[d.length - 1] ^= 1;
    IkeMessage outer = IkeCodec.decode(d);
    IkeProtocolException x = assertThrows(IntegrityCheckFailedException.class,
        () -> IkeCodec.decodeEncrypted(d, outer, c));
    assertTrue(x.silentDrop());
  }

  @Test
  void emptyInformationalAndCorruptInnerChain() throws Exception {
    FakeCipher c = new FakeCipher();
    byte[] d = IkeCodec.encodeEncrypted(IkeHeader.v2(1, 2, ExchangeType.INFORMATIONAL, false, true, 2),
        List.of(), c);
    assertEquals(28 + 4 + 8 + 16 + 16, d.length);
    IkeMessage outer = IkeCodec.decode(d);
    assertEquals(0, outer.first(SkPayload.class).orElseThrow().firstInnerPayload());
    List<Payload> inner = IkeCodec.decodeEncrypted(d, outer, c);
    assertTrue(inner.isEmpty());
    MessageRules.check(ExchangeType.INFORMATIONAL, true, inner);
    // claim an inner chain that is not there
    byte[] bad = d.clone();
    bad[28] = 41;
    IkeMessage badOuter = IkeCodec.decode(bad);
    assertThrows(InvalidSyntaxException.class, () -> IkeCodec.decodeEncrypted(bad, badOuter, c));
  }

  @Test
  void skfFragmentsAadIncludesFragmentFields() throws Exception {
    FakeCipher c = new FakeCipher();
    IkeHeader h = IkeHeader.v2(1, 2, ExchangeType.IKE_AUTH, true, false, 1);
    byte[] plain = IkeCodec.encodeChain(2, authInner());
    int half = plain.length / 2;
    byte[] f1 = IkeCodec.encodeFragment(h, 35, 1, 2, Arrays.copyOf(plain, half), c);
    assertEquals(36, c.sealAad.length);
    assertEquals(53, c.sealAad[16]);
    assertEquals(35, c.sealAad[28]);
    assertEquals("00010002", IkeCodec.hex(Arrays.copyOfRange(c.sealAad, 32, 36)));
    byte[] f2 = IkeCodec.encodeFragment(h, 35, 2, 2, Arrays.copyOfRange(plain, half, plain.length), c);
    IkeMessage m1 = IkeCodec.decode(f1);
    IkeMessage m2 = IkeCodec.decode(f2);
    SkfPayload s2 = m2.first(SkfPayload.class).orElseThrow();
    assertEquals(0, s2.firstInnerPayload());
    assertEquals(2, s2.fragmentNumber());
    assertEquals(2, s2.totalFragments());
    MessageRules.checkOuter(m2);
    byte[] joined = new byte[plain.length];
    byte[] p1 = IkeCodec.openFragment(f1, m1, c);
    byte[] p2 = IkeCodec.openFragment(f2, m2, c);
    System.arraycopy(p1, 0, joined, 0, p1.length);
    System.arraycopy(p2, 0, joined, p1.length, p2.length);
    List<Payload> inner = IkeCodec.decodeChain(2, 35, joined, 0, joined.length);
    assertArrayEquals(plain, IkeCodec.encodeChain(2, inner));
    assertThrows(InvalidSyntaxException.class, () -> IkeCodec.decodeEncrypted(f1, m1, c));
  }

  @Test
  void v1EncryptedRoundTripWithPadding() throws Exception {
    IkeHeader h = IkeHeader.v1(0x0102030405060708L, 0x1112131415161718L, ExchangeType.INFORMATIONAL_V1, 0,
        0x12345678);
    List<Payload> inner = List.of(new HashPayload(new byte[32]),
        new V1NotifyPayload(1, 1, new byte[16], NotifyType.R_U_THERE.wireValue(), new byte[] {0, 0, 0, 7}));
    byte[] d = IkeCodec.encodeV1Encrypted(h, inner, p -> {
      byte[] out = Arrays.copyOf(p, (p.length + 15) / 16 * 16);
      for (int i = 0; i < out.length; i++) {
        out[i] ^= 0x5a;
      }
      return out;
    });
    IkeMessage m = IkeCodec.decode(d);
    assertTrue(m.header().encrypted());
    assertEquals(0x12345678, m.header().messageId());
    V1EncryptedBody body = m.first(V1EncryptedBody.class).orElseThrow();
    assertEquals(PayloadType.HASH.wireValue(), body.firstPayload());
    assertEquals(0, body.ciphertext().length % 16);
    byte[] p = body.ciphertext().clone();
    for (int i = 0; i < p.length; i++) {
      p[i] ^= 0x5a;
    }
    List<Payload> got = IkeCodec.decodeV1Chain(body.firstPayload(), p);
    V1NotifyPayload n = (V1NotifyPayload) got.get(1);
    assertEquals(NotifyType.R_U_THERE, n.type());
    assertEquals(16, n.spi().length);
    MessageRules.checkV1(MessageRules.V1Step.INFO, got);
    assertArrayEquals(d, IkeCodec.encode(m.header(), m.payloads()));
  }
}
