package org.openswanj.pluto.crypto;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.openswanj.pluto.crypto.TestSupport.hex;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.openswanj.alg.Integrity;
import org.openswanj.alg.Prf;

class PrfFunctionTest {
  private static final byte[] HI_THERE = "Hi There".getBytes(StandardCharsets.US_ASCII);
  private static final byte[] JEFE = "Jefe".getBytes(StandardCharsets.US_ASCII);
  private static final byte[] WHAT = "what do ya want for nothing?".getBytes(StandardCharsets.US_ASCII);

  private static byte[] repeat(int b, int n) {
    byte[] out = new byte[n];
    Arrays.fill(out, (byte) b);
    return out;
  }

  // RFC 2202 §2 (HMAC-MD5) and §3 (HMAC-SHA-1), test cases 1 and 2.
  @Test
  void rfc2202() {
    assertEquals("9294727a3638bb1c13f48ef8158bfc9d", hex(PrfFunction.of(Prf.HMAC_MD5, repeat(0x0b, 16)).apply(HI_THERE)));
    assertEquals("750c783e6ab0b503eaa86e310a5db738", hex(PrfFunction.of(Prf.HMAC_MD5, JEFE).apply(WHAT)));
    assertEquals("b617318655057264e28bc0b6fb378c8ef146be00",
        hex(PrfFunction.of(Prf.HMAC_SHA1, repeat(0x0b, 20)).apply(HI_THERE)));
    assertEquals("effcdf6ae5eb2fa2d27416d5f184df9c259a7c79", hex(PrfFunction.of(Prf.HMAC_SHA1, JEFE).apply(WHAT)));
  }

  // RFC 4231 §4.2 (test case 1) and §4.3 (test case 2).
  @Test
  void rfc4231() {
    assertEquals("b0344c61d8db38535ca8afceaf0bf12b881dc200c9833da726e9376c2e32cff7",
        hex(PrfFunction.of(Prf.HMAC_SHA2_256, repeat(0x0b, 20)).apply(HI_THERE)));
    assertEquals("afd03944d84895626b0825f4ab46907f15f9dadbe4101ec682aa034c7cebc59cfaea9ea9076ede7f4af152e8b2fa9cb6",
        hex(PrfFunction.of(Prf.HMAC_SHA2_384, repeat(0x0b, 20)).apply(HI_THERE)));
    assertEquals("87aa7cdea5ef619d4ff0b4241a1d6cb02379f4e2ce4ec2787ad0b30545e17cdedaa833b7d6b8a702038b274eaea3f4e4"
        + "be9d914eeb61f1702e696c203a126854", hex(PrfFunction.of(Prf.HMAC_SHA2_512, repeat(0x0b, 20)).apply(HI_THERE)));
    assertEquals("5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843",
        hex(PrfFunction.of(Prf.HMAC_SHA2_256, JEFE).apply(WHAT)));
    assertEquals("af45d2e376484031617f78d2b58a6b1b9c7ef464f5a01b47e42ec3736322445e8e2240ca5e69e2c78b3239ecfab21649",
        hex(PrfFunction.of(Prf.HMAC_SHA2_384, JEFE).apply(WHAT)));
    assertEquals("164b7a7bfcf819e2e395fbe73b56e0a387bd64222e831fd610270cd7ea2505549758bf75c05a994a6d034f65f8f0e6fd"
        + "caeab1a34d4a6b4b636e070a38bce737", hex(PrfFunction.of(Prf.HMAC_SHA2_512, JEFE).apply(WHAT)));
  }

  @Test
  void applyConcatenatesItsArguments() {
    PrfFunction f = PrfFunction.of(Prf.HMAC_SHA1, JEFE);
    assertArrayEquals(f.apply(WHAT), f.apply(Arrays.copyOf(WHAT, 5), Arrays.copyOfRange(WHAT, 5, WHAT.length)));
  }

  // RFC 4434 §4: AES-XCBC-PRF-128 with 16-, 10- and 18-byte keys over the 20-byte message 000102..13.
  @ParameterizedTest
  @CsvSource({
    "000102030405060708090a0b0c0d0e0f, 47f51b4564966215b8985c63055ed308",
    "00010203040506070809, 0fa087af7d866e7653434e602fdde835",
    "000102030405060708090a0b0c0d0e0fedcb, 8cd3c93ae598a9803006ffb67c40e9e4"})
  void rfc4434(String key, String expected) {
    byte[] msg = hex("000102030405060708090a0b0c0d0e0f10111213");
    assertEquals(expected, hex(PrfFunction.of(Prf.AES128_XCBC, hex(key)).apply(msg)));
  }

  // RFC 3566 §4.6 test cases 1-7 (key 000102..0f); AES-XCBC-MAC-96 is the first 12 bytes.
  @ParameterizedTest
  @CsvSource({
    "0, 75f0251d528ac01c4573dfd5",
    "3, 5b376580ae2f19afe7219cee",
    "16, d2a246fa349b68a79998a439",
    "20, 47f51b4564966215b8985c63",
    "32, f54f0ec8d2b9f3d36807734b",
    "34, becbb3bccdb518a30677d548"})
  void rfc3566CountingMessages(int len, String icv) {
    byte[] msg = new byte[len];
    for (int i = 0; i < len; i++) {
      msg[i] = (byte) i;
    }
    IntegrityMac mac = IntegrityMac.of(Integrity.AES_XCBC_96, hex("000102030405060708090a0b0c0d0e0f"));
    assertEquals(icv, hex(mac.icv(msg)));
  }

  @Test
  void rfc3566ThousandZeroBytes() {
    IntegrityMac mac = IntegrityMac.of(Integrity.AES_XCBC_96, hex("000102030405060708090a0b0c0d0e0f"));
    assertEquals("f0dafee895db30253761103b", hex(mac.icv(new byte[1000])));
  }

  // RFC 4868 §2.6 / RFC 2404: the ICV is the HMAC truncated to icvSize (RFC 4231 test case 2 again).
  @Test
  void hmacIntegrityIsTruncatedHmac() {
    IntegrityMac mac = IntegrityMac.of(Integrity.HMAC_SHA2_256_128, Arrays.copyOf(JEFE, 32));
    byte[] full = PrfFunction.of(Prf.HMAC_SHA2_256, Arrays.copyOf(JEFE, 32)).apply(WHAT);
    assertArrayEquals(Arrays.copyOf(full, 16), mac.icv(WHAT));
  }

  @Test
  void integrityKeyOfWrongSizeIsRefused() {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> IntegrityMac.of(Integrity.HMAC_SHA1_96, new byte[16]));
    assertEquals("HMAC_SHA1_96 needs a 20-byte key, got 16", e.getMessage());
  }

  // Android IKE library, SaRecordTest/IkeMacPrfTest (AOSP packages/modules/IPsec): KEYMAT for the IKE SA of a
  // captured exchange = prf+(SKEYSEED, Ni | Nr | SPIi | SPIr), HMAC-SHA1.
  @Test
  void prfPlusMatchesAndroidVector() {
    byte[] seed = hex("C39B7F368F4681B89FA9B7BE6465ABD7C5F68B6ED5D3B4C72CB4240EB5C46412"
        + "9756112CA539F5C25ABACC7EE92B73091942A9C06950F98848F1AF1694C4DDFF" + "5F54BF6D8B48E6E1" + "909232B3D1EDCB5C");
    byte[] out = PrfFunction.of(Prf.HMAC_SHA1, hex("8C42F3B1F5F81C7BAAC5F33E9A4F01987B2F9657")).prfPlus(seed, 132);
    assertEquals(("C86B56EFCF684DCC2877578AEF3137167FE0EBF6" + "554FBF5A05B7F511E05A30CE23D874DB9EF55E51"
        + "36D83420788337CA32ECAA46892C48808DCD58B1" + "5CBFD33F75796C0188C4A3A546AEC4A1"
        + "C33B35FCF29514CD9D8B4A695E1A816E" + "094787780EE466E2CB049FA327B43908BC57E485"
        + "A30E6B08BE56C0E6BFF4744143C75219299E1BEB").toLowerCase(), hex(out));
  }

  @Test
  void prfPlusDefinition() {
    // RFC 7296 §2.13: T1 = prf(K, S | 0x01), T2 = prf(K, T1 | S | 0x02)
    PrfFunction f = PrfFunction.of(Prf.HMAC_SHA2_256, JEFE);
    byte[] t1 = f.apply(WHAT, new byte[] {1});
    byte[] t2 = f.apply(t1, WHAT, new byte[] {2});
    assertArrayEquals(Arrays.copyOf(TestSupport.concat(t1, t2), 40), f.prfPlus(WHAT, 40));
  }

  @Test
  void prfPlusRefusesMoreThan255Blocks() {
    PrfFunction f = PrfFunction.of(Prf.HMAC_SHA1, JEFE);
    assertEquals(255 * 20, f.prfPlus(WHAT, 255 * 20).length);
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> f.prfPlus(WHAT, 255 * 20 + 1));
    assertEquals("prf+ can give 0..5100 bytes, asked 5101", e.getMessage());
  }

  @Test
  void emptyHmacKeyEqualsZeroKey() {
    assertArrayEquals(PrfFunction.of(Prf.HMAC_SHA1, new byte[1]).apply(WHAT),
        PrfFunction.of(Prf.HMAC_SHA1, new byte[0]).apply(WHAT));
  }

  @Test
  void toStringHidesKey() {
    assertEquals("PrfFunction[HMAC_SHA1, key redacted]", PrfFunction.of(Prf.HMAC_SHA1, JEFE).toString());
  }
}
