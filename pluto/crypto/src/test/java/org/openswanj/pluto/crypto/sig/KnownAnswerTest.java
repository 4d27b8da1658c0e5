package org.openswanj.pluto.crypto.sig;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.InputStreamReader;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.security.KeyFactory;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.interfaces.RSAPrivateCrtKey;
import java.security.interfaces.RSAPublicKey;
import java.security.spec.ECPoint;
import java.security.spec.ECPrivateKeySpec;
import java.security.spec.ECPublicKeySpec;
import java.security.spec.EdECPrivateKeySpec;
import java.security.spec.NamedParameterSpec;
import java.security.spec.RSAKeyGenParameterSpec;
import java.security.spec.RSAPublicKeySpec;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import org.bouncycastle.asn1.pkcs.PrivateKeyInfo;
import org.bouncycastle.jce.ECNamedCurveTable;
import org.bouncycastle.jce.spec.ECNamedCurveParameterSpec;
import org.bouncycastle.openssl.PEMParser;
import org.bouncycastle.openssl.jcajce.JcaPEMKeyConverter;
import org.junit.jupiter.api.Test;

/** Known answers from the RFCs and from OpenSSL, one per scheme whose output is fixed or whose input is given. */
class KnownAnswerTest {
  private static byte[] hex(String s) {
    return HexFormat.of().parseHex(s.replaceAll("\\s", ""));
  }

  // RFC 4754 §8.1-8.3: private key w, message "abc", signature r ‖ s (each left-padded to the curve size, §7).
  record Rfc4754(KeyKind curve, String name, String w, String r, String s) {}

  private static final List<Rfc4754> RFC4754 = List.of(
      new Rfc4754(KeyKind.ECDSA_P256, "secp256r1",
          "DC51D386 6A15BACD E33D96F9 92FCA99D A7E6EF09 34E70975 59C27F16 14C88A7F",
          "CB28E099 9B9C7715 FD0A80D8 E47A7707 9716CBBF 917DD72E 97566EA1 C066957C",
          "86FA3BB4 E26CAD5B F90B7F81 899256CE 7594BB1E A0C89212 748BFF3B 3D5B0315"),
      new Rfc4754(KeyKind.ECDSA_P384, "secp384r1",
          "0BEB6466 34BA8773 5D77AE48 09A0EBEA 865535DE 4C1E1DCB 692E8470 8E81A5AF 62E528C3 8B2A81B3 5309668D 73524D9F",
          "FB017B91 4E291494 32D8BAC2 9A514640 B46F53DD AB2C6994 8084E293 0F1C8F7E 08E07C9C 63F2D21A 07DCB56A 6AF56EB3",
          "B263A130 5E057F98 4D38726A 1B468741 09F417BC A112674C 528262A4 0A629AF1 CBB9F516 CE0FA7D2 FF630863 A00E8B9F"),
      new Rfc4754(KeyKind.ECDSA_P521, "secp521r1",
          "0065FDA3 409451DC AB0A0EAD 45495112 A3D813C1 7BFD34BD F8C1209D 7DF58491 20597779 060A7FF9 D704ADF7 8B570FFA"
              + " D6F062E9 5C7E0C5D 5481C5B1 53B48B37 5FA1",
          "0154FD38 36AF92D0 DCA57DD5 341D3053 988534FD E8318FC6 AAAAB68E 2E6F4339 B19F2F28 1A7E0B22 C269D93C F8794A92"
              + " 78880ED7 DBB8D936 2CAEACEE 54432055 2251",
          "017705A7 030290D1 CEB605A9 A1BB03FF 9CDD521E 87A696EC 926C8C10 C8362DF4 97536710 1F67D1CF 9BCCBF2F 3D239534"
              + " FA509E70 AAC851AE 01AAC68D 62F86647 2660"));

  @Test
  void rfc4754SignaturesVerifyAsMethods9To11() throws Exception {
    int method = Ikev2SignatureAuth.ECDSA_SHA256_P256;
    for (Rfc4754 v : RFC4754) {
      PublicKey pub = ecPublic(v.name(), new BigInteger(1, hex(v.w())));
      byte[] sig = hex(v.r() + v.s());
      byte[] abc = "abc".getBytes(StandardCharsets.US_ASCII);
      assertEquals(SigVerdict.valid(), Ikev2SignatureAuth.verify(method, pub, abc, sig, KeyPolicy.DEFAULT), v.name());
      sig[sig.length - 1] ^= 1;
      assertEquals(SigVerdict.Status.BAD_SIGNATURE,
          Ikev2SignatureAuth.verify(method, pub, abc, sig, KeyPolicy.DEFAULT).status(), v.name());
      // The same key under another curve's method is refused for the key, not checked and failed.
      int other = method == Ikev2SignatureAuth.ECDSA_SHA512_P521 ? Ikev2SignatureAuth.ECDSA_SHA256_P256 : method + 1;
      SigVerdict wrong = Ikev2SignatureAuth.verify(other, pub, abc, sig, KeyPolicy.DEFAULT);
      assertEquals(SigVerdict.Status.KEY_REFUSED, wrong.status(), wrong.reason());
      assertTrue(wrong.reason().contains(v.curve().label()), wrong.reason());
      method++;
    }
  }

  // RFC 8032 §7.1 TEST 1 and TEST 2: Ed25519 is deterministic, so signing must give the RFC's bytes.
  @Test
  void rfc8032Ed25519SignsTheRfcBytes() throws Exception {
    String[][] tests = {
        {"9d61b19deffd5a60ba844af492ec2cc44449c5697b326919703bac031cae7f60", "",
            "e5564300c360ac729086e2cc806e828a84877f1eb8e5d974d873e065224901555fb8821590a33bacc61e39701cf9b46bd25bf5f0595"
                + "bbe24655141438e7a100b"},
        {"4ccd089b28ff96da9db6c346ec114e0f5b8a319f35aba624da8cf6ed4fb8a6fb", "72",
            "92a009a9f0d4cab8720e820b5f642540a2b27b5416503f8fb3762223ebdb69da085ac1e43e15996e458f3613d0f11d8c387b2eaeb43"
                + "02aeeb00d291612bb0c00"}};
    for (String[] t : tests) {
      PrivateKey k = KeyFactory.getInstance("Ed25519")
          .generatePrivate(new EdECPrivateKeySpec(NamedParameterSpec.ED25519, hex(t[0])));
      byte[] sig = new Ed25519Signature().sign(k, hex(t[1]), KeyPolicy.DEFAULT);
      assertEquals(t[2], HexFormat.of().formatHex(sig));
    }
  }

  // OpenSSL's "pkeyutl -sign -pkeyopt rsa_padding_mode:pkcs1" over a raw hash is RFC 2409 §5.1's SIG_I.
  @Test
  void ikev1SignatureMatchesOpenssl() throws Exception {
    RSAPrivateCrtKey key = (RSAPrivateCrtKey) pemKey("/sig/ikev1-rsa-2048.pem");
    PublicKey pub = KeyFactory.getInstance("RSA")
        .generatePublic(new RSAPublicKeySpec(key.getModulus(), key.getPublicExponent()));
    String text = new String(KnownAnswerTest.class.getResourceAsStream("/sig/ikev1-rsa-openssl.txt").readAllBytes(),
        StandardCharsets.US_ASCII);
    int checked = 0;
    for (String line : text.split("\n")) {
      if (line.startsWith("#") || line.isBlank()) {
        continue;
      }
      String[] f = line.split(" ");
      Ikev1RsaSignature s = new Ikev1RsaSignature();
      assertEquals(f[1], HexFormat.of().formatHex(s.sign(key, hex(f[0]), KeyPolicy.DEFAULT)));
      assertTrue(s.verify(pub, hex(f[0]), hex(f[1]), KeyPolicy.DEFAULT).isValid());
      byte[] other = hex(f[0]);
      other[0] ^= 1;
      assertFalse(s.verify(pub, other, hex(f[1]), KeyPolicy.DEFAULT).isValid());
      checked++;
    }
    assertEquals(2, checked);
  }

  /**
   * Bleichenbacher's e=3 forgery (CRYPTO 2006 rump session): 00 01 FF.. 00 HASH GARBAGE has a cube root when the
   * garbage is long enough. A verifier that stops after the hash accepts it; ours compares the whole block.
   */
  @Test
  void eEquals3ForgeryWithGarbageAfterTheHashIsRefused() throws Exception {
    KeyPairGenerator g = KeyPairGenerator.getInstance("RSA");
    g.initialize(new RSAKeyGenParameterSpec(3072, BigInteger.valueOf(3)));
    RSAPublicKey pub = (RSAPublicKey) g.generateKeyPair().getPublic();
    byte[] hash = new byte[20];
    Arrays.fill(hash, (byte) 0x5a);
    int k = 384;
    byte[] block = new byte[k];
    block[1] = 1;
    Arrays.fill(block, 2, 10, (byte) 0xff);
    System.arraycopy(hash, 0, block, 11, hash.length);
    Arrays.fill(block, 11 + hash.length, k, (byte) 0xff);
    BigInteger forged = cubeRoot(new BigInteger(1, block));
    byte[] cube = forged.pow(3).toByteArray();
    // The forgery's cube keeps the prefix and the hash: only the garbage differs.
    assertArrayEquals(Arrays.copyOfRange(block, 1, 11 + hash.length), Arrays.copyOfRange(cube, 0, 10 + hash.length));
    byte[] sig = toLength(forged, k);
    SigVerdict v = new Ikev1RsaSignature().verify(pub, hash, sig, KeyPolicy.DEFAULT);
    assertEquals(SigVerdict.Status.BAD_SIGNATURE, v.status());
  }

  private static BigInteger cubeRoot(BigInteger n) {
    BigInteger lo = BigInteger.ZERO;
    BigInteger hi = BigInteger.ONE.shiftLeft(n.bitLength() / 3 + 1);
    while (lo.compareTo(hi) < 0) {
      BigInteger mid = lo.add(hi).add(BigInteger.ONE).shiftRight(1);
      if (mid.pow(3).compareTo(n) <= 0) {
        lo = mid;
      } else {
        hi = mid.subtract(BigInteger.ONE);
      }
    }
    return lo;
  }

  private static byte[] toLength(BigInteger v, int len) {
    byte[] raw = v.toByteArray();
    byte[] out = new byte[len];
    int n = Math.min(raw.length, len);
    System.arraycopy(raw, raw.length - n, out, len - n, n);
    return out;
  }

  static PublicKey ecPublic(String curve, BigInteger d) throws Exception {
    ECNamedCurveParameterSpec bc = ECNamedCurveTable.getParameterSpec(curve);
    org.bouncycastle.math.ec.ECPoint q = bc.getG().multiply(d).normalize();
    java.security.AlgorithmParameters p = java.security.AlgorithmParameters.getInstance("EC");
    p.init(new java.security.spec.ECGenParameterSpec(curve));
    java.security.spec.ECParameterSpec spec = p.getParameterSpec(java.security.spec.ECParameterSpec.class);
    ECPoint w = new ECPoint(q.getAffineXCoord().toBigInteger(), q.getAffineYCoord().toBigInteger());
    KeyFactory f = KeyFactory.getInstance("EC");
    f.generatePrivate(new ECPrivateKeySpec(d, spec));
    return f.generatePublic(new ECPublicKeySpec(w, spec));
  }

  static PrivateKey pemKey(String resource) throws Exception {
    try (PEMParser p = new PEMParser(new InputStreamReader(KnownAnswerTest.class.getResourceAsStream(resource),
        StandardCharsets.US_ASCII))) {
      return new JcaPEMKeyConverter().getPrivateKey((PrivateKeyInfo) p.readObject());
    }
  }

  static KeyPair generate(String alg, int bits) throws Exception {
    KeyPairGenerator g = KeyPairGenerator.getInstance(alg);
    g.initialize(bits);
    return g.generateKeyPair();
  }
}
