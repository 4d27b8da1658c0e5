package org.openswanj.pluto.crypto.sig;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.HexFormat;
import org.junit.jupiter.api.Test;
import org.openswanj.pluto.crypto.HashAlg;

/**
 * The AlgorithmIdentifier blobs of RFC 7427 Appendix A (A.4.2 as printed in the RFC, 64 bytes with explicit
 * defaults; Errata ID 4295 notes DER would leave them out), the SHA-384/512 PSS blobs Libreswan sends
 * (include/ietf_constants.h) and RFC 8420's id-Ed25519 blob: we must emit the exact bytes and read them back.
 */
class Rfc7427AppendixTest {
  static final String A_1_1 = "300d06092a864886f70d0101050500";
  static final String A_1_2 = "300d06092a864886f70d01010b0500";
  static final String A_1_3 = "300d06092a864886f70d01010c0500";
  static final String A_1_4 = "300d06092a864886f70d01010d0500";
  static final String A_3_1 = "300906072a8648ce3d0401";
  static final String A_3_2 = "300a06082a8648ce3d040302";
  static final String A_3_3 = "300a06082a8648ce3d040303";
  static final String A_3_4 = "300a06082a8648ce3d040304";
  static final String A_4_1 = "300d06092a864886f70d01010a3000";
  static final String A_4_2 = "303e06092a864886f70d01010a3031a00b300906052b0e03021a0500a118301606092a864886f70d010108"
      + "300906052b0e03021a0500a203020114a303020101";
  static final String A_4_3 = "304106092a864886f70d01010a3034a00f300d06096086480165030402010500a11c301a06092a864886f7"
      + "0d010108300d06096086480165030402010500a203020120";
  static final String PSS_384 = "304106092a864886f70d01010a3034a00f300d06096086480165030402020500a11c301a06092a86"
      + "4886f70d010108300d06096086480165030402020500a203020130";
  static final String PSS_512 = "304106092a864886f70d01010a3034a00f300d06096086480165030402030500a11c301a06092a86"
      + "4886f70d010108300d06096086480165030402030500a203020140";
  static final String ED25519 = "300506032b6570";

  private static byte[] hex(String s) {
    return HexFormat.of().parseHex(s);
  }

  private static String id(SignatureScheme s) {
    return HexFormat.of().formatHex(s.algorithmIdentifier().orElseThrow());
  }

  @Test
  void weEmitTheAppendixBlobs() {
    assertEquals(A_1_1, id(new RsaPkcs1Signature(HashAlg.SHA1)));
    assertEquals(A_1_2, id(new RsaPkcs1Signature(HashAlg.SHA2_256)));
    assertEquals(A_1_3, id(new RsaPkcs1Signature(HashAlg.SHA2_384)));
    assertEquals(A_1_4, id(new RsaPkcs1Signature(HashAlg.SHA2_512)));
    assertEquals(A_3_1, id(new EcdsaSignature(HashAlg.SHA1, EcdsaSignature.Encoding.DER)));
    assertEquals(A_3_2, id(new EcdsaSignature(HashAlg.SHA2_256, EcdsaSignature.Encoding.DER)));
    assertEquals(A_3_3, id(new EcdsaSignature(HashAlg.SHA2_384, EcdsaSignature.Encoding.DER)));
    assertEquals(A_3_4, id(new EcdsaSignature(HashAlg.SHA2_512, EcdsaSignature.Encoding.DER)));
    // DER leaves the RFC 4055 defaults out, so PSS with SHA-1/MGF1-SHA-1/salt 20 is A.4.1's empty SEQUENCE.
    assertEquals(A_4_1, id(RsaPssSignature.of(HashAlg.SHA1)));
    assertEquals(A_4_3, id(RsaPssSignature.of(HashAlg.SHA2_256)));
    assertEquals(PSS_384, id(RsaPssSignature.of(HashAlg.SHA2_384)));
    assertEquals(PSS_512, id(RsaPssSignature.of(HashAlg.SHA2_512)));
    assertEquals(ED25519, id(new Ed25519Signature()));
  }

  @Test
  void theAppendixBlobsNameTheirSchemes() throws Exception {
    assertEquals(new RsaPkcs1Signature(HashAlg.SHA1), SignatureSchemes.fromAlgorithmIdentifier(hex(A_1_1)));
    assertEquals(new RsaPkcs1Signature(HashAlg.SHA2_512), SignatureSchemes.fromAlgorithmIdentifier(hex(A_1_4)));
    assertEquals(new EcdsaSignature(HashAlg.SHA2_384, EcdsaSignature.Encoding.DER),
        SignatureSchemes.fromAlgorithmIdentifier(hex(A_3_3)));
    assertEquals(RsaPssSignature.of(HashAlg.SHA1), SignatureSchemes.fromAlgorithmIdentifier(hex(A_4_1)));
    assertEquals(RsaPssSignature.of(HashAlg.SHA1), SignatureSchemes.fromAlgorithmIdentifier(hex(A_4_2)));
    assertEquals(RsaPssSignature.of(HashAlg.SHA2_256), SignatureSchemes.fromAlgorithmIdentifier(hex(A_4_3)));
    assertEquals(new Ed25519Signature(), SignatureSchemes.fromAlgorithmIdentifier(hex(ED25519)));
    // PKCS#1 with absent parameters: RFC 4055 §5 lets readers accept it.
    assertEquals(new RsaPkcs1Signature(HashAlg.SHA2_256),
        SignatureSchemes.fromAlgorithmIdentifier(hex("300b06092a864886f70d01010b")));
  }

  @Test
  void unknownOrMalformedAlgorithmIdentifiersAreNamed() {
    // A.2.1 dsa-with-sha1: DSA is not an IKEv2 signature we accept.
    UnsupportedSignatureException dsa = assertThrows(UnsupportedSignatureException.class,
        () -> SignatureSchemes.fromAlgorithmIdentifier(hex("3009 06072a8648ce380403".replace(" ", ""))));
    assertTrue(dsa.getMessage().contains("1.2.840.10040.4.3"), dsa.getMessage());
    // sha224WithRSAEncryption is not in the IKEv2 hash registry.
    assertThrows(UnsupportedSignatureException.class,
        () -> SignatureSchemes.fromAlgorithmIdentifier(hex("300d06092a864886f70d01010e0500")));
    // ECDSA with parameters, PSS with trailer 2, PSS with a foreign mask function, truncated DER.
    assertThrows(UnsupportedSignatureException.class,
        () -> SignatureSchemes.fromAlgorithmIdentifier(hex("300c06082a8648ce3d0403020500")));
    UnsupportedSignatureException trailer = assertThrows(UnsupportedSignatureException.class,
        () -> SignatureSchemes.fromAlgorithmIdentifier(hex("301206092a864886f70d01010a3005a303020102")));
    assertTrue(trailer.getMessage().contains("trailer field 2"), trailer.getMessage());
    assertThrows(UnsupportedSignatureException.class,
        () -> SignatureSchemes.fromAlgorithmIdentifier(hex("301606092a864886f70d01010a3009a1073005060" + "32a0304")));
    assertThrows(UnsupportedSignatureException.class,
        () -> SignatureSchemes.fromAlgorithmIdentifier(hex(A_4_3.substring(0, 40))));
  }

  // RFC 7427 §3: ASN.1 Length (one octet) ‖ AlgorithmIdentifier ‖ Signature Value.
  @Test
  void authDataFramesOneAlgorithmIdentifierThenTheSignature() {
    DigitalSignatureAuthData d = new DigitalSignatureAuthData(hex(A_1_2), hex("0102030405"));
    assertEquals("0f" + A_1_2 + "0102030405", HexFormat.of().formatHex(d.encode()));
    assertEquals(d, DigitalSignatureAuthData.decode(d.encode()).orElseThrow());
    assertArrayEquals(hex("0102030405"), DigitalSignatureAuthData.decode(d.encode()).orElseThrow().signature());
  }

  @Test
  void malformedAuthDataDecodesToNothing() {
    assertTrue(DigitalSignatureAuthData.decode(new byte[0]).isEmpty());
    assertTrue(DigitalSignatureAuthData.decode(hex("0f" + A_1_2)).isEmpty(), "no signature after the AlgId");
    assertTrue(DigitalSignatureAuthData.decode(hex("c8" + A_1_2 + "01")).isEmpty(), "length past the end");
    assertTrue(DigitalSignatureAuthData.decode(hex("0e" + A_1_2 + "01")).isEmpty(), "length cuts the DER");
    assertTrue(DigitalSignatureAuthData.decode(hex("10" + A_1_2 + "0001")).isEmpty(), "length past the DER");
    assertTrue(DigitalSignatureAuthData.decode(hex("03" + "020100" + "01")).isEmpty(), "INTEGER, not SEQUENCE");
    assertTrue(DigitalSignatureAuthData.decode(null).isEmpty());
  }
}
