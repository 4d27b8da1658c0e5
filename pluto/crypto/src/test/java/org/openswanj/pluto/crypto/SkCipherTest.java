package org.openswanj.pluto.crypto;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.openswanj.pluto.crypto.AndroidVectors.*;
import static org.openswanj.pluto.crypto.TestSupport.concat;
import static org.openswanj.pluto.crypto.TestSupport.hex;

import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.openswanj.alg.Encryption;
import org.openswanj.alg.Integrity;

class SkCipherTest {
  private static final SecureRandom RANDOM = new SecureRandom();

  private static SkCipher cipher(Encryption enc, int bits, Integrity integ, byte[] key, byte[] integKey, byte[] iv) {
    return SkCipher.create(enc, bits, integ, key, integKey, new TestSupport.FixedRandom(iv));
  }

  // Android IKE library, IkeEncryptedPayloadBodyTest: a captured IKE_AUTH request, AES-CBC-128 + HMAC-SHA1-96.
  // Sealing with the captured IV reproduces the captured bytes exactly (zero padding, pad length last).
  @Test
  void aesCbcCapturedIkeAuth() throws Exception {
    SkCipher c = cipher(Encryption.AES_CBC, 128, Integrity.HMAC_SHA1_96, hex(SK_EI), hex(SK_AI), hex(AUTH_IV));
    byte[] body = hex(AUTH_IV + AUTH_CT + AUTH_ICV);
    assertArrayEquals(hex(AUTH_PLAIN), c.open(hex(AUTH_AAD), body));
    assertArrayEquals(body, c.seal(hex(AUTH_AAD), hex(AUTH_PLAIN)));
    assertEquals(body.length, c.sealedLength(hex(AUTH_PLAIN).length));
  }

  // Android IKE library, IkeEncryptedPayloadBodyTest: an INFORMATIONAL message protected by 3DES + HMAC-SHA1-96
  // (random padding, which open() strips).
  @Test
  void tripleDesCapturedMessage() throws Exception {
    byte[] msg = hex("5837b1bd28ec424f85ddd0c609c8dbfe2e2023200000000200000064300000488beaf41d88544baabd95eac60269f19a"
        + "5986295fe318ce02f65368cd957985f36b183794c4c78d35437762297a131a773d7f7806aaa0c590f48b9d71001f4d6570a44533");
    SkCipher c = cipher(Encryption.DES3_CBC, 0, Integrity.HMAC_SHA1_96,
        hex("ee0fdd6d35bbdbe9eeef2f24495b6632e5047bdd8e413c87"), hex("867a0bd019108db856cf6984fc9fb62d70c0de74"),
        new byte[0]);
    assertEquals("00000028013c00241a013c001f10dac4f8b759138776091dd0f00033c5b07374726f6e675377616e",
        hex(c.open(Arrays.copyOf(msg, 32), Arrays.copyOfRange(msg, 32, msg.length))));
  }

  // Android IKE library, IkeEncryptedPayloadBodyTest: a message protected by AES-GCM-16 with a 256-bit key
  // (key ‖ 4-byte salt). With the IV counter starting at the captured IV, seal reproduces the message.
  @Test
  void aesGcmCapturedMessage() throws Exception {
    byte[] msg = hex("77c708b4523e39a471dc683c1d4f21362e202308000000050000006127000045fbd69d9ee2dafc5e7c03a01067"
        + "61065b28fa8d11aed6046f7f8af117e44da7635be6e0dfafcb0a387c53fb46ba5d6fa9509161915929de97b7fbe23dc65723b0fe");
    byte[] key = hex("7C04513660DEC572D896105254EF92608054F8E6EE19E79CE52AB8697B2B5F2C2AA90C29");
    byte[] aad = Arrays.copyOf(msg, 32);
    byte[] body = Arrays.copyOfRange(msg, 32, msg.length);
    SkCipher c = cipher(Encryption.AES_GCM_16, 256, null, key, null, hex("fbd69d9ee2dafc5e"));
    byte[] inner = c.open(aad, body);
    assertEquals("000000280200000033233837e909ec805d56151bef5b1fa9b8e25b32419c9b3fc96ee699ec29d501", hex(inner));
    assertArrayEquals(body, c.seal(aad, inner));
    // the next IV is the counter's next value: never a repeat (RFC 5282 §3.1)
    assertEquals("fbd69d9ee2dafc5f", hex(Arrays.copyOf(c.seal(aad, inner), 8)));
  }

  // McGrew & Viega, "The Galois/Counter Mode of Operation", test case 4 (AES-128, 60-byte P, 20-byte A):
  // nonce = salt cafebabe ‖ IV facedbaddecaf888. The last plaintext byte 0x39 is read as the pad length, so
  // the inner payload is the first two bytes. GCM-12 and GCM-8 use the truncated tag.
  @Test
  void gcmMcGrewViegaTestCase4() throws Exception {
    byte[] key = hex("feffe9928665731c6d6a8f9467308308" + "cafebabe");
    byte[] aad = hex("feedfacedeadbeeffeedfacedeadbeefabaddad2");
    String c = "42831ec2217774244b7221b784d0d49ce3aa212f2c02a4e035c17e2329aca12e21d514b25466931c7d8f6a5aac84aa051ba30b396a0aac973d58e091";
    String tag = "5bc94fbc3221a5db94fae95ae7121a47";
    Encryption[] encs = {Encryption.AES_GCM_16, Encryption.AES_GCM_12, Encryption.AES_GCM_8};
    for (Encryption e : encs) {
      SkCipher sk = cipher(e, 128, null, key, null, new byte[0]);
      byte[] body = hex("facedbaddecaf888" + c + tag.substring(0, 2 * e.icvSize()));
      assertEquals("d931", hex(sk.open(aad, body)), e.toString());
    }
  }

  // RFC 8439 §2.8.2 AEAD test vector through the ChaCha20-Poly1305 path of RFC 7634: nonce = salt 07000000 ‖
  // IV 4041424344454647. The plaintext's last byte '.' (46) is the pad length, so the inner payload is 67 bytes.
  @Test
  void chachaRfc8439Vector() throws Exception {
    byte[] key = concat(hex("808182838485868788898a8b8c8d8e8f909192939495969798999a9b9c9d9e9f"), hex("07000000"));
    byte[] aad = hex("50515253c0c1c2c3c4c5c6c7");
    byte[] body = hex("4041424344454647" + "d31a8d34648e60db7b86afbc53ef7ec2a4aded51296e08fea9e2b5a736ee62d63dbea45e8"
        + "ca9671282fafb69da92728b1a71de0a9e060b2905d6a5b67ecd3b3692ddbd7f2d778b8c9803aee328091b58fab324e4fad67594"
        + "5585808b4831d7bc3ff4def08e4b7a9de576d26586cec64b6116" + "1ae10b594f09e26a7e902ecbd0600691");
    SkCipher sk = cipher(Encryption.CHACHA20_POLY1305, 256, null, key, null, new byte[0]);
    String text = "Ladies and Gentlemen of the class of '99: If I could offer you only one tip for the future, "
        + "sunscreen would be it.";
    assertEquals(text.substring(0, 67), new String(sk.open(aad, body), StandardCharsets.US_ASCII));
  }

  static Stream<Arguments> suites() {
    return Stream.of(
        Arguments.of(Encryption.AES_CBC, 128, Integrity.HMAC_SHA1_96),
        Arguments.of(Encryption.AES_CBC, 128, Integrity.HMAC_SHA2_256_128),
        Arguments.of(Encryption.AES_CBC, 256, Integrity.HMAC_SHA2_256_128),
        Arguments.of(Encryption.AES_CBC, 256, Integrity.HMAC_SHA2_384_192),
        Arguments.of(Encryption.AES_CBC, 256, Integrity.HMAC_SHA2_512_256),
        Arguments.of(Encryption.AES_CBC, 192, Integrity.AES_XCBC_96),
        Arguments.of(Encryption.DES3_CBC, 192, Integrity.HMAC_SHA1_96),
        Arguments.of(Encryption.AES_GCM_16, 128, null),
        Arguments.of(Encryption.AES_GCM_16, 256, null),
        Arguments.of(Encryption.AES_GCM_12, 128, null),
        Arguments.of(Encryption.AES_GCM_12, 256, null),
        Arguments.of(Encryption.AES_GCM_8, 128, null),
        Arguments.of(Encryption.AES_GCM_8, 256, null),
        Arguments.of(Encryption.CHACHA20_POLY1305, 256, null));
  }

  private static SkCipher[] pair(Encryption enc, int bits, Integrity integ) {
    byte[] key = new byte[Ikev2KeyDerivation.encKeyLength(enc, bits)];
    RANDOM.nextBytes(key);
    byte[] ik = integ == null ? null : new byte[integ.keySize()];
    if (ik != null) {
      RANDOM.nextBytes(ik);
    }
    return new SkCipher[] {SkCipher.create(enc, bits, integ, key, ik, RANDOM),
        SkCipher.create(enc, bits, integ, key, ik, RANDOM)};
  }

  @ParameterizedTest
  @MethodSource("suites")
  void roundTripAndEveryFlippedByteFails(Encryption enc, int bits, Integrity integ) throws Exception {
    SkCipher[] p = pair(enc, bits, integ);
    byte[] aad = hex("00112233445566778899aabbccddeeff2e20230800000001000000ec230000d0");
    for (int len = 0; len <= 40; len++) {
      byte[] plain = new byte[len];
      RANDOM.nextBytes(plain);
      byte[] body = p[0].seal(aad, plain);
      assertEquals(p[0].sealedLength(len), body.length);
      assertArrayEquals(plain, p[1].open(aad, body), enc + " len " + len);
      if (len == 33) {
        for (int i = 0; i < body.length; i++) {
          byte[] bad = body.clone();
          bad[i] ^= (byte) (1 << (i % 8));
          assertThrows(IntegrityException.class, () -> p[1].open(aad, bad), enc + " flipped body byte");
        }
        for (int i = 0; i < aad.length; i++) {
          byte[] badAad = aad.clone();
          badAad[i] ^= 0x01;
          assertThrows(IntegrityException.class, () -> p[1].open(badAad, body), enc + " flipped aad byte");
        }
      }
    }
  }

  @ParameterizedTest
  @MethodSource("suites")
  void malformedSizesAreIntegrityErrors(Encryption enc, int bits, Integrity integ) {
    SkCipher c = pair(enc, bits, integ)[0];
    for (int len = 0; len < c.sealedLength(0); len++) {
      byte[] body = new byte[len];
      IntegrityException e = assertThrows(IntegrityException.class, () -> c.open(new byte[32], body));
      assertTrue(e.getMessage().startsWith("SK payload body of " + len + " bytes is malformed"), e.getMessage());
    }
  }

  @Test
  void cbcBodyNotWholeBlocksIsRefused() {
    SkCipher c = pair(Encryption.AES_CBC, 128, Integrity.HMAC_SHA1_96)[0];
    IntegrityException e = assertThrows(IntegrityException.class, () -> c.open(new byte[32], new byte[16 + 17 + 12]));
    assertEquals("SK payload body of 45 bytes is malformed for aes (IV 16, ICV 12, block 16)", e.getMessage());
  }

  @Test
  void cbcPadsToTheBlockWithPadLengthLast() {
    SkCipher c = pair(Encryption.AES_CBC, 128, Integrity.HMAC_SHA2_256_128)[0];
    assertEquals(16 + 16 + 16, c.sealedLength(0));
    assertEquals(16 + 16 + 16, c.sealedLength(15));
    assertEquals(16 + 32 + 16, c.sealedLength(16));
    SkCipher g = pair(Encryption.AES_GCM_16, 128, null)[0];
    assertEquals(8 + 6 + 16, g.sealedLength(5)); // AEAD: no block alignment, just the pad length byte
  }

  @Test
  void cbcIvsComeFromTheRandomSource() {
    SkCipher c = pair(Encryption.AES_CBC, 128, Integrity.HMAC_SHA1_96)[0];
    byte[] a = c.seal(new byte[0], new byte[10]);
    byte[] b = c.seal(new byte[0], new byte[10]);
    assertFalse(Arrays.equals(Arrays.copyOf(a, 16), Arrays.copyOf(b, 16)));
  }

  @Test
  void misconfigurationIsRefusedClearly() {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> SkCipher.create(Encryption.AES_CBC, 128, Integrity.HMAC_SHA1_96, new byte[32], new byte[20], RANDOM));
    assertEquals("aes needs a 16-byte key, got 32", e.getMessage());
    e = assertThrows(IllegalArgumentException.class,
        () -> SkCipher.create(Encryption.AES_GCM_16, 128, Integrity.HMAC_SHA1_96, new byte[20], new byte[20], RANDOM));
    assertEquals("aes_gcm16 is AEAD: no integrity algorithm", e.getMessage());
    e = assertThrows(IllegalArgumentException.class,
        () -> SkCipher.create(Encryption.NULL, 0, Integrity.HMAC_SHA1_96, new byte[0], new byte[20], RANDOM));
    assertEquals("null cannot protect IKE messages", e.getMessage());
  }

  @Test
  void wipedCipherRefusesWork() {
    SkCipher c = pair(Encryption.AES_GCM_16, 128, null)[0];
    c.wipe();
    assertThrows(IllegalStateException.class, () -> c.seal(new byte[0], new byte[1]));
    assertThrows(IllegalStateException.class, () -> c.open(new byte[0], new byte[40]));
  }

  @Test
  void toStringHidesKeys() {
    SkCipher c = cipher(Encryption.AES_CBC, 128, Integrity.HMAC_SHA1_96, hex(SK_EI), hex(SK_AI), new byte[0]);
    assertEquals("SkCipher[aes/HMAC_SHA1_96, keys redacted]", c.toString());
  }
}
