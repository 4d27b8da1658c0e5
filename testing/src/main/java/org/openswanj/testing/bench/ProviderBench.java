package org.openswanj.testing.bench;

import java.math.BigInteger;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.SecureRandom;
import java.security.Signature;
import java.security.interfaces.RSAPrivateCrtKey;
import java.security.interfaces.RSAPublicKey;
import java.security.spec.ECGenParameterSpec;
import java.util.concurrent.TimeUnit;
import javax.crypto.Cipher;
import javax.crypto.KeyAgreement;
import javax.crypto.Mac;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;
import org.bouncycastle.asn1.x9.X9ECParameters;
import org.bouncycastle.crypto.agreement.ECDHBasicAgreement;
import org.bouncycastle.crypto.agreement.X25519Agreement;
import org.bouncycastle.crypto.digests.SHA256Digest;
import org.bouncycastle.crypto.digests.SHA512Digest;
import org.bouncycastle.crypto.ec.CustomNamedCurves;
import org.bouncycastle.crypto.engines.AESEngine;
import org.bouncycastle.crypto.generators.ECKeyPairGenerator;
import org.bouncycastle.crypto.macs.HMac;
import org.bouncycastle.crypto.modes.GCMBlockCipher;
import org.bouncycastle.crypto.modes.GCMModeCipher;
import org.bouncycastle.crypto.params.AEADParameters;
import org.bouncycastle.crypto.params.ECDomainParameters;
import org.bouncycastle.crypto.params.ECKeyGenerationParameters;
import org.bouncycastle.crypto.params.ECPrivateKeyParameters;
import org.bouncycastle.crypto.params.ECPublicKeyParameters;
import org.bouncycastle.crypto.params.Ed25519PrivateKeyParameters;
import org.bouncycastle.crypto.params.Ed25519PublicKeyParameters;
import org.bouncycastle.crypto.params.KeyParameter;
import org.bouncycastle.crypto.params.RSAKeyParameters;
import org.bouncycastle.crypto.params.RSAPrivateCrtKeyParameters;
import org.bouncycastle.crypto.params.X25519PrivateKeyParameters;
import org.bouncycastle.crypto.params.X25519PublicKeyParameters;
import org.bouncycastle.crypto.signers.Ed25519Signer;
import org.bouncycastle.crypto.signers.RSADigestSigner;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/**
 * The JDK's providers (JCE: SunEC, SunJCE, SunRsaSign) against Bouncy Castle's lightweight API, per primitive
 * pluto uses: X25519 and P-256 ECDH (one shared secret), RSA-3072 and Ed25519 (sign and verify a 64-byte
 * message), AES-GCM-256 (seal 1 KiB), HMAC-SHA-256/512 (MAC 256 bytes, keyed per call as a PRF is). Both
 * sides of each pair do the same work on the same keys; run by {@code testing/bench/providers}.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
public class ProviderBench {
  private final SecureRandom random = new SecureRandom();
  private final byte[] msg = new byte[64];
  private final byte[] kib = new byte[1024];
  private final byte[] prfIn = new byte[256];
  private final byte[] aesKey = new byte[32];
  private final byte[] nonce = new byte[12];
  private KeyPair jX25519;
  private java.security.PublicKey jX25519Peer;
  private X25519PrivateKeyParameters bX25519;
  private X25519PublicKeyParameters bX25519Peer;
  private KeyPair jP256;
  private java.security.PublicKey jP256Peer;
  private ECPrivateKeyParameters bP256;
  private ECPublicKeyParameters bP256Peer;
  private KeyPair jRsa;
  private RSAPrivateCrtKeyParameters bRsa;
  private RSAKeyParameters bRsaPub;
  private byte[] rsaSig;
  private KeyPair jEd;
  private Ed25519PrivateKeyParameters bEd;
  private Ed25519PublicKeyParameters bEdPub;
  private byte[] edSig;
  private byte[] jEdSig;

  @Setup
  public void setup() throws Exception {
    random.nextBytes(msg);
    random.nextBytes(kib);
    random.nextBytes(aesKey);
    random.nextBytes(nonce);
    KeyPairGenerator x = KeyPairGenerator.getInstance("X25519");
    jX25519 = x.generateKeyPair();
    jX25519Peer = x.generateKeyPair().getPublic();
    bX25519 = new X25519PrivateKeyParameters(random);
    bX25519Peer = new X25519PrivateKeyParameters(random).generatePublicKey();
    KeyPairGenerator ec = KeyPairGenerator.getInstance("EC");
    ec.initialize(new ECGenParameterSpec("secp256r1"));
    jP256 = ec.generateKeyPair();
    jP256Peer = ec.generateKeyPair().getPublic();
    X9ECParameters p = CustomNamedCurves.getByName("P-256");
    ECKeyPairGenerator bec = new ECKeyPairGenerator();
    bec.init(new ECKeyGenerationParameters(new ECDomainParameters(p), random));
    bP256 = (ECPrivateKeyParameters) bec.generateKeyPair().getPrivate();
    bP256Peer = (ECPublicKeyParameters) bec.generateKeyPair().getPublic();
    KeyPairGenerator rsa = KeyPairGenerator.getInstance("RSA");
    rsa.initialize(3072);
    jRsa = rsa.generateKeyPair();
    RSAPrivateCrtKey k = (RSAPrivateCrtKey) jRsa.getPrivate();
    bRsa = new RSAPrivateCrtKeyParameters(k.getModulus(), k.getPublicExponent(), k.getPrivateExponent(),
        k.getPrimeP(), k.getPrimeQ(), k.getPrimeExponentP(), k.getPrimeExponentQ(), k.getCrtCoefficient());
    RSAPublicKey pub = (RSAPublicKey) jRsa.getPublic();
    bRsaPub = new RSAKeyParameters(false, pub.getModulus(), pub.getPublicExponent());
    rsaSig = jceRsaSign();
    jEd = KeyPairGenerator.getInstance("Ed25519").generateKeyPair();
    bEd = new Ed25519PrivateKeyParameters(random);
    bEdPub = bEd.generatePublicKey();
    edSig = bcEd25519Sign();
    jEdSig = jceEd25519Sign();
  }

  @Benchmark
  public byte[] jceX25519() throws Exception {
    KeyAgreement ka = KeyAgreement.getInstance("X25519");
    ka.init(jX25519.getPrivate());
    ka.doPhase(jX25519Peer, true);
    return ka.generateSecret();
  }

  @Benchmark
  public byte[] bcX25519() {
    X25519Agreement a = new X25519Agreement();
    a.init(bX25519);
    byte[] out = new byte[32];
    a.calculateAgreement(bX25519Peer, out, 0);
    return out;
  }

  @Benchmark
  public byte[] jceP256Ecdh() throws Exception {
    KeyAgreement ka = KeyAgreement.getInstance("ECDH");
    ka.init(jP256.getPrivate());
    ka.doPhase(jP256Peer, true);
    return ka.generateSecret();
  }

  @Benchmark
  public BigInteger bcP256Ecdh() {
    ECDHBasicAgreement a = new ECDHBasicAgreement();
    a.init(bP256);
    return a.calculateAgreement(bP256Peer);
  }

  @Benchmark
  public byte[] jceRsaSign() throws Exception {
    Signature s = Signature.getInstance("SHA256withRSA");
    s.initSign(jRsa.getPrivate());
    s.update(msg);
    return s.sign();
  }

  @Benchmark
  public byte[] bcRsaSign() throws Exception {
    RSADigestSigner s = new RSADigestSigner(new SHA256Digest());
    s.init(true, bRsa);
    s.update(msg, 0, msg.length);
    return s.generateSignature();
  }

  @Benchmark
  public boolean jceRsaVerify() throws Exception {
    Signature s = Signature.getInstance("SHA256withRSA");
    s.initVerify(jRsa.getPublic());
    s.update(msg);
    return s.verify(rsaSig);
  }

  @Benchmark
  public boolean bcRsaVerify() {
    RSADigestSigner s = new RSADigestSigner(new SHA256Digest());
    s.init(false, bRsaPub);
    s.update(msg, 0, msg.length);
    return s.verifySignature(rsaSig);
  }

  @Benchmark
  public byte[] jceEd25519Sign() throws Exception {
    Signature s = Signature.getInstance("Ed25519");
    s.initSign(jEd.getPrivate());
    s.update(msg);
    return s.sign();
  }

  @Benchmark
  public byte[] bcEd25519Sign() {
    Ed25519Signer s = new Ed25519Signer();
    s.init(true, bEd);
    s.update(msg, 0, msg.length);
    return s.generateSignature();
  }

  @Benchmark
  public boolean jceEd25519Verify() throws Exception {
    Signature s = Signature.getInstance("Ed25519");
    s.initVerify(jEd.getPublic());
    s.update(msg);
    return s.verify(jEdSig);
  }

  @Benchmark
  public boolean bcEd25519Verify() {
    Ed25519Signer s = new Ed25519Signer();
    s.init(false, bEdPub);
    s.update(msg, 0, msg.length);
    return s.verifySignature(edSig);
  }

  /** A fresh nonce per call would cost the same on both sides; the JDK refuses key+IV reuse, so bump it. */
  private byte[] nextNonce() {
    nonce[11]++;
    if (nonce[11] == 0) {
      nonce[10]++;
    }
    return nonce;
  }

  @Benchmark
  public byte[] jceAesGcm256() throws Exception {
    Cipher c = Cipher.getInstance("AES/GCM/NoPadding");
    c.init(Cipher.ENCRYPT_MODE, new SecretKeySpec(aesKey, "AES"), new GCMParameterSpec(128, nextNonce()));
    return c.doFinal(kib);
  }

  @Benchmark
  public byte[] bcAesGcm256() throws Exception {
    GCMModeCipher c = GCMBlockCipher.newInstance(AESEngine.newInstance());
    c.init(true, new AEADParameters(new KeyParameter(aesKey), 128, nextNonce()));
    byte[] out = new byte[c.getOutputSize(kib.length)];
    int n = c.processBytes(kib, 0, kib.length, out, 0);
    c.doFinal(out, n);
    return out;
  }

  @Benchmark
  public byte[] jceHmacSha256() throws Exception {
    return jceMac("HmacSHA256");
  }

  @Benchmark
  public byte[] bcHmacSha256() {
    return bcMac(new HMac(new SHA256Digest()));
  }

  @Benchmark
  public byte[] jceHmacSha512() throws Exception {
    return jceMac("HmacSHA512");
  }

  @Benchmark
  public byte[] bcHmacSha512() {
    return bcMac(new HMac(new SHA512Digest()));
  }

  private byte[] jceMac(String alg) throws Exception {
    Mac m = Mac.getInstance(alg);
    m.init(new SecretKeySpec(aesKey, alg));
    return m.doFinal(prfIn);
  }

  private byte[] bcMac(HMac m) {
    m.init(new KeyParameter(aesKey));
    m.update(prfIn, 0, prfIn.length);
    byte[] out = new byte[m.getMacSize()];
    m.doFinal(out, 0);
    return out;
  }
}
