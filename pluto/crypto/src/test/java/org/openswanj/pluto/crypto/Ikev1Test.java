package org.openswanj.pluto.crypto;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.openswanj.pluto.crypto.TestSupport.concat;
import static org.openswanj.pluto.crypto.TestSupport.hex;

import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.openswanj.alg.Encryption;
import org.openswanj.alg.Prf;

class Ikev1Test {
  // RUB-NDS IPsec-StateMachineExtractor, IKEv1HandshakeSessionSecretsTest.testComputeSecretKeys: Main Mode with
  // PSK "AAAA", SHA-1, AES-128, MODP1024, against a real responder.
  private static final byte[] CKY_I = hex("7116900aa5c2880d");
  private static final byte[] CKY_R = hex("047ad6f8b3d0abb7");
  private static final byte[] NI = hex("4654fdd74594982a");
  private static final byte[] NR = hex("3673e64987b4956dbb8b933399251a5abf88f557a723b802b345f838667e9a4e");
  private static final byte[] GXI = hex("75fb75db0749d4b15d9bb067b63399f790246dd7919d0c0a88fc34dd76eb9ad204e162b2"
      + "61914c0966a2d32d05178d4c0f0ec3817692fca675678f2fd2a6869188b943e33ad44cc859a5af98d6d5332c538cff4174ee737c86"
      + "24de910cc40bd953f7940d1b2d8a681cee03c85199fbe773bfa100ffea5fcb82eed25a399b0b3e");
  private static final byte[] GXR = hex("2096a31ff922e5224d9d19f06a41e2d9aebe1180d4e5cbc3d6ea166e2b8810d5ddd04837"
      + "5025ae9bf895ad40c508cd8b9398bded0d00ae7e77c1a1eb31930495106892630152a926a45037606cda4651340082fc10558786b4"
      + "d8c4e6d72222d580d9a30d9c3b7fe9c348a6eadc5e79a24fe4b4364297b5ff71914ef8a6980e73");
  private static final byte[] SAI_B = hex("00000001000000010000002c01010001000000240101000080010007800e00808002000280"
      + "04000280030001800b0001800c7080");
  private static final byte[] IDIR_B = hex("010000000a00030a");
  private static final byte[] GXY = hex("19B67B23EB5F792EC9D7E11D16501CA20F2A2D0B230D525CD824DFB16867B515DC2CE956"
      + "0B20B2149BFB360C1662C26A5AD7FE1FAA86E66213238C80B2ED46CCB821BF5043093027EB6E32C71685A093306DF20C24190C7F93"
      + "947FA21E56D10E4C5B7063B2B4DC1747F1DF0BD46975D1825EEDE335E3ACBAD71A063CECF866C7");

  @Test
  void mainModePskMatchesCapturedExchange() {
    byte[] skeyid = Ikev1KeyDerivation.skeyidPsk(Prf.HMAC_SHA1, "AAAA".getBytes(StandardCharsets.US_ASCII), NI, NR);
    assertEquals("49856bc53f30db8ce55f5befae9e42431279550c", hex(skeyid));
    Ikev1Phase1Keys k = Ikev1KeyDerivation.phase1(Prf.HMAC_SHA1, skeyid, GXY, CKY_I, CKY_R, 16);
    assertEquals("e5d7368180a8766f09c90cc9ac15182d3cd492ee", hex(k.skeyidD().bytes()));
    assertEquals("92de109fe83047c95812b600820f1476cd24aa49", hex(k.skeyidA().bytes()));
    assertEquals("de5d24679ad21491e63e2d7173017769cd7b9bc5", hex(k.skeyidE().bytes()));
    assertEquals("de5d24679ad21491e63e2d7173017769", hex(k.encKey().bytes()));
    assertEquals("139568606df1337cbcbc8fa7d201c8a8", hex(Ikev1KeyDerivation.phase1Iv(Prf.HMAC_SHA1, GXI, GXR, 16)));
    assertEquals("ba8c49cfd796bdc78e63ff6b5a858fc289dad933",
        hex(Ikev1KeyDerivation.hashR(Prf.HMAC_SHA1, skeyid, GXI, GXR, CKY_I, CKY_R, SAI_B, IDIR_B)));
  }

  // Same source, testComputeSecretKeysInformationalExchange: the IV of an Informational exchange with
  // M-ID d8029d42 = hash(phase 1 IV | M-ID) when no phase 1 message was encrypted yet.
  @Test
  void phase2IvMatchesCapturedExchange() {
    byte[] p1iv = hex("0E09ED33BAC3584D1D10762A9BD026C1");
    assertEquals("0bf60ed4c34fea8a12077a204dfd413f",
        hex(Ikev1KeyDerivation.phase2Iv(Prf.HMAC_SHA1, p1iv, 0xd8029d42, 16)));
  }

  // RFC 2409 Appendix B: a 3DES key (24 bytes) from a 20-byte SKEYID_e is K1 | K2 truncated,
  // K1 = prf(SKEYID_e, 0), K2 = prf(SKEYID_e, K1).
  @Test
  void appendixBKeyExpansion() {
    byte[] e = hex("de5d24679ad21491e63e2d7173017769cd7b9bc5");
    PrfFunction f = PrfFunction.of(Prf.HMAC_SHA1, e);
    byte[] k1 = f.apply(new byte[] {0});
    byte[] k2 = f.apply(k1);
    assertArrayEquals(Arrays.copyOf(concat(k1, k2), 24), Ikev1KeyDerivation.cipherKey(Prf.HMAC_SHA1, e, 24));
    assertArrayEquals(Arrays.copyOf(e, 16), Ikev1KeyDerivation.cipherKey(Prf.HMAC_SHA1, e, 16));
  }

  @Test
  void signatureSkeyidAndHashI() {
    byte[] s = Ikev1KeyDerivation.skeyidSignature(Prf.HMAC_SHA1, NI, NR, GXY);
    assertArrayEquals(PrfFunction.of(Prf.HMAC_SHA1, concat(NI, NR)).apply(GXY), s);
    byte[] hashI = Ikev1KeyDerivation.hashI(Prf.HMAC_SHA1, s, GXI, GXR, CKY_I, CKY_R, SAI_B, IDIR_B);
    assertArrayEquals(PrfFunction.of(Prf.HMAC_SHA1, s).apply(concat(GXI, GXR, CKY_I, CKY_R, SAI_B, IDIR_B)), hashI);
  }

  // RFC 2409 §5.5: KEYMAT = K1 | K2 | ..., K1 = prf(SKEYID_d, [g(qm)^xy |] protocol | SPI | Ni_b | Nr_b),
  // K2 = prf(SKEYID_d, K1 | [g(qm)^xy |] protocol | SPI | Ni_b | Nr_b).
  @Test
  void quickModeKeymat() {
    byte[] d = hex("e5d7368180a8766f09c90cc9ac15182d3cd492ee");
    byte[] tail = concat(new byte[] {3}, hex("cafe0123"), NI, NR);
    PrfFunction f = PrfFunction.of(Prf.HMAC_SHA1, d);
    byte[] k1 = f.apply(tail);
    byte[] k2 = f.apply(k1, tail);
    byte[] k3 = f.apply(k2, tail);
    byte[] km = Ikev1KeyDerivation.quickModeKeymat(Prf.HMAC_SHA1, d, null, 3, 0xcafe0123, NI, NR, 52);
    assertArrayEquals(Arrays.copyOf(concat(k1, k2, k3), 52), km);
    byte[] pfs = Ikev1KeyDerivation.quickModeKeymat(Prf.HMAC_SHA1, d, hex("0102"), 3, 0xcafe0123, NI, NR, 52);
    assertArrayEquals(Arrays.copyOf(f.apply(hex("0102"), tail), 20), Arrays.copyOf(pfs, 20));
    assertFalse(Arrays.equals(km, pfs));
  }

  // RFC 2409 §5.5: HASH(1), HASH(2), HASH(3).
  @Test
  void quickModeHashes() {
    byte[] a = hex("92de109fe83047c95812b600820f1476cd24aa49");
    PrfFunction f = PrfFunction.of(Prf.HMAC_SHA1, a);
    byte[] mid = hex("d8029d42");
    byte[] rest = hex("0a0b0c");
    assertArrayEquals(f.apply(mid, rest), Ikev1KeyDerivation.quickHash1(Prf.HMAC_SHA1, a, 0xd8029d42, rest));
    assertArrayEquals(f.apply(mid, NI, rest), Ikev1KeyDerivation.quickHash2(Prf.HMAC_SHA1, a, 0xd8029d42, NI, rest));
    assertArrayEquals(f.apply(new byte[] {0}, mid, NI, NR),
        Ikev1KeyDerivation.quickHash3(Prf.HMAC_SHA1, a, 0xd8029d42, NI, NR));
  }

  // NIST SP 800-38A F.2.1 (CBC-AES128.Encrypt), first block.
  @Test
  void aesCbcKnownAnswer() throws Exception {
    byte[] key = hex("2b7e151628aed2a6abf7158809cf4f3c");
    byte[] iv = hex("000102030405060708090a0b0c0d0e0f");
    byte[] c = Ikev1Cipher.encrypt(Encryption.AES_CBC, key, iv, hex("6bc1bee22e409f96e93d7e117393172a"));
    assertEquals("7649abac8119b246cee98e9b12e9197d", hex(c));
    assertEquals("6bc1bee22e409f96e93d7e117393172a", hex(Ikev1Cipher.decrypt(Encryption.AES_CBC, key, iv, c)));
  }

  @Test
  void cbcPadsWithZerosAndChainsIvs() throws Exception {
    SecureRandom r = new SecureRandom();
    for (Encryption enc : new Encryption[] {Encryption.AES_CBC, Encryption.DES3_CBC}) {
      byte[] key = new byte[enc == Encryption.DES3_CBC ? 24 : 32];
      r.nextBytes(key);
      byte[] iv = new byte[enc.blockSize()];
      byte[] plain = hex("0102030405");
      byte[] c = Ikev1Cipher.encrypt(enc, key, iv, plain);
      assertEquals(enc.blockSize(), c.length);
      byte[] p = Ikev1Cipher.decrypt(enc, key, iv, c);
      assertArrayEquals(Arrays.copyOf(plain, enc.blockSize()), p); // RFC 2409 App. B: 0x00 padding
      assertArrayEquals(Arrays.copyOfRange(c, c.length - enc.blockSize(), c.length),
          Ikev1Cipher.lastBlock(c, enc.blockSize()));
      IntegrityException e = assertThrows(IntegrityException.class,
          () -> Ikev1Cipher.decrypt(enc, key, iv, new byte[enc.blockSize() + 1]));
      assertEquals("IKEv1 encrypted body of " + (enc.blockSize() + 1) + " bytes is not a multiple of the "
          + enc.configName() + " block size " + enc.blockSize(), e.getMessage());
    }
  }

  @Test
  void ikev1CipherRefusesWrongSizes() {
    assertThrows(IllegalArgumentException.class,
        () -> Ikev1Cipher.encrypt(Encryption.AES_CBC, new byte[15], new byte[16], new byte[1]));
    assertThrows(IllegalArgumentException.class,
        () -> Ikev1Cipher.encrypt(Encryption.AES_CBC, new byte[16], new byte[8], new byte[1]));
    assertThrows(IllegalArgumentException.class,
        () -> Ikev1Cipher.encrypt(Encryption.AES_GCM_16, new byte[16], new byte[16], new byte[1]));
  }
}
