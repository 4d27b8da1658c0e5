package org.openswanj.pluto.crypto;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.openswanj.pluto.crypto.AndroidVectors.*;
import static org.openswanj.pluto.crypto.TestSupport.concat;
import static org.openswanj.pluto.crypto.TestSupport.hex;

import java.math.BigInteger;
import java.security.InvalidKeyException;
import java.security.KeyFactory;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.interfaces.RSAPrivateKey;
import java.security.interfaces.RSAPublicKey;
import java.security.spec.RSAPublicKeySpec;
import java.util.Arrays;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.openswanj.alg.Encryption;
import org.openswanj.alg.Integrity;
import org.openswanj.alg.Prf;

class AuthTest {
  private static KeyPair rsa;

  @BeforeAll
  static void key() throws Exception {
    KeyPairGenerator g = KeyPairGenerator.getInstance("RSA");
    g.initialize(2048);
    rsa = g.generateKeyPair();
  }

  // Android IKE library, IkeAuthPskPayloadTest: the initiator's AUTH over its IKE_SA_INIT request, Nr and
  // prf(SK_pi, IDi'), PSK "juniper123", HMAC-SHA1.
  @Test
  void pskAuthMatchesCapturedExchange() {
    byte[] octets = PskAuth.signedOctets(hex(INIT_REQUEST), hex(NR), Prf.HMAC_SHA1, hex(SK_PI), hex(IDI_BODY));
    assertEquals(AUTH_DATA, hex(PskAuth.authData(Prf.HMAC_SHA1, hex(PSK), octets)));
    assertTrue(PskAuth.verify(Prf.HMAC_SHA1, hex(PSK), octets, hex(AUTH_DATA)));
    byte[] wrongNonce = hex(NR);
    wrongNonce[0]++;
    byte[] other = PskAuth.signedOctets(hex(INIT_REQUEST), wrongNonce, Prf.HMAC_SHA1, hex(SK_PI), hex(IDI_BODY));
    assertFalse(PskAuth.verify(Prf.HMAC_SHA1, hex(PSK), other, hex(AUTH_DATA)));
  }

  // The whole chain on one captured exchange: derive keys, open the IKE_AUTH request with them, and find in
  // it the AUTH payload that PskAuth computes.
  @Test
  void capturedExchangeEndToEnd() throws Exception {
    IkeSaKeys k = Ikev2KeyDerivation.initial(Prf.HMAC_SHA1, Encryption.AES_CBC, 128, Integrity.HMAC_SHA1_96,
        hex(NI), hex(NR), hex(GIR), SPI_I, SPI_R);
    SkCipher c = SkCipher.create(Encryption.AES_CBC, 128, Integrity.HMAC_SHA1_96, k.skEi().bytes(), k.skAi().bytes(),
        new TestSupport.FixedRandom(new byte[0]));
    String inner = hex(c.open(hex(AUTH_AAD), hex(AUTH_IV + AUTH_CT + AUTH_ICV)));
    byte[] octets = PskAuth.signedOctets(hex(INIT_REQUEST), hex(NR), Prf.HMAC_SHA1, k.skPi().bytes(),
        hex(IDI_BODY));
    String auth = hex(PskAuth.authData(Prf.HMAC_SHA1, hex(PSK), octets));
    assertTrue(inner.startsWith("2400000c" + IDI_BODY), inner); // IDi payload body as signed
    assertTrue(inner.contains("2100001c02000000" + auth), inner); // AUTH payload, method 2 (shared key)
  }

  @Test
  void rsaMethod1SignsSha1DigestInfo() {
    byte[] octets = hex(INIT_REQUEST);
    byte[] sig = RsaAuth.sign((RSAPrivateKey) rsa.getPrivate(), octets, HashAlg.SHA1);
    assertEquals(256, sig.length);
    RSAPublicKey pub = (RSAPublicKey) rsa.getPublic();
    assertTrue(RsaAuth.verify(pub, octets, sig, HashAlg.SHA1));
    // PKCS#1 v1.5 (RFC 8017 §9.2): s^e mod n = 00 01 ff.. 00 ‖ DigestInfo(SHA-1)
    byte[] em = DiffieHellman.toFixed(new BigInteger(1, sig).modPow(pub.getPublicExponent(), pub.getModulus()), 256);
    assertEquals("3021300906052b0e03021a05000414", hex(Arrays.copyOfRange(em, 256 - 35, 256 - 20)));
    byte[] bad = sig.clone();
    bad[100] ^= 4;
    assertFalse(RsaAuth.verify(pub, octets, bad, HashAlg.SHA1));
    assertFalse(RsaAuth.verify(pub, concat(octets, new byte[1]), sig, HashAlg.SHA1));
    assertFalse(RsaAuth.verify(pub, octets, new byte[3], HashAlg.SHA1));
  }

  @Test
  void hashAlgRegistryNeverThrows() {
    assertEquals(HashAlg.SHA2_512, HashAlg.fromWire(4).orElseThrow());
    assertTrue(HashAlg.fromWire(99).isEmpty());
    assertTrue(HashAlg.fromWire(-1).isEmpty());
  }

  // RFC 3110 §2: exponent length, exponent, modulus; Openswan's 0s... key strings are base64 of this.
  @Test
  void rfc3110RoundTrip() throws Exception {
    RSAPublicKey pub = (RSAPublicKey) rsa.getPublic();
    byte[] blob = RsaAuth.toRfc3110(pub);
    assertEquals("03010001", hex(Arrays.copyOf(blob, 4)));
    assertEquals(4 + 256, blob.length);
    RSAPublicKey back = RsaAuth.fromRfc3110(blob);
    assertEquals(pub.getModulus(), back.getModulus());
    assertEquals(pub.getPublicExponent(), back.getPublicExponent());
  }

  @Test
  void rfc3110LongExponentForm() throws Exception {
    byte[] e = new byte[256];
    e[0] = 1;
    e[255] = 1;
    byte[] n = new byte[320];
    Arrays.fill(n, (byte) 0xc5);
    byte[] blob = concat(new byte[] {0, 1, 0}, e, n);
    RSAPublicKey k = RsaAuth.fromRfc3110(blob);
    assertEquals(new BigInteger(1, e), k.getPublicExponent());
    assertArrayEquals(blob, RsaAuth.toRfc3110(k));
  }

  @Test
  void malformedRfc3110BlobsAreRefusedWithReasons() {
    InvalidKeyException x = assertThrows(InvalidKeyException.class, () -> RsaAuth.fromRfc3110(new byte[2]));
    assertEquals("RFC 3110 RSA key blob too short (2 bytes)", x.getMessage());
    x = assertThrows(InvalidKeyException.class, () -> RsaAuth.fromRfc3110(new byte[] {9, 1, 2, 3}));
    assertEquals("RFC 3110 RSA key blob: exponent length 9 leaves no modulus in 4 bytes", x.getMessage());
    x = assertThrows(InvalidKeyException.class, () -> RsaAuth.fromRfc3110(new byte[] {1, 3, 5, 7}));
    assertEquals("RFC 3110 RSA key blob: implausible key (modulus 11 bits, exponent 3)", x.getMessage());
  }

  // Openswan/FreeS/WAN keyblobtoid(): the key id is the first nine base64 digits of the RFC 3110 blob, so a
  // key with e = 3 and a modulus starting a7c2204fb5 has id "AQOnwiBPt".
  @Test
  void keyIdIsFirstNineBase64Digits() throws Exception {
    byte[] n = new byte[128];
    Arrays.fill(n, (byte) 0x11);
    System.arraycopy(hex("a7c2204fb5"), 0, n, 0, 5);
    RSAPublicKey k = (RSAPublicKey) KeyFactory.getInstance("RSA")
        .generatePublic(new RSAPublicKeySpec(new BigInteger(1, n), BigInteger.valueOf(3)));
    assertEquals("AQOnwiBPt", RsaAuth.keyId(k));
  }
}
