package org.openswanj.conf.secrets;

import java.io.IOException;
import java.io.Reader;
import java.io.StringReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.PrivateKey;
import java.security.interfaces.ECPrivateKey;
import java.security.interfaces.ECPublicKey;
import java.security.interfaces.RSAPrivateCrtKey;
import java.security.spec.PKCS8EncodedKeySpec;
import java.security.spec.X509EncodedKeySpec;
import java.util.Set;
import org.bouncycastle.asn1.pkcs.PrivateKeyInfo;
import org.bouncycastle.jce.provider.BouncyCastleProvider;
import org.bouncycastle.jce.spec.ECParameterSpec;
import org.bouncycastle.jce.spec.ECPublicKeySpec;
import org.bouncycastle.openssl.PEMEncryptedKeyPair;
import org.bouncycastle.openssl.PEMKeyPair;
import org.bouncycastle.openssl.PEMParser;
import org.bouncycastle.openssl.jcajce.JcaPEMKeyConverter;
import org.bouncycastle.openssl.jcajce.JceOpenSSLPKCS8DecryptorProviderBuilder;
import org.bouncycastle.openssl.jcajce.JcePEMDecryptorProviderBuilder;
import org.bouncycastle.operator.InputDecryptorProvider;
import org.bouncycastle.pkcs.PKCS8EncryptedPrivateKeyInfo;

/**
 * Reads private keys from PEM files with Bouncy Castle: PKCS#1 ("RSA PRIVATE KEY", also with OpenSSL's Proc-Type:
 * 4,ENCRYPTED), SEC1 ("EC PRIVATE KEY", RFC 5915) and PKCS#8 ("PRIVATE KEY", "ENCRYPTED PRIVATE KEY"). Other PEM
 * objects in the file (certificates, EC parameters) are skipped. A file that group or others may read is refused
 * before it is read (issue 13 item 7: Openswan's ipsec.d/private is mode 700 and its keys 600).
 */
final class PemKeys {
  private static final BouncyCastleProvider BC = new BouncyCastleProvider();

  private PemKeys() {}

  /** True if the file holds an encrypted key (so a passphrase is needed). */
  static boolean isEncrypted(Path file) throws SecretsException {
    String text = readText(file);
    return text.contains("ENCRYPTED");
  }

  /** An RSA key ({@code : RSA file}). */
  static RsaPrivateKey read(Path file, char[] passphrase) throws SecretsException {
    PrivateKey key = readAny(file, passphrase);
    if (!(key instanceof RSAPrivateCrtKey crt)) {
      throw new SecretsException("private key in " + file + " is " + algorithm(key) + ", not RSA"
          + (key instanceof ECPrivateKey ? " (write : ECDSA for an EC key)" : ""));
    }
    return RsaKeys.fromCrt(crt);
  }

  /** An EC key ({@code : ECDSA file}), with its public point computed from the private scalar. */
  static EcdsaPrivateKey readEc(Path file, char[] passphrase) throws SecretsException {
    PrivateKey key = readAny(file, passphrase);
    if (!(key instanceof org.bouncycastle.jce.interfaces.ECPrivateKey ec)) {
      throw new SecretsException("private key in " + file + " is " + algorithm(key) + ", not EC"
          + (key instanceof RSAPrivateCrtKey ? " (write : RSA for an RSA key)" : ""));
    }
    try {
      ECParameterSpec params = ec.getParameters();
      if (params == null) {
        throw new SecretsException("EC private key in " + file + " names no curve");
      }
      KeyFactory bcFactory = KeyFactory.getInstance("EC", BC);
      java.security.PublicKey pub = bcFactory.generatePublic(
          new ECPublicKeySpec(params.getG().multiply(ec.getD()).normalize(), params));
      // Hand the JDK's own key objects to the rest of pluto (its Signature and certificate code use them).
      KeyFactory jdk = KeyFactory.getInstance("EC");
      ECPrivateKey priv = (ECPrivateKey) jdk.generatePrivate(new PKCS8EncodedKeySpec(key.getEncoded()));
      ECPublicKey jpub = (ECPublicKey) jdk.generatePublic(new X509EncodedKeySpec(pub.getEncoded()));
      return new EcdsaPrivateKey(priv, jpub);
    } catch (GeneralSecurityException | RuntimeException e) {
      throw new SecretsException("EC private key in " + file + " is not on a curve this JDK supports");
    }
  }

  private static PrivateKey readAny(Path file, char[] passphrase) throws SecretsException {
    String text = readText(file);
    JcaPEMKeyConverter converter = new JcaPEMKeyConverter().setProvider(BC);
    try (Reader r = new StringReader(text); PEMParser parser = new PEMParser(r)) {
      for (Object o = parser.readObject(); o != null; o = parser.readObject()) {
        PrivateKey key = toPrivateKey(o, converter, passphrase, file);
        if (key != null) {
          return key;
        }
      }
    } catch (IOException | RuntimeException e) {
      throw new SecretsException("cannot read private key file " + file + ": not a valid PEM file ("
          + e.getClass().getSimpleName() + ")");
    }
    throw new SecretsException("no PEM private key found in " + file);
  }

  private static PrivateKey toPrivateKey(Object o, JcaPEMKeyConverter converter, char[] passphrase, Path file)
      throws SecretsException, IOException {
    if (o instanceof PEMKeyPair kp) {
      return converter.getPrivateKey(kp.getPrivateKeyInfo());
    }
    if (o instanceof PrivateKeyInfo info) {
      return converter.getPrivateKey(info);
    }
    if (o instanceof PEMEncryptedKeyPair ekp) {
      char[] pass = need(passphrase, file);
      try {
        return converter.getPrivateKey(ekp.decryptKeyPair(
            new JcePEMDecryptorProviderBuilder().setProvider(BC).build(pass)).getPrivateKeyInfo());
      } catch (IOException | RuntimeException e) {
        throw wrongPassphrase(file);
      }
    }
    if (o instanceof PKCS8EncryptedPrivateKeyInfo enc) {
      char[] pass = need(passphrase, file);
      try {
        InputDecryptorProvider dec = new JceOpenSSLPKCS8DecryptorProviderBuilder().setProvider(BC).build(pass);
        return converter.getPrivateKey(enc.decryptPrivateKeyInfo(dec));
      } catch (Exception e) {
        throw wrongPassphrase(file);
      }
    }
    return null;
  }

  private static String algorithm(PrivateKey key) {
    return key.getAlgorithm().startsWith("EC") ? "EC" : key.getAlgorithm();
  }

  private static char[] need(char[] passphrase, Path file) throws SecretsException {
    if (passphrase == null) {
      throw new SecretsException("private key file " + file
          + " is encrypted: give its passphrase in quotes or %prompt");
    }
    return passphrase;
  }

  private static SecretsException wrongPassphrase(Path file) {
    return new SecretsException("cannot decrypt private key file " + file + ": wrong passphrase?");
  }

  private static String readText(Path file) throws SecretsException {
    try {
      refuseIfShared(file);
      return org.openswanj.conf.RegularFiles.readString(file, StandardCharsets.ISO_8859_1);
    } catch (NoSuchFileException e) {
      throw new SecretsException("private key file " + file + " does not exist");
    } catch (IOException e) {
      throw new SecretsException("cannot read private key file " + file + ": " + e.getMessage());
    }
  }

  private static void refuseIfShared(Path file) throws IOException, SecretsException {
    Set<PosixFilePermission> perms;
    try {
      perms = Files.getPosixFilePermissions(file);
    } catch (UnsupportedOperationException e) {
      return; // not a POSIX file system: nothing to check
    }
    if (perms.contains(PosixFilePermission.GROUP_READ) || perms.contains(PosixFilePermission.OTHERS_READ)) {
      throw new SecretsException("private key file " + file + " is readable by group or others ("
          + PosixFilePermissions.toString(perms) + "): refused, make it mode 600 (chmod 600 " + file + ")");
    }
  }
}
