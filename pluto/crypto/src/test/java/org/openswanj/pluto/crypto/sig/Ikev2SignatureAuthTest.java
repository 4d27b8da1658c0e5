package org.openswanj.pluto.crypto.sig;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.spec.ECGenParameterSpec;
import java.util.EnumSet;
import java.util.HexFormat;
import java.util.List;
import java.util.Set;
import org.bouncycastle.jce.provider.BouncyCastleProvider;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.openswanj.pluto.crypto.HashAlg;

class Ikev2SignatureAuthTest {
  private static final byte[] OCTETS = "IKE_SA_INIT request | Nr | prf(SK_pi, IDi')".getBytes(StandardCharsets.UTF_8);
  private static final Set<HashAlg> STRONGSWAN = EnumSet.of(HashAlg.SHA2_256, HashAlg.SHA2_384, HashAlg.SHA2_512,
      HashAlg.IDENTITY);
  private static KeyPair rsa2048;
  private static KeyPair rsa1024;
  private static KeyPair p256;
  private static KeyPair p384;
  private static KeyPair p521;
  private static KeyPair ed25519;

  @BeforeAll
  static void keys() throws Exception {
    rsa2048 = KnownAnswerTest.generate("RSA", 2048);
    rsa1024 = KnownAnswerTest.generate("RSA", 1024);
    p256 = ec("secp256r1");
    p384 = ec("secp384r1");
    p521 = ec("secp521r1");
    ed25519 = KeyPairGenerator.getInstance("Ed25519").generateKeyPair();
  }

  private static KeyPair ec(String curve) throws Exception {
    KeyPairGenerator g = KeyPairGenerator.getInstance("EC");
    g.initialize(new ECGenParameterSpec(curve));
    return g.generateKeyPair();
  }

  private static Ikev2SignatureAuth.Signed signAndCheck(KeyPair kp, Set<HashAlg> peer) throws Exception {
    Ikev2SignatureAuth.Signed s = Ikev2SignatureAuth.sign(kp.getPrivate(), OCTETS, peer, KeyPolicy.DEFAULT);
    SigVerdict v = Ikev2SignatureAuth.verify(s.authMethod(), kp.getPublic(), OCTETS, s.authData(), KeyPolicy.DEFAULT);
    assertEquals(SigVerdict.valid(), v, s.scheme().name());
    byte[] other = OCTETS.clone();
    other[0] ^= 1;
    assertEquals(SigVerdict.Status.BAD_SIGNATURE,
        Ikev2SignatureAuth.verify(s.authMethod(), kp.getPublic(), other, s.authData(), KeyPolicy.DEFAULT).status());
    return s;
  }

  // RFC 7427 §4: with the peer's SIGNATURE_HASH_ALGORITHMS, method 14 with a hash it announced.
  @Test
  void withThePeersHashListEveryKeySignsMethod14() throws Exception {
    assertEquals("RSASSA-PSS with SHA2_256", signAndCheck(rsa2048, STRONGSWAN).scheme().name());
    assertEquals("ECDSA with SHA2_256", signAndCheck(p256, STRONGSWAN).scheme().name());
    assertEquals("ECDSA with SHA2_384", signAndCheck(p384, STRONGSWAN).scheme().name());
    assertEquals("ECDSA with SHA2_512", signAndCheck(p521, STRONGSWAN).scheme().name());
    Ikev2SignatureAuth.Signed ed = signAndCheck(ed25519, STRONGSWAN);
    assertEquals(Ikev2SignatureAuth.DIGITAL_SIGNATURE, ed.authMethod());
    // RFC 7427 §3: length 7, then id-Ed25519 (RFC 8420), then the 64-byte signature.
    assertEquals("07300506032b6570", HexFormat.of().formatHex(ed.authData()).substring(0, 16));
    assertEquals(1 + 7 + 64, ed.authData().length);
    // A peer that announced only SHA2-512 gets SHA2-512 from every ECDSA key.
    assertEquals("ECDSA with SHA2_512", signAndCheck(p256, EnumSet.of(HashAlg.SHA2_512)).scheme().name());
  }

  // RFC 7296 §3.8 / RFC 4754: a peer without the notify (Openswan 2.6) gets the classic methods.
  @Test
  void withoutTheNotifyKeysUseTheirClassicMethod() throws Exception {
    Set<HashAlg> none = Set.of();
    Ikev2SignatureAuth.Signed r = signAndCheck(rsa2048, none);
    assertEquals(Ikev2SignatureAuth.RSA_DIGITAL_SIGNATURE, r.authMethod());
    assertEquals(256, r.authData().length);
    assertEquals(Ikev2SignatureAuth.ECDSA_SHA256_P256, signAndCheck(p256, none).authMethod());
    assertEquals(64, signAndCheck(p256, none).authData().length);
    assertEquals(Ikev2SignatureAuth.ECDSA_SHA384_P384, signAndCheck(p384, none).authMethod());
    Ikev2SignatureAuth.Signed big = signAndCheck(p521, none);
    assertEquals(Ikev2SignatureAuth.ECDSA_SHA512_P521, big.authMethod());
    assertEquals(132, big.authData().length);
    SigningException e = assertThrows(SigningException.class,
        () -> Ikev2SignatureAuth.sign(ed25519.getPrivate(), OCTETS, none, KeyPolicy.DEFAULT));
    assertTrue(e.getMessage().contains("SIGNATURE_HASH_ALGORITHMS"), e.getMessage());
  }

  // Issue 13 item 8: a 1024-bit RSA key is refused, saying its size; a conn may lower the bar.
  @Test
  void smallRsaKeysAreRefusedWithTheirSizeUnlessOverridden() throws Exception {
    Ikev2SignatureAuth.Signed s = Ikev2SignatureAuth.sign(rsa1024.getPrivate(), OCTETS, Set.of(),
        KeyPolicy.DEFAULT.withMinRsaBits(1024));
    SigVerdict v = Ikev2SignatureAuth.verify(1, rsa1024.getPublic(), OCTETS, s.authData(), KeyPolicy.DEFAULT);
    assertEquals(SigVerdict.Status.KEY_REFUSED, v.status());
    assertEquals("RSA key of 1024 bits is too small: at least 2048 bits are required", v.reason());
    assertTrue(Ikev2SignatureAuth.verify(1, rsa1024.getPublic(), OCTETS, s.authData(),
        KeyPolicy.DEFAULT.withMinRsaBits(1024)).isValid());
    SigningException e = assertThrows(SigningException.class,
        () -> Ikev2SignatureAuth.sign(rsa1024.getPrivate(), OCTETS, STRONGSWAN, KeyPolicy.DEFAULT));
    assertTrue(e.getMessage().contains("1024 bits"), e.getMessage());
    assertTrue(new Ikev1RsaSignature().verify(rsa1024.getPublic(), new byte[20], new byte[128], KeyPolicy.DEFAULT)
        .reason().contains("1024 bits"));
  }

  // RFC 8247 §3.2: SHA-1 in method 14 is refused unless the policy allows it; method 1 keeps it.
  @Test
  void sha1IsOnlyForMethodOneUnlessAllowed() throws Exception {
    byte[] sig = new RsaPkcs1Signature(HashAlg.SHA1).sign(rsa2048.getPrivate(), OCTETS, KeyPolicy.DEFAULT);
    byte[] data = new DigitalSignatureAuthData(new RsaPkcs1Signature(HashAlg.SHA1).algorithmIdentifier().orElseThrow(),
        sig).encode();
    SigVerdict refused = Ikev2SignatureAuth.verify(14, rsa2048.getPublic(), OCTETS, data, KeyPolicy.DEFAULT);
    assertEquals(SigVerdict.Status.UNSUPPORTED, refused.status());
    assertTrue(refused.reason().contains("SHA-1"), refused.reason());
    KeyPolicy allowSha1 = new KeyPolicy(2048, KeyPolicy.Sha1Signatures.ALLOWED);
    assertTrue(Ikev2SignatureAuth.verify(14, rsa2048.getPublic(), OCTETS, data, allowSha1).isValid());
    assertTrue(Ikev2SignatureAuth.verify(1, rsa2048.getPublic(), OCTETS, sig, KeyPolicy.DEFAULT).isValid());
    assertEquals(SigVerdict.Status.UNSUPPORTED,
        Ikev2SignatureAuth.verify(2, rsa2048.getPublic(), OCTETS, sig, KeyPolicy.DEFAULT).status());
  }

  // A peer may verify with the PSS parameters it announces, not only ours (RFC 7427 §3 carries them).
  @Test
  void pssWithThePeersOwnParametersVerifies() throws Exception {
    RsaPssSignature theirs = new RsaPssSignature(HashAlg.SHA2_384, HashAlg.SHA2_256, 20);
    byte[] data = new DigitalSignatureAuthData(theirs.algorithmIdentifier().orElseThrow(),
        theirs.sign(rsa2048.getPrivate(), OCTETS, KeyPolicy.DEFAULT)).encode();
    assertTrue(Ikev2SignatureAuth.verify(14, rsa2048.getPublic(), OCTETS, data, KeyPolicy.DEFAULT).isValid());
  }

  @Test
  void wrongKeyTypeAndMalformedDataAreVerdictsNotExceptions() throws Exception {
    Ikev2SignatureAuth.Signed s = Ikev2SignatureAuth.sign(p256.getPrivate(), OCTETS, STRONGSWAN, KeyPolicy.DEFAULT);
    assertEquals(SigVerdict.Status.KEY_REFUSED,
        Ikev2SignatureAuth.verify(14, rsa2048.getPublic(), OCTETS, s.authData(), KeyPolicy.DEFAULT).status());
    for (int cut = 0; cut < s.authData().length; cut += 7) {
      byte[] truncated = java.util.Arrays.copyOf(s.authData(), cut);
      assertTrue(!Ikev2SignatureAuth.verify(14, p256.getPublic(), OCTETS, truncated, KeyPolicy.DEFAULT).isValid());
    }
    assertEquals(SigVerdict.Status.KEY_REFUSED,
        Ikev2SignatureAuth.verify(9, null, OCTETS, new byte[64], KeyPolicy.DEFAULT).status());
  }

  // Keys from Bouncy Castle's provider (as PEM files give them) sign and verify as the JDK's do.
  @Test
  void bouncyCastleKeysWork() throws Exception {
    for (String alg : List.of("Ed25519", "EC")) {
      KeyPairGenerator g = KeyPairGenerator.getInstance(alg, new BouncyCastleProvider());
      if (alg.equals("EC")) {
        g.initialize(new ECGenParameterSpec("secp384r1"));
      }
      signAndCheck(g.generateKeyPair(), STRONGSWAN);
    }
  }

  // RFC 7427 §4: two-octet hash numbers; unknown ones and an odd trailing octet are ignored.
  @Test
  void signatureHashAlgorithmsNotify() {
    assertEquals("0002000300040005",
        HexFormat.of().formatHex(SignatureHashAlgorithms.encode(SignatureHashAlgorithms.announced(KeyPolicy.DEFAULT))));
    assertEquals(EnumSet.of(HashAlg.SHA1, HashAlg.SHA2_512),
        SignatureHashAlgorithms.decode(HexFormat.of().parseHex("00010004ffff000900")));
    assertTrue(SignatureHashAlgorithms.decode(new byte[] {2}).isEmpty());
    assertEquals(HashAlg.SHA2_384,
        SignatureHashAlgorithms.choose(KeyKind.ECDSA_P384, STRONGSWAN, KeyPolicy.DEFAULT).orElseThrow());
    assertTrue(SignatureHashAlgorithms.choose(KeyKind.ECDSA_P384, EnumSet.of(HashAlg.SHA2_256), KeyPolicy.DEFAULT)
        .isEmpty(), "no hash weaker than the curve");
    assertTrue(SignatureHashAlgorithms.choose(KeyKind.RSA, EnumSet.of(HashAlg.SHA1), KeyPolicy.DEFAULT).isEmpty());
    assertEquals(HashAlg.IDENTITY,
        SignatureHashAlgorithms.choose(KeyKind.ED25519, STRONGSWAN, KeyPolicy.DEFAULT).orElseThrow());
  }
}
