package org.openswanj.pluto.crypto;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.openswanj.pluto.crypto.AndroidVectors.*;
import static org.openswanj.pluto.crypto.TestSupport.concat;
import static org.openswanj.pluto.crypto.TestSupport.hex;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.openswanj.alg.Encryption;
import org.openswanj.alg.Integrity;
import org.openswanj.alg.Prf;

class Ikev2KeyDerivationTest {

  // Android IKE library vectors (see AndroidVectors): SKEYSEED and all seven keys from Ni, Nr, g^ir, SPIs.
  @Test
  void initialKeysMatchCapturedExchange() {
    assertArrayEquals(hex(SKEYSEED), Ikev2KeyDerivation.skeyseed(Prf.HMAC_SHA1, hex(NI), hex(NR), hex(GIR)));
    IkeSaKeys k = Ikev2KeyDerivation.initial(Prf.HMAC_SHA1, Encryption.AES_CBC, 128, Integrity.HMAC_SHA1_96,
        hex(NI), hex(NR), hex(GIR), SPI_I, SPI_R);
    assertArrayEquals(hex(SK_D), k.skD().bytes());
    assertArrayEquals(hex(SK_AI), k.skAi().bytes());
    assertArrayEquals(hex(SK_AR), k.skAr().bytes());
    assertArrayEquals(hex(SK_EI), k.skEi().bytes());
    assertArrayEquals(hex(SK_ER), k.skEr().bytes());
    assertArrayEquals(hex(SK_PI), k.skPi().bytes());
    assertArrayEquals(hex(SK_PR), k.skPr().bytes());
  }

  // Android IKE library, IkeMacPrfTest.testGenerateSKeySeedHmacSha256.
  @Test
  void skeyseedHmacSha256() {
    byte[] s = Ikev2KeyDerivation.skeyseed(Prf.HMAC_SHA2_256,
        hex("25de54767208d840fbe6881c699cbc8841582eae6f8724ac17c0ad8680e57b3e"),
        hex("7550340a140ce00f523b0e4bddec7671336bbca8c3dd2e31312d36c904950ca4"),
        hex("01FB25276B0D1D9979DAC170B53815988C31A50AD0DF4EEB89B8407EFAE3A676"
            + "281903E48AD020050C9E1522F4DDA031C57A7A3D0CA9D075F044B5212E2A88B92E71"));
    assertEquals("9a3e05d4dbe797dc45da7660db60c9ccceebbc32ca2b0eda5b5a8793ef192e4e", hex(s));
  }

  // RFC 7296 §2.14: with AES-XCBC the SKEYSEED key is the first 8 bytes of Ni ‖ first 8 bytes of Nr; the
  // Android vector (IkeMacPrfTest.testGenerateSKeySeedAes128XCbc) makes that key 000102..0f, so SKEYSEED is
  // the RFC 3566 test case 3 MAC.
  @Test
  void skeyseedAesXcbcTruncatesNonces() {
    byte[] s = Ikev2KeyDerivation.skeyseed(Prf.AES128_XCBC,
        hex("00010203040506079B7BE6465ABD7C5F68B6ED5D3B4C72CB4240EB5C464123"),
        hex("08090a0B0C0D0E0FEE92B73091942A9C06950F98848F1AF1694C4DDFF1"), hex("000102030405060708090a0b0c0d0e0f"));
    assertEquals("d2a246fa349b68a79998a4394ff7a263", hex(s));
  }

  // Android IKE library, SaRecordTest.testMakeChildSaRecord: first child SA without PFS.
  @Test
  void childKeymatSplitsIntoEspKeys() {
    byte[] keymat = Ikev2KeyDerivation.childKeymat(Prf.HMAC_SHA1, hex(SK_D), null, hex(NI), hex(NR),
        EspKeys.keymatLength(16, 20));
    EspKeys esp = EspKeys.split(keymat, 16, 20);
    assertArrayEquals(hex(CHILD_ENC_I), esp.encI().bytes());
    assertArrayEquals(hex(CHILD_INTEG_I), esp.integI().bytes());
    assertArrayEquals(hex(CHILD_ENC_R), esp.encR().bytes());
    assertArrayEquals(hex(CHILD_INTEG_R), esp.integR().bytes());
  }

  @Test
  void childKeymatWithPfsPrependsNewSecret() {
    byte[] gir = hex("0102030405");
    byte[] withPfs = Ikev2KeyDerivation.childKeymat(Prf.HMAC_SHA1, hex(SK_D), gir, hex(NI), hex(NR), 72);
    assertArrayEquals(PrfFunction.of(Prf.HMAC_SHA1, hex(SK_D)).prfPlus(concat(gir, hex(NI), hex(NR)), 72), withPfs);
    assertFalse(Arrays.equals(withPfs, Ikev2KeyDerivation.childKeymat(Prf.HMAC_SHA1, hex(SK_D), null, hex(NI),
        hex(NR), 72)));
  }

  // RFC 7296 §2.18: SKEYSEED = prf(SK_d (old), g^ir (new) | Ni | Nr); keys as in §2.14 with the new PRF.
  @Test
  void rekeyUsesOldSkDAndNewPrf() {
    byte[] ni = hex("11223344556677881122334455667788");
    byte[] nr = hex("99aabbccddeeff0099aabbccddeeff00");
    byte[] gir = hex("deadbeefdeadbeefdeadbeef");
    IkeSaKeys k = Ikev2KeyDerivation.rekey(Prf.HMAC_SHA1, hex(SK_D), Prf.HMAC_SHA2_256, Encryption.AES_GCM_16, 256,
        null, ni, nr, gir, 1L, 2L);
    byte[] skeyseed = PrfFunction.of(Prf.HMAC_SHA1, hex(SK_D)).apply(gir, ni, nr);
    byte[] seed = concat(ni, nr, ByteBuffer.allocate(16).putLong(1L).putLong(2L).array());
    byte[] stream = PrfFunction.of(Prf.HMAC_SHA2_256, skeyseed).prfPlus(seed, 32 + 36 + 36 + 32 + 32);
    assertArrayEquals(Arrays.copyOfRange(stream, 0, 32), k.skD().bytes());
    assertEquals(0, k.skAi().length());
    assertEquals(0, k.skAr().length());
    assertArrayEquals(Arrays.copyOfRange(stream, 32, 68), k.skEi().bytes());
    assertArrayEquals(Arrays.copyOfRange(stream, 68, 104), k.skEr().bytes());
    assertArrayEquals(Arrays.copyOfRange(stream, 136, 168), k.skPr().bytes());
  }

  @Test
  void encKeyLengthIncludesSalt() {
    assertEquals(16, Ikev2KeyDerivation.encKeyLength(Encryption.AES_CBC, 128));
    assertEquals(32, Ikev2KeyDerivation.encKeyLength(Encryption.AES_CBC, 256));
    assertEquals(24, Ikev2KeyDerivation.encKeyLength(Encryption.DES3_CBC, 0));
    assertEquals(20, Ikev2KeyDerivation.encKeyLength(Encryption.AES_GCM_16, 128));
    assertEquals(36, Ikev2KeyDerivation.encKeyLength(Encryption.AES_GCM_8, 256));
    assertEquals(36, Ikev2KeyDerivation.encKeyLength(Encryption.CHACHA20_POLY1305, 0));
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> Ikev2KeyDerivation.encKeyLength(Encryption.AES_CBC, 100));
    assertEquals("aes does not take a 100-bit key", e.getMessage());
  }

  @Test
  void aeadAndIntegrityMustAgree() {
    byte[] n = new byte[16];
    assertThrows(IllegalArgumentException.class, () -> Ikev2KeyDerivation.initial(Prf.HMAC_SHA1,
        Encryption.AES_GCM_16, 128, Integrity.HMAC_SHA1_96, n, n, n, 1, 2));
    assertThrows(IllegalArgumentException.class, () -> Ikev2KeyDerivation.initial(Prf.HMAC_SHA1,
        Encryption.AES_CBC, 128, null, n, n, n, 1, 2));
  }

  @Test
  void keysAreRedactedAndWipeable() {
    IkeSaKeys k = Ikev2KeyDerivation.initial(Prf.HMAC_SHA1, Encryption.AES_CBC, 128, Integrity.HMAC_SHA1_96,
        hex(NI), hex(NR), hex(GIR), SPI_I, SPI_R);
    String s = k.toString();
    assertFalse(s.toLowerCase().contains(SK_D.substring(0, 8).toLowerCase()), s);
    assertTrue(s.contains("redacted"), s);
    k.wipe();
    assertTrue(k.skEi().isWiped());
    assertThrows(IllegalStateException.class, () -> k.skD().bytes());
    assertEquals("SecretBytes[wiped]", k.skPi().toString());
    assertEquals("SecretBytes[3 bytes, redacted]", SecretBytes.of("abc".getBytes(StandardCharsets.US_ASCII))
        .toString());
  }
}
