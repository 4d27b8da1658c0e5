package org.openswanj.kernel.klips.esp;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.util.Arrays;
import java.util.stream.Stream;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.bouncycastle.crypto.engines.AESEngine;
import org.bouncycastle.crypto.modes.GCMBlockCipher;
import org.bouncycastle.crypto.params.AEADParameters;
import org.bouncycastle.crypto.params.KeyParameter;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.openswanj.alg.Encryption;
import org.openswanj.alg.Integrity;

class EspCodecTest {
  private static final int SPI = 0x11223344;

  static byte[] key(int n, int seed) {
    byte[] k = new byte[n];
    for (int i = 0; i < n; i++) {
      k[i] = (byte) (seed + i);
    }
    return k;
  }

  static Stream<Arguments> suites() {
    return Stream.of(
        Arguments.of(Encryption.AES_GCM_16, 20, null, 0),
        Arguments.of(Encryption.AES_GCM_16, 36, null, 0),
        Arguments.of(Encryption.AES_GCM_8, 20, null, 0),
        Arguments.of(Encryption.CHACHA20_POLY1305, 36, null, 0),
        Arguments.of(Encryption.AES_CBC, 16, Integrity.HMAC_SHA1_96, 20),
        Arguments.of(Encryption.AES_CBC, 32, Integrity.HMAC_SHA2_256_128, 32),
        Arguments.of(Encryption.AES_CBC, 32, Integrity.HMAC_SHA2_384_192, 48),
        Arguments.of(Encryption.AES_CBC, 32, Integrity.HMAC_SHA2_512_256, 64),
        Arguments.of(Encryption.NULL, 0, Integrity.HMAC_SHA2_256_128, 32));
  }

  private static ByteBuffer seal(EspTransform t, long seq, boolean esn, byte[] payload, int nh) throws Exception {
    ByteBuffer clear = ByteBuffer.allocateDirect(2048);
    clear.put(payload).flip();
    ByteBuffer wire = ByteBuffer.allocateDirect(2048);
    int n = EspCodec.encode(t, SPI, seq, esn, nh, clear, wire);
    wire.flip();
    assertEquals(n, wire.remaining());
    return wire;
  }

  private static byte[] bytes(ByteBuffer b) {
    byte[] out = new byte[b.remaining()];
    b.duplicate().get(out);
    return out;
  }

  @ParameterizedTest
  @MethodSource("suites")
  void roundTripAndEveryFlippedByteIsRefused(Encryption c, int encLen, Integrity i, int intLen) throws Exception {
    EspTransform t = EspTransform.create(c, key(encLen, 1), i, intLen == 0 ? null : key(intLen, 100));
    byte[] payload = "an inner IPv4 packet, 45 bytes long, or so...".getBytes(StandardCharsets.US_ASCII);
    for (boolean esn : new boolean[] {false, true}) {
      long seq = esn ? 0x5_0000_0007L : 7;
      ByteBuffer wire = seal(t, seq, esn, payload, 4);
      assertEquals(SPI, EspCodec.spi(wire));
      assertEquals(7, EspCodec.sequence(wire));
      assertEquals(0, (wire.remaining() - 8 - t.ivLength() - t.icvLength()) % t.blockSize());
      ByteBuffer clear = ByteBuffer.allocateDirect(2048);
      assertEquals(4, EspCodec.decode(t, seq, esn, wire, clear));
      assertArrayEquals(payload, bytes(clear));
      byte[] good = bytes(wire);
      for (int pos = 0; pos < good.length; pos++) {
        byte[] bad = good.clone();
        bad[pos] ^= 0x01;
        // As the data path does: the low 32 bits come from the packet, the high ones from the window.
        long seen = (seq & ~0xffffffffL) | (EspCodec.sequence(ByteBuffer.wrap(bad)) & 0xffffffffL);
        EspException e = assertThrows(EspException.class,
            () -> EspCodec.decode(t, seen, esn, ByteBuffer.wrap(bad), ByteBuffer.allocate(2048)), "flip at " + pos);
        assertEquals(EspException.Reason.INTEGRITY, e.reason(), "flip at " + pos + ": " + e.getMessage());
      }
      if (esn) {
        // RFC 4304 §2: the high-order bits are authenticated though not sent.
        EspException e = assertThrows(EspException.class,
            () -> EspCodec.decode(t, seq & 0xffffffffL | (6L << 32), true, ByteBuffer.wrap(good), ByteBuffer.allocate(2048)));
        assertEquals(EspException.Reason.INTEGRITY, e.reason());
      }
    }
  }

  @Test
  void gcmAgreesWithBouncyCastleOnTheRfc4106Construction() throws Exception {
    // RFC 4106 §3-5: nonce = salt || IV, AAD = SPI || seq; checked against an independent GCM (Bouncy Castle).
    byte[] material = Hex.b("feffe9928665731c6d6a8f9467308308 cafebabe"); // GCM spec test case 3/4 key, salt
    EspTransform t = EspTransform.create(Encryption.AES_GCM_16, material, null, null);
    long seq = 0xfacedbaddecaf888L; // IV = sequence number: the test case's IV
    byte[] payload = Hex.b("d9313225f88406e5a55909c5aff5269a86a7a9531534f7da2e4c303d8a318a72");
    byte[] wire = bytes(seal(t, seq, true, payload, 41));

    GCMBlockCipher gcm = (GCMBlockCipher) GCMBlockCipher.newInstance(AESEngine.newInstance());
    gcm.init(true, new AEADParameters(new KeyParameter(Arrays.copyOf(material, 16)), 128,
        Hex.b("cafebabefacedbaddecaf888"), Hex.b("11223344 facedbad decaf888")));
    byte[] plain = new byte[payload.length + 4];
    System.arraycopy(payload, 0, plain, 0, payload.length);
    plain[payload.length] = 1;
    plain[payload.length + 1] = 2;
    plain[payload.length + 2] = 2; // pad length
    plain[payload.length + 3] = 41; // next header
    byte[] expect = new byte[gcm.getOutputSize(plain.length)];
    gcm.doFinal(expect, gcm.processBytes(plain, 0, plain.length, expect, 0));
    assertArrayEquals(Hex.b("11223344 decaf888 facedbaddecaf888"), Arrays.copyOf(wire, 16));
    assertArrayEquals(expect, Arrays.copyOfRange(wire, 16, wire.length));
    // The first 32 bytes of keystream are the GCM spec's test case 3 ciphertext.
    assertArrayEquals(Hex.b("42831ec2217774244b7221b784d0d49ce3aa212f2c02a4e035c17e2329aca12e"),
        Arrays.copyOfRange(wire, 16, 48));
  }

  @Test
  void unimplementedAlgorithmsAreRefused() {
    GeneralSecurityException e = assertThrows(GeneralSecurityException.class,
        () -> EspTransform.create(Encryption.TWOFISH_CBC, new byte[16], Integrity.HMAC_SHA1_96, new byte[20]));
    assertEquals("TWOFISH_CBC is not implemented", e.getMessage());
    e = assertThrows(GeneralSecurityException.class,
        () -> EspTransform.create(Encryption.AES_CBC, new byte[16], Integrity.HMAC_RIPEMD_160_96, new byte[20]));
    assertEquals("HMAC_RIPEMD_160_96 is not implemented", e.getMessage());
  }

  @Test
  void chacha20Poly1305OpensTheRfc8439Vector() throws Exception {
    // RFC 8439 §2.8.2 laid out as RFC 7634 ESP: salt 07000000, IV 4041424344454647, and the 12-byte AAD read as
    // SPI 50515253 with ESN sequence c0c1c2c3:c4c5c6c7 (RFC 7634 §2.1).
    byte[] material = new byte[36];
    for (int i = 0; i < 32; i++) {
      material[i] = (byte) (0x80 + i);
    }
    material[32] = 7;
    EspTransform t = EspTransform.create(Encryption.CHACHA20_POLY1305, material, null, null);
    byte[] packet = Hex.b("50515253 c4c5c6c7 4041424344454647"
        + "d31a8d34648e60db7b86afbc53ef7ec2a4aded51296e08fea9e2b5a736ee62d63dbea45e8ca9671282fafb69da92728b"
        + "1a71de0a9e060b2905d6a5b67ecd3b3692ddbd7f2d778b8c9803aee328091b58fab324e4fad675945585808b4831d7bc"
        + "3ff4def08e4b7a9de576d26586cec64b6116 1ae10b594f09e26a7e902ecbd0600691");
    ByteBuffer clear = ByteBuffer.allocate(256);
    t.open(0xc0c1c2c3c4c5c6c7L, true, ByteBuffer.wrap(packet), clear);
    clear.flip();
    assertTrue(new String(bytes(clear), StandardCharsets.US_ASCII).startsWith("Ladies and Gentlemen of the class of '99"));
  }

  @Test
  void aesCbcDecryptsTheRfc3602Case1() throws Exception {
    // RFC 3602 §4 case #1: key, IV, one ciphertext block of "Single block msg"; ICV by JCE HMAC-SHA1 over it.
    byte[] hmacKey = key(20, 9);
    EspTransform t = EspTransform.create(Encryption.AES_CBC, Hex.b("06a9214036b8a15b512e03d534120006"),
        Integrity.HMAC_SHA1_96, hmacKey);
    byte[] body = Hex.b("00000100 00000001 3dafba429d9eb430b422da802c9fac41 e353779c1079aeb82708942dbe77181a");
    Mac mac = Mac.getInstance("HmacSHA1");
    mac.init(new SecretKeySpec(hmacKey, "HmacSHA1"));
    byte[] icv = Arrays.copyOf(mac.doFinal(body), 12);
    byte[] packet = Arrays.copyOf(body, body.length + 12);
    System.arraycopy(icv, 0, packet, body.length, 12);
    ByteBuffer clear = ByteBuffer.allocate(64);
    t.open(1, false, ByteBuffer.wrap(packet), clear);
    clear.flip();
    assertEquals("Single block msg", new String(bytes(clear), StandardCharsets.US_ASCII));
  }

  @Test
  void badKeysAndPairsAreRefusedWithAReason() {
    Exception e = assertThrows(java.security.GeneralSecurityException.class,
        () -> EspTransform.create(Encryption.AES_GCM_16, new byte[16], null, null));
    assertTrue(e.getMessage().contains("4-byte salt"), e.getMessage());
    assertThrows(java.security.GeneralSecurityException.class,
        () -> EspTransform.create(Encryption.AES_CBC, new byte[16], null, null));
    assertThrows(java.security.GeneralSecurityException.class,
        () -> EspTransform.create(Encryption.AES_CBC, new byte[16], Integrity.HMAC_SHA1_96, new byte[3]));
  }

  @Test
  void truncatedAndBadlyPaddedPacketsAreMalformedNotCrashes() throws Exception {
    EspTransform t = EspTransform.create(Encryption.AES_GCM_16, key(20, 1), null, null);
    for (int n = 0; n < 30; n++) {
      EspException e = assertThrows(EspException.class,
          () -> EspCodec.decode(t, 1, false, ByteBuffer.allocate(0), ByteBuffer.allocate(64)));
      assertEquals(EspException.Reason.MALFORMED, e.reason());
    }
    EspTransform cbc = EspTransform.create(Encryption.AES_CBC, key(16, 1), Integrity.HMAC_SHA1_96, key(20, 3));
    EspException e = assertThrows(EspException.class,
        () -> EspCodec.decode(cbc, 1, false, ByteBuffer.allocate(8 + 16 + 17 + 12), ByteBuffer.allocate(64)));
    assertEquals(EspException.Reason.MALFORMED, e.reason());
  }
}
