package org.openswanj.pluto.crypto.sig;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.math.BigInteger;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.interfaces.ECPrivateKey;
import java.security.interfaces.ECPublicKey;
import java.security.spec.ECGenParameterSpec;
import java.util.Arrays;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.bouncycastle.asn1.x9.ECNamedCurveTable;
import org.bouncycastle.asn1.x9.X9ECParameters;
import org.bouncycastle.crypto.params.ECDomainParameters;
import org.bouncycastle.crypto.params.ECPrivateKeyParameters;
import org.bouncycastle.crypto.params.ECPublicKeyParameters;
import org.bouncycastle.crypto.signers.ECDSASigner;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.openswanj.pluto.crypto.HashAlg;

/**
 * IKEv1 with ECDSA (RFC 4754): what we sign and send for each method, checked against Bouncy Castle's
 * low-level ECDSA (an implementation independent of the JCA provider we sign with).
 */
class Ikev1EcdsaSignatureTest {
  private static KeyPair gen(String curve) throws Exception {
    KeyPairGenerator g = KeyPairGenerator.getInstance("EC");
    g.initialize(new ECGenParameterSpec(curve));
    return g.generateKeyPair();
  }

  /** HASH_I as IKEv1 makes it for the method: HMAC of the method's hash (RFC 4754 §4). */
  private static byte[] hmac(HashAlg h, byte[] data) throws Exception {
    Mac m = Mac.getInstance("Hmac" + h.jcaPrefix());
    m.init(new SecretKeySpec(new byte[] {1, 2, 3, 4}, m.getAlgorithm()));
    return m.doFinal(data);
  }

  @ParameterizedTest(name = "{0}: r||s of {2} bytes, hash {1}")
  @CsvSource({"secp256r1, SHA2_256, 64", "secp384r1, SHA2_384, 96", "secp521r1, SHA2_512, 132"})
  void signsTheDigestAsGivenWithFixedLengthRAndS(String curve, HashAlg hash, int length) throws Exception {
    KeyPair k = gen(curve);
    KeyKind kind = KeyKind.of(k.getPublic()).orElseThrow();
    EcdsaSignature s = EcdsaSignature.ikev1(kind);
    assertEquals(hash, s.hash(), "RFC 4754 §3: the method's hash goes with the curve");
    assertEquals(length, s.fixedLength());
    byte[] digest = hmac(hash, "g^xi | g^xr | CKY-I | CKY-R | SAi_b | IDii_b".getBytes());
    byte[] sig = s.sign(k.getPrivate(), digest, KeyPolicy.DEFAULT);
    assertEquals(length, sig.length, "RFC 4754 §7: r and s, each padded to the curve's size, not DER");
    assertTrue(s.verify(k.getPublic(), digest, sig, KeyPolicy.DEFAULT).isValid());

    // the digest is signed as given (no second hash): plain ECDSA over the digest verifies r and s
    BigInteger r = new BigInteger(1, Arrays.copyOfRange(sig, 0, length / 2));
    BigInteger sv = new BigInteger(1, Arrays.copyOfRange(sig, length / 2, length));
    ECDSASigner bc = new ECDSASigner();
    bc.init(false, new ECPublicKeyParameters(bcPoint((ECPublicKey) k.getPublic(), curve), domain(curve)));
    assertTrue(bc.verifySignature(digest, r, sv), "Bouncy Castle's ECDSA over HASH itself accepts it");

    // and a peer that signs HASH the same way is accepted by us
    ECDSASigner peer = new ECDSASigner();
    peer.init(true, new ECPrivateKeyParameters(((ECPrivateKey) k.getPrivate()).getS(), domain(curve)));
    BigInteger[] rs = peer.generateSignature(digest);
    byte[] wire = new byte[length];
    put(wire, 0, length / 2, rs[0]);
    put(wire, length / 2, length / 2, rs[1]);
    assertTrue(s.verify(k.getPublic(), digest, wire, KeyPolicy.DEFAULT).isValid());
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource({"secp256r1", "secp384r1", "secp521r1"})
  void aSignatureOfTheWrongLengthIsRefusedWithItsReason(String curve) throws Exception {
    KeyPair k = gen(curve);
    EcdsaSignature s = EcdsaSignature.ikev1(KeyKind.of(k.getPublic()).orElseThrow());
    byte[] digest = hmac(s.hash(), new byte[] {9});
    byte[] sig = s.sign(k.getPrivate(), digest, KeyPolicy.DEFAULT);
    byte[] longer = Arrays.copyOf(sig, sig.length + 1);
    SigVerdict v = s.verify(k.getPublic(), digest, longer, KeyPolicy.DEFAULT);
    assertEquals(SigVerdict.Status.BAD_SIGNATURE, v.status());
    assertEquals(s.name() + " signature is " + longer.length + " bytes; RFC 4754 §7 requires " + sig.length
        + " (r and s of " + sig.length / 2 + " bytes each)", v.reason());
    assertFalse(v.reason().contains("\n"));
    // the DER form IKEv2's method 14 uses is not what RFC 4754 sends
    byte[] der = new EcdsaSignature(s.hash(), EcdsaSignature.Encoding.DER).sign(k.getPrivate(), digest,
        KeyPolicy.DEFAULT);
    assertFalse(s.verify(k.getPublic(), digest, der, KeyPolicy.DEFAULT).isValid());
  }

  @ParameterizedTest(name = "method for {0}, key on {1}")
  @CsvSource({"secp256r1, secp384r1", "secp384r1, secp256r1", "secp521r1, secp256r1"})
  void aKeyOnAnotherCurveThanTheMethodsIsRefused(String methodCurve, String keyCurve) throws Exception {
    EcdsaSignature s = EcdsaSignature.ikev1(KeyKind.of(gen(methodCurve).getPublic()).orElseThrow());
    KeyPair other = gen(keyCurve);
    byte[] digest = hmac(s.hash(), new byte[] {7});
    SigVerdict v = s.verify(other.getPublic(), digest, new byte[s.fixedLength()], KeyPolicy.DEFAULT);
    assertEquals(SigVerdict.Status.KEY_REFUSED, v.status());
    assertEquals(s.name() + " cannot use a " + KeyKind.of(other.getPublic()).orElseThrow().label() + " key",
        v.reason());
    assertThrows(SigningException.class, () -> s.sign(other.getPrivate(), digest, KeyPolicy.DEFAULT));
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource({"secp256r1", "secp384r1"})
  void aTamperedDigestDoesNotVerify(String curve) throws Exception {
    KeyPair k = gen(curve);
    EcdsaSignature s = EcdsaSignature.ikev1(KeyKind.of(k.getPublic()).orElseThrow());
    byte[] digest = hmac(s.hash(), new byte[] {5});
    byte[] sig = s.sign(k.getPrivate(), digest, KeyPolicy.DEFAULT);
    byte[] other = digest.clone();
    other[0] ^= 1;
    assertEquals(SigVerdict.Status.BAD_SIGNATURE, s.verify(k.getPublic(), other, sig, KeyPolicy.DEFAULT).status());
    assertArrayEquals(digest, hmac(s.hash(), new byte[] {5}), "the input is not modified");
  }

  private static ECDomainParameters domain(String curve) {
    X9ECParameters p = ECNamedCurveTable.getByName(curve);
    return new ECDomainParameters(p.getCurve(), p.getG(), p.getN(), p.getH());
  }

  private static org.bouncycastle.math.ec.ECPoint bcPoint(ECPublicKey k, String curve) {
    X9ECParameters p = ECNamedCurveTable.getByName(curve);
    return p.getCurve().createPoint(k.getW().getAffineX(), k.getW().getAffineY());
  }

  private static void put(byte[] out, int off, int len, BigInteger v) {
    byte[] b = v.toByteArray();
    int skip = b.length > len ? b.length - len : 0;
    System.arraycopy(b, skip, out, off + len - (b.length - skip), b.length - skip);
  }
}
