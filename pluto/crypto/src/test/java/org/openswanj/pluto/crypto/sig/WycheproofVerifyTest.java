package org.openswanj.pluto.crypto.sig;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.security.KeyFactory;
import java.security.PublicKey;
import java.security.spec.X509EncodedKeySpec;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.openswanj.pluto.crypto.HashAlg;

/**
 * Verification against Project Wycheproof's vectors (google/wycheproof, testvectors_v1; the subset and commit are
 * named in the resource's header): every "valid" vector verifies, every "invalid" one (modified signatures, wrong
 * padding, BER encodings, out-of-range r and s, ...) does not, and none throws.
 */
class WycheproofVerifyTest {
  private static final Map<String, SignatureScheme> SCHEMES = Map.ofEntries(
      Map.entry("RSA_PKCS1_SHA256", new RsaPkcs1Signature(HashAlg.SHA2_256)),
      Map.entry("RSA_PKCS1_SHA384", new RsaPkcs1Signature(HashAlg.SHA2_384)),
      Map.entry("RSA_PKCS1_SHA512", new RsaPkcs1Signature(HashAlg.SHA2_512)),
      Map.entry("RSA_PSS_SHA256", RsaPssSignature.of(HashAlg.SHA2_256)),
      Map.entry("ECDSA_P256_FIXED", EcdsaSignature.rfc4754(KeyKind.ECDSA_P256)),
      Map.entry("ECDSA_P384_FIXED", EcdsaSignature.rfc4754(KeyKind.ECDSA_P384)),
      Map.entry("ECDSA_P521_FIXED", EcdsaSignature.rfc4754(KeyKind.ECDSA_P521)),
      Map.entry("ECDSA_SHA256_DER", new EcdsaSignature(HashAlg.SHA2_256, EcdsaSignature.Encoding.DER)),
      Map.entry("ECDSA_SHA384_DER", new EcdsaSignature(HashAlg.SHA2_384, EcdsaSignature.Encoding.DER)),
      Map.entry("ECDSA_SHA512_DER", new EcdsaSignature(HashAlg.SHA2_512, EcdsaSignature.Encoding.DER)),
      Map.entry("ED25519", new Ed25519Signature()));

  record Vector(String scheme, String file, int tcId, boolean valid, String key, String msg, String sig) {
    @Override
    public String toString() {
      return file + " tcId " + tcId + (valid ? " valid" : " invalid");
    }
  }

  static Stream<Vector> vectors() throws Exception {
    List<Vector> out = new ArrayList<>();
    try (BufferedReader r = new BufferedReader(new InputStreamReader(
        WycheproofVerifyTest.class.getResourceAsStream("/sig/wycheproof-signatures.txt"), StandardCharsets.US_ASCII))) {
      for (String line = r.readLine(); line != null; line = r.readLine()) {
        if (line.startsWith("#") || line.isBlank()) {
          continue;
        }
        String[] f = line.split(" ");
        out.add(new Vector(f[0], f[1], Integer.parseInt(f[2]), f[3].equals("valid"), f[4], f[5], f[6]));
      }
    }
    return out.stream();
  }

  @ParameterizedTest
  @MethodSource("vectors")
  void verdictMatchesWycheproof(Vector v) throws Exception {
    SignatureScheme s = SCHEMES.get(v.scheme());
    SigVerdict verdict = s.verify(key(v), bytes(v.msg()), bytes(v.sig()), KeyPolicy.DEFAULT);
    assertEquals(v.valid(), verdict.isValid(), v + ": " + verdict);
    if (!v.valid()) {
      assertEquals(SigVerdict.Status.BAD_SIGNATURE, verdict.status(), verdict.reason());
    }
  }

  @Test
  void everySchemeHasValidAndInvalidVectors() throws Exception {
    for (String scheme : SCHEMES.keySet()) {
      assertTrue(vectors().anyMatch(v -> v.scheme().equals(scheme) && v.valid()), scheme);
      assertTrue(vectors().anyMatch(v -> v.scheme().equals(scheme) && !v.valid()), scheme);
    }
  }

  private static PublicKey key(Vector v) throws Exception {
    String alg = v.scheme().startsWith("RSA") ? "RSA" : v.scheme().startsWith("ECDSA") ? "EC" : "Ed25519";
    return KeyFactory.getInstance(alg).generatePublic(new X509EncodedKeySpec(bytes(v.key())));
  }

  private static byte[] bytes(String hex) {
    return hex.equals("-") ? new byte[0] : HexFormat.of().parseHex(hex);
  }
}
