package org.openswanj.pluto.crypto;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.openswanj.pluto.crypto.TestSupport.hex;

import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import org.bouncycastle.asn1.sec.SECNamedCurves;
import org.bouncycastle.asn1.x9.X9ECParameters;
import org.bouncycastle.math.ec.ECPoint;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.openswanj.alg.DhGroup;
import org.openswanj.alg.Encryption;
import org.openswanj.alg.Integrity;
import org.openswanj.alg.Prf;

/**
 * One known-answer test per algorithm descriptor, through this module's implementation of it: a descriptor that is
 * implemented but has no vector here fails, so a new algorithm cannot arrive untested. Each vector names its source.
 */
class KnownAnswerTest {
  /** Hex strings; {@code aad} empty when the cipher takes none; {@code out} is ciphertext ‖ tag. */
  record CipherVector(String source, String key, String iv, String aad, String in, String out) {}

  record MacVector(String source, String key, String data, String out) {}

  /** Hex strings; {@code privR} null when the source gives only the initiator's private value. */
  record DhVector(String source, String privI, String privR, String pubI, String pubR, String shared) {}

  private static final String GCM_KEY = "feffe9928665731c6d6a8f9467308308" + "cafebabe";
  private static final String GCM_AAD = "feedfacedeadbeeffeedfacedeadbeefabaddad2";
  private static final String GCM_P = "d9313225f88406e5a55909c5aff5269a86a7a9531534f7da2e4c303d8a318a72"
      + "1c3c0c95956809532fcf0e2449a6b525b16aedf5aa0de657ba637b39";
  private static final String GCM_C = "42831ec2217774244b7221b784d0d49ce3aa212f2c02a4e035c17e2329aca12e"
      + "21d514b25466931c7d8f6a5aac84aa051ba30b396a0aac973d58e091";
  private static final String GCM_T = "5bc94fbc3221a5db94fae95ae7121a47";
  private static final String GCM_SOURCE = "McGrew & Viega, The Galois/Counter Mode of Operation, test case 4, "
      + "laid out as RFC 4106 §4 (salt cafebabe, IV facedbaddecaf888); RFC 4106 §6 truncates the tag";

  private static final Map<Encryption, CipherVector> CIPHERS = Map.of(
      Encryption.DES3_CBC, new CipherVector("NIST SP 800-67 Rev. 1 App. B.1, first block (CBC with a zero IV)",
          "0123456789abcdef23456789abcdef01456789abcdef0123", "0000000000000000", "",
          hex("The qufc".getBytes(StandardCharsets.US_ASCII)), "a826fd8ce53b855f"),
      Encryption.AES_CBC, new CipherVector("RFC 3602 §4 case #2", "c286696d887c9aa0611bbb3e2025a45a",
          "562e17996d093d28ddb3ba695a2e6f58", "", "000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f",
          "d296cd94c2cccf8a3a863028b5e1dc0a7586602d253cfff91b8266bea6d61ab1"),
      Encryption.AES_CTR, new CipherVector("RFC 3686 §6 test vector #1 (nonce 00000030 after the key)",
          "ae6852f8121067cc4bf7a5765577f39e" + "00000030", "0000000000000000", "",
          "53696e676c6520626c6f636b206d7367", "e4095d4fb7a7b3792d6175a3261311b8"),
      Encryption.AES_GCM_16, new CipherVector(GCM_SOURCE, GCM_KEY, "facedbaddecaf888", GCM_AAD, GCM_P, GCM_C + GCM_T),
      Encryption.AES_GCM_12, new CipherVector(GCM_SOURCE, GCM_KEY, "facedbaddecaf888", GCM_AAD, GCM_P,
          GCM_C + GCM_T.substring(0, 24)),
      Encryption.AES_GCM_8, new CipherVector(GCM_SOURCE, GCM_KEY, "facedbaddecaf888", GCM_AAD, GCM_P,
          GCM_C + GCM_T.substring(0, 16)),
      Encryption.CHACHA20_POLY1305, new CipherVector("RFC 7539 §2.8.2, nonce laid out as RFC 7634 §2 (salt 07000000)",
          "808182838485868788898a8b8c8d8e8f909192939495969798999a9b9c9d9e9f" + "07000000", "4041424344454647",
          "50515253c0c1c2c3c4c5c6c7", hex(("Ladies and Gentlemen of the class of '99: If I could offer you only one "
              + "tip for the future, sunscreen would be it.").getBytes(StandardCharsets.US_ASCII)),
          "d31a8d34648e60db7b86afbc53ef7ec2a4aded51296e08fea9e2b5a736ee62d63dbea45e8ca9671282fafb69da92728b"
              + "1a71de0a9e060b2905d6a5b67ecd3b3692ddbd7f2d778b8c9803aee328091b58fab324e4fad675945585808b4831d7bc"
              + "3ff4def08e4b7a9de576d26586cec64b6116" + "1ae10b594f09e26a7e902ecbd0600691"),
      Encryption.NULL, new CipherVector("RFC 2410 §2: NULL encryption is the identity", "", "", "", "0001feff",
          "0001feff"));

  private static final String CD50 = "cd".repeat(50);
  private static final String KEY25 = "0102030405060708090a0b0c0d0e0f10111213141516171819";
  private static final String HI_THERE = hex("Hi There".getBytes(StandardCharsets.US_ASCII));
  private static final String TRUNCATION = hex("Test With Truncation".getBytes(StandardCharsets.US_ASCII));

  private static final Map<Integrity, MacVector> INTEGRITY = Map.of(
      Integrity.HMAC_MD5_96, new MacVector("RFC 2202 §2 test case 5, digest-96", "0c".repeat(16), TRUNCATION,
          "56461ef2342edc00f9bab995"),
      Integrity.HMAC_SHA1_96, new MacVector("RFC 2202 §3 test case 5, digest-96", "0c".repeat(20), TRUNCATION,
          "4c1a03424b55e07fe7f27be1"),
      Integrity.AES_XCBC_96, new MacVector("RFC 3566 §4.6 test case #4 (20-byte message), first 96 bits",
          "000102030405060708090a0b0c0d0e0f", "000102030405060708090a0b0c0d0e0f10111213", "47f51b4564966215b8985c63"),
      Integrity.HMAC_SHA2_256_128, new MacVector("RFC 4868 §2.7.2.1 AUTH256-1", "0b".repeat(32), HI_THERE,
          "198a607eb44bfbc69903a0f1cf2bbdc5"),
      Integrity.HMAC_SHA2_384_192, new MacVector("RFC 4868 §2.7.2.2 AUTH384-1", "0b".repeat(48), HI_THERE,
          "b6a8d5636f5c6a7224f9977dcf7ee6c7fb6d0c48cbdee973"),
      Integrity.HMAC_SHA2_512_256, new MacVector("RFC 4868 §2.7.2.3 AUTH512-1", "0b".repeat(64), HI_THERE,
          "637edc6e01dce7e6742a99451aae82df23da3e92439e590e43e761b33e910fb8"));

  private static final Map<Prf, MacVector> PRFS = Map.of(
      Prf.HMAC_MD5, new MacVector("RFC 2202 §2 test case 4", KEY25, CD50, "697eaf0aca3a3aea3a75164746ffaa79"),
      Prf.HMAC_SHA1, new MacVector("RFC 2202 §3 test case 4", KEY25, CD50, "4c9007f4026250c6bc8414f9bf50c86c2d7235da"),
      Prf.AES128_XCBC, new MacVector("RFC 4434 §4, 10-byte key", "00010203040506070809",
          "000102030405060708090a0b0c0d0e0f10111213", "0fa087af7d866e7653434e602fdde835"),
      Prf.HMAC_SHA2_256, new MacVector("RFC 4231 §4.5 test case 4 (RFC 4868 §2.7.1 PRF-4)", KEY25, CD50,
          "82558a389a443c0ea4cc819899f2083a85f0faa3e578f8077a2e3ff46729665b"),
      Prf.HMAC_SHA2_384, new MacVector("RFC 4231 §4.5 test case 4 (RFC 4868 §2.7.1 PRF-4)", KEY25, CD50,
          "3e8a69b7783c25851933ab6290af6ca77a9981480850009cc5577c6e1f573b4e6801dd23c4a7d679ccf8a386c674cffb"),
      Prf.HMAC_SHA2_512, new MacVector("RFC 4231 §4.5 test case 4 (RFC 4868 §2.7.1 PRF-4)", KEY25, CD50,
          "b0ba465637458c6990e5a8c5f61d4af7e576d97ff94b872de76f8050361ee3db"
              + "a91ca5c11aa25eb4d679275cc5788063a5f19741120c4f2de2adebeb10a298dd"));

  @ParameterizedTest
  @EnumSource(Encryption.class)
  void encryption(Encryption e) throws Exception {
    CipherVector v = CIPHERS.get(e);
    if (!e.implemented()) {
      assertFalse(CryptoRegistry.supported(e) || CryptoRegistry.supportedIkev1(e), e + " is not implemented");
      return;
    }
    assertNotNull(v, e + " has no known-answer vector: add one from its RFC");
    assertEquals(v.out(), hex(Ciphers.encrypt(e, hex(v.key()), hex(v.iv()), hex(v.aad()), hex(v.in()))), v.source());
    assertEquals(v.in(), hex(Ciphers.decrypt(e, hex(v.key()), hex(v.iv()), hex(v.aad()), hex(v.out()))), v.source());
  }

  @ParameterizedTest
  @EnumSource(Integrity.class)
  void integrity(Integrity i) {
    MacVector v = INTEGRITY.get(i);
    if (!i.implemented()) {
      assertFalse(CryptoRegistry.supported(i), i + " is not implemented");
      return;
    }
    assertNotNull(v, i + " has no known-answer vector: add one from its RFC");
    assertEquals(v.out(), hex(IntegrityMac.of(i, hex(v.key())).icv(hex(v.data()))), v.source());
    assertEquals(i.icvSize() * 2, v.out().length(), "the ICV is truncated to the descriptor's size");
  }

  @ParameterizedTest
  @EnumSource(Prf.class)
  void prf(Prf p) {
    MacVector v = PRFS.get(p);
    if (!p.implemented()) {
      assertFalse(CryptoRegistry.supported(p), p + " is not implemented");
      return;
    }
    assertNotNull(v, p + " has no known-answer vector: add one from its RFC");
    assertEquals(v.out(), hex(PrfFunction.of(p, hex(v.key())).apply(hex(v.data()))), v.source());
  }

  @ParameterizedTest
  @EnumSource(DhGroup.class)
  void diffieHellman(DhGroup g) throws Exception {
    DhVector v = dhVector(g);
    assertNotNull(v, g + " has no known-answer vector: add one");
    DhKeyPair i = DiffieHellman.fromPrivate(g, hex(v.privI()));
    assertEquals(v.pubI(), hex(i.publicValue()), v.source());
    assertEquals(v.shared(), hex(i.sharedSecret(hex(v.pubR()))), v.source());
    if (v.privR() != null) {
      DhKeyPair r = DiffieHellman.fromPrivate(g, hex(v.privR()));
      assertEquals(v.pubR(), hex(r.publicValue()), v.source());
      assertEquals(v.shared(), hex(r.sharedSecret(i.publicValue())), v.source());
    }
  }

  private static DhVector dhVector(DhGroup g) {
    switch (g.kind()) {
      case MODP:
        return modpVector(g);
      case CURVE25519:
        return new DhVector("RFC 7748 §6.1", "77076d0a7318a57d3c16c17251b26645df4c2f87ebc0992ab177fba51db92c2a",
            "5dab087e624a8a4b79e17f8b83800ee66f3bb1292618b6fd1c2f8b27ff88e0eb",
            "8520f0098930a754748b7ddcb43ef75a0dbf3a0d26381af4eba4a98eaa9b4e6a",
            "de9edb7d7b7dc1b4d35b61c2ece435373f8343c85b78674dadfc7e146f882b4f",
            "4a5d9d5ba4ce2de1728e3bf480350f25e07e21c947d19e3376f09b3c1e161742");
      default:
        break;
    }
    return switch (g) {
      case ECP256 -> new DhVector("RFC 5903 §8.1", lower(DiffieHellmanTest.P256_I), lower(DiffieHellmanTest.P256_R),
          lower(DiffieHellmanTest.P256_GI), lower(DiffieHellmanTest.P256_GR), lower(DiffieHellmanTest.P256_GIR));
      case ECP384 -> new DhVector("RFC 5903 §8.2", lower(DiffieHellmanTest.P384_I), null,
          lower(DiffieHellmanTest.P384_GI), lower(DiffieHellmanTest.P384_GR), lower(DiffieHellmanTest.P384_GIR));
      case ECP521 -> ecpCrossCheck(g, "secp521r1");
      default -> null;
    };
  }

  private static String lower(String rfcHex) {
    return rfcHex.replaceAll("\\s", "").toLowerCase(java.util.Locale.ROOT);
  }

  /**
   * A fixed-key exchange computed independently: the prime from its published definition (RFC 2409 §6.1-6.2,
   * RFC 3526 §2-7: p = 2^n - 2^(n-64) - 1 + 2^64 * ([2^(n-130) pi] + k), generator 2) and plain modular
   * exponentiation, against the JCE key agreement pluto uses.
   */
  private static DhVector modpVector(DhGroup g) {
    Map<DhGroup, Long> k = Map.of(DhGroup.MODP768, 149686L, DhGroup.MODP1024, 129093L, DhGroup.MODP1536, 741804L,
        DhGroup.MODP2048, 124476L, DhGroup.MODP3072, 1690314L, DhGroup.MODP4096, 240904L,
        DhGroup.MODP6144, 929484L, DhGroup.MODP8192, 4743158L);
    int n = g.publicValueSize() * 8;
    BigInteger p = BigInteger.ONE.shiftLeft(n).subtract(BigInteger.ONE.shiftLeft(n - 64)).subtract(BigInteger.ONE)
        .add(piScaled(n - 130).add(BigInteger.valueOf(k.get(g))).shiftLeft(64));
    assertEquals(p, ModpDh.parameters(g).getP(), g + ": the prime is the published one");
    BigInteger xi = new BigInteger("0123456789abcdeffedcba9876543210" + "0f1e2d3c4b5a69788796a5b4c3d2e1f0", 16);
    BigInteger xr = new BigInteger("c0ffee00c0ffee00c0ffee00c0ffee00" + "1234567890abcdef1234567890abcdef", 16);
    BigInteger two = BigInteger.TWO;
    int len = g.publicValueSize();
    return new DhVector("RFC 3526 prime by its definition, 2^x mod p by BigInteger", hex(xi.toByteArray()),
        hex(xr.toByteArray()), hex(DiffieHellman.toFixed(two.modPow(xi, p), len)),
        hex(DiffieHellman.toFixed(two.modPow(xr, p), len)), hex(DiffieHellman.toFixed(two.modPow(xi.multiply(xr), p), len)));
  }

  /** A fixed-key exchange computed with Bouncy Castle's own curve arithmetic, against the JCE pluto uses. */
  private static DhVector ecpCrossCheck(DhGroup g, String curve) {
    X9ECParameters x9 = SECNamedCurves.getByName(curve);
    BigInteger di = new BigInteger("1f0e2d3c4b5a69788796a5b4c3d2e1f00123456789abcdeffedcba9876543210", 16);
    BigInteger dr = new BigInteger("0bad1dea5eed0bad1dea5eed0bad1dea5eed0bad1dea5eed0bad1dea5eed0bad", 16);
    ECPoint qi = x9.getG().multiply(di).normalize();
    ECPoint qr = x9.getG().multiply(dr).normalize();
    int half = g.publicValueSize() / 2;
    return new DhVector("Bouncy Castle cross-check on " + curve, hex(di.toByteArray()), hex(dr.toByteArray()),
        xy(qi, half), xy(qr, half), hex(DiffieHellman.toFixed(qr.multiply(di).normalize().getAffineXCoord()
            .toBigInteger(), half)));
  }

  private static String xy(ECPoint q, int half) {
    return hex(DiffieHellman.toFixed(q.getAffineXCoord().toBigInteger(), half))
        + hex(DiffieHellman.toFixed(q.getAffineYCoord().toBigInteger(), half));
  }

  /** floor(pi * 2^bits) by Machin's formula, pi = 16 atan(1/5) - 4 atan(1/239). */
  private static BigInteger piScaled(int bits) {
    int guard = 64;
    BigInteger one = BigInteger.ONE.shiftLeft(bits + guard);
    BigInteger pi = atanInv(5, one).shiftLeft(4).subtract(atanInv(239, one).shiftLeft(2));
    return pi.shiftRight(guard);
  }

  private static BigInteger atanInv(int x, BigInteger one) {
    BigInteger sum = BigInteger.ZERO;
    BigInteger xx = BigInteger.valueOf((long) x * x);
    BigInteger power = one.divide(BigInteger.valueOf(x));
    for (int k = 0; power.signum() != 0; k++) {
      BigInteger term = power.divide(BigInteger.valueOf(2L * k + 1));
      sum = k % 2 == 0 ? sum.add(term) : sum.subtract(term);
      power = power.divide(xx);
    }
    return sum;
  }
}
