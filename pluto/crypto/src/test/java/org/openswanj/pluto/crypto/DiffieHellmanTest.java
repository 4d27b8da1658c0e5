package org.openswanj.pluto.crypto;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.openswanj.pluto.crypto.TestSupport.concat;
import static org.openswanj.pluto.crypto.TestSupport.hex;

import java.math.BigInteger;
import java.security.SecureRandom;
import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.openswanj.alg.DhGroup;

class DiffieHellmanTest {
  private final SecureRandom random = new SecureRandom();

  // RFC 5903 §8.1 (256-bit random ECP group).
  static final String P256_I = "C88F01F5 10D9AC3F 70A292DA A2316DE5 44E9AAB8 AFE84049 C62A9C57 862D1433";
  static final String P256_GI = "DAD0B653 94221CF9 B051E1FE CA5787D0 98DFE637 FC90B9EF 945D0C37 72581180"
      + "5271A046 1CDB8252 D61F1C45 6FA3E59A B1F45B33 ACCF5F58 389E0577 B8990BB3";
  static final String P256_R = "C6EF9C5D 78AE012A 011164AC B397CE20 88685D8F 06BF9BE0 B283AB46 476BEE53";
  static final String P256_GR = "D12DFB52 89C8D4F8 1208B702 70398C34 2296970A 0BCCB74C 736FC755 4494BF63"
      + "56FBF3CA 366CC23E 8157854C 13C58D6A AC23F046 ADA30F83 53E74F33 039872AB";
  static final String P256_GIR = "D6840F6B 42F6EDAF D13116E0 E1256520 2FEF8E9E CE7DCE03 812464D0 4B9442DE";

  // RFC 5903 §8.2 (384-bit random ECP group).
  static final String P384_I = "099F3C70 34D4A2C6 99884D73 A375A67F 7624EF7C 6B3C0F16 0647B674 14DCE655"
      + "E35B5380 41E649EE 3FAEF896 783AB194";
  static final String P384_GI = "667842D7 D180AC2C DE6F74F3 7551F557 55C7645C 20EF73E3 1634FE72 B4C55EE6"
      + "DE3AC808 ACB4BDB4 C88732AE E95F41AA" + "9482ED1F C0EEB9CA FC498462 5CCFC23F 65032149 E0E144AD A0241815 35A0F38E"
      + "EB9FCFF3 C2C947DA E69B4C63 4573A81C";
  static final String P384_GR = "E558DBEF 53EECDE3 D3FCCFC1 AEA08A89 A987475D 12FD950D 83CFA417 32BC509D"
      + "0D1AC43A 0336DEF9 6FDA41D0 774A3571" + "DCFBEC7A ACF31964 72169E83 8430367F 66EEBE3C 6E70C416 DD5F0C68 759DD1FF"
      + "F83FA401 42209DFF 5EAAD96D B9E6386C";
  static final String P384_GIR = "11187331 C279962D 93D60424 3FD592CB 9D0A926F 422E4718 7521287E 7156C5C4"
      + "D6031355 69B9E9D0 9CF5D4A2 70F59746";

  // RFC 7748 §5.2: the two X25519 scalar/u vectors; the second u has its top bit set, which must be masked.
  @Test
  void rfc7748ScalarMultiplication() throws Exception {
    assertEquals("c3da55379de9c6908e94ea4df28d084f32eccf03491c71f754b4075577a28552",
        hex(DiffieHellman.fromPrivate(DhGroup.CURVE25519,
            hex("a546e36bf0527c9d3b16154b82465edd62144c0ac1fc5a18506a2244ba449ac4"))
            .sharedSecret(hex("e6db6867583030db3594c1a424b15f7c726624ec26b3353b10a903a6d0ab1c4c"))));
    assertEquals("95cbde9476e8907d7aade45cb4b873f88b595a68799fa152e6f8f7647aac7957",
        hex(DiffieHellman.fromPrivate(DhGroup.CURVE25519,
            hex("4b66e9d4d1b4673c5ad22691957d6af5c11b6421e0ea01d42ca4169e7918ba0d"))
            .sharedSecret(hex("e5210f12786811d3f4b7959d0538ae2c31dbe7106fc03c3efc4cd549c715a493"))));
  }

  @ParameterizedTest
  @EnumSource(DhGroup.class)
  void twoPartyAgreementInEveryGroup(DhGroup g) throws Exception {
    DhKeyPair a = DiffieHellman.generate(g, random);
    DhKeyPair b = DiffieHellman.generate(g, random);
    assertEquals(g.publicValueSize(), a.publicValue().length);
    byte[] s = a.sharedSecret(b.publicValue());
    assertArrayEquals(s, b.sharedSecret(a.publicValue()));
    int expected = switch (g) {
      case ECP256, ECP384, ECP521 -> g.publicValueSize() / 2;
      default -> g.publicValueSize();
    };
    assertEquals(expected, s.length);
    assertTrue(CryptoRegistry.supported(g));
  }

  @Test
  void injectedRandomMakesKeysReproducible() {
    byte[] seed = new byte[64];
    Arrays.fill(seed, (byte) 0x5a);
    for (DhGroup g : new DhGroup[] {DhGroup.MODP2048, DhGroup.ECP256, DhGroup.CURVE25519}) {
      assertArrayEquals(DiffieHellman.generate(g, new TestSupport.FixedRandom(seed)).publicValue(),
          DiffieHellman.generate(g, new TestSupport.FixedRandom(seed)).publicValue(), g.toString());
    }
  }

  // RFC 3526 §3, the 2048-bit MODP group prime as printed.
  @Test
  void modp2048PrimeMatchesRfc3526Hex() {
    String p = "FFFFFFFF FFFFFFFF C90FDAA2 2168C234 C4C6628B 80DC1CD1 29024E08 8A67CC74 020BBEA6 3B139B22 514A0879"
        + "8E3404DD EF9519B3 CD3A431B 302B0A6D F25F1437 4FE1356D 6D51C245 E485B576 625E7EC6 F44C42E9 A637ED6B 0BFF5CB6"
        + "F406B7ED EE386BFB 5A899FA5 AE9F2411 7C4B1FE6 49286651 ECE45B3D C2007CB8 A163BF05 98DA4836 1C55D39A 69163FA8"
        + "FD24CF5F 83655D23 DCA3AD96 1C62F356 208552BB 9ED52907 7096966D 670C354E 4ABC9804 F1746C08 CA18217C 32905E46"
        + "2E36CE3B E39E772C 180E8603 9B2783A2 EC07A28F B5C55DF0 6F4C52C9 DE2BCBF6 95581718 3995497C EA956AE5 15D22618"
        + "98FA0510 15728E5A 8AACAA68 FFFFFFFF FFFFFFFF";
    assertEquals(new BigInteger(1, hex(p)), ModpDh.parameters(DhGroup.MODP2048).getP());
  }

  @Test
  void modpRejectsDegenerateValues() {
    DhKeyPair a = DiffieHellman.generate(DhGroup.MODP1024, random);
    BigInteger p = ModpDh.parameters(DhGroup.MODP1024).getP();
    for (BigInteger y : new BigInteger[] {BigInteger.ZERO, BigInteger.ONE, p.subtract(BigInteger.ONE), p}) {
      InvalidKeException e = assertThrows(InvalidKeException.class,
          () -> a.sharedSecret(DiffieHellman.toFixed(y, 128)));
      assertEquals("modp1024: peer public value must satisfy 1 < y < p-1", e.getMessage());
    }
    InvalidKeException e = assertThrows(InvalidKeException.class, () -> a.sharedSecret(new byte[127]));
    assertEquals("modp1024: KE data is 127 bytes, expected 128", e.getMessage());
  }

  @Test
  void ecpRejectsPointsOffTheCurveAndWrongLengths() {
    DhKeyPair i = DiffieHellman.fromPrivate(DhGroup.ECP256, hex(P256_I));
    byte[] bad = hex(P256_GR);
    bad[63] ^= 1;
    InvalidKeException e = assertThrows(InvalidKeException.class, () -> i.sharedSecret(bad));
    assertEquals("ecp256: peer public value is not a point on the curve", e.getMessage());
    e = assertThrows(InvalidKeException.class, () -> i.sharedSecret(new byte[64]));
    assertEquals("ecp256: peer public value is not a point on the curve", e.getMessage());
    byte[] big = new byte[64];
    Arrays.fill(big, (byte) 0xff);
    e = assertThrows(InvalidKeException.class, () -> i.sharedSecret(big));
    assertEquals("ecp256: peer point coordinate not below the field prime", e.getMessage());
    // SEC 1 form with the 0x04 tag is not the IKE encoding (RFC 5903 §7).
    e = assertThrows(InvalidKeException.class, () -> i.sharedSecret(concat(new byte[] {4}, hex(P256_GR))));
    assertEquals("ecp256: KE data is 65 bytes, expected 64 (x ‖ y, RFC 5903 §7)", e.getMessage());
    DhKeyPair p521 = DiffieHellman.generate(DhGroup.ECP521, random);
    assertThrows(InvalidKeException.class, () -> p521.sharedSecret(new byte[132]));
  }

  @Test
  void x25519RejectsAllZeroResultAndWrongLength() {
    DhKeyPair a = DiffieHellman.generate(DhGroup.CURVE25519, random);
    InvalidKeException e = assertThrows(InvalidKeException.class, () -> a.sharedSecret(new byte[32]));
    assertTrue(e.getMessage().startsWith("curve25519: "), e.getMessage());
    assertTrue(e.getMessage().contains("RFC 8031 §2"), e.getMessage());
    byte[] one = new byte[32];
    one[0] = 1; // u = 1 has small order too
    assertThrows(InvalidKeException.class, () -> a.sharedSecret(one));
    e = assertThrows(InvalidKeException.class, () -> a.sharedSecret(new byte[33]));
    assertEquals("curve25519: KE data is 33 bytes, expected 32 (RFC 8031 §3)", e.getMessage());
  }

  @Test
  void toStringNeverShowsPrivateValue() {
    DhKeyPair i = DiffieHellman.fromPrivate(DhGroup.ECP256, hex(P256_I));
    assertEquals("DhKeyPair[ecp256, private value redacted]", i.toString());
    assertFalse(i.toString().toLowerCase().contains("c88f01f5"));
  }
}
