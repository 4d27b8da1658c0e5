package org.openswanj.conf.secrets;

import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.security.PrivateKey;
import java.security.interfaces.RSAPrivateCrtKey;
import org.bouncycastle.asn1.pkcs.PrivateKeyInfo;
import org.bouncycastle.jce.provider.BouncyCastleProvider;
import org.bouncycastle.openssl.PEMEncryptedKeyPair;
import org.bouncycastle.openssl.PEMKeyPair;
import org.bouncycastle.openssl.PEMParser;
import org.bouncycastle.openssl.jcajce.JcaPEMKeyConverter;
import org.bouncycastle.openssl.jcajce.JceOpenSSLPKCS8DecryptorProviderBuilder;
import org.bouncycastle.openssl.jcajce.JcePEMDecryptorProviderBuilder;
import org.bouncycastle.operator.InputDecryptorProvider;
import org.bouncycastle.pkcs.PKCS8EncryptedPrivateKeyInfo;

/**
 * Reads RSA private keys from PEM files with Bouncy Castle: PKCS#1 ("RSA PRIVATE KEY", also with
 * OpenSSL's Proc-Type: 4,ENCRYPTED) and PKCS#8 ("PRIVATE KEY", "ENCRYPTED PRIVATE KEY"). Other PEM
 * objects in the file (certificates) are skipped.
 */
final class PemKeys {
  private PemKeys() {}

  /** True if the file holds an encrypted key (so a passphrase is needed). */
  static boolean isEncrypted(Path file) throws SecretsException {
    String text = readText(file);
    return text.contains("ENCRYPTED");
  }

  static RsaPrivateKey read(Path file, char[] passphrase) throws SecretsException {
    String text = readText(file);
    BouncyCastleProvider bc = new BouncyCastleProvider();
    JcaPEMKeyConverter converter = new JcaPEMKeyConverter().setProvider(bc);
    try (Reader r = new java.io.StringReader(text); PEMParser parser = new PEMParser(r)) {
      for (Object o = parser.readObject(); o != null; o = parser.readObject()) {
        PrivateKey key = toPrivateKey(o, converter, bc, passphrase, file);
        if (key != null) {
          return rsa(key, file);
        }
      }
    } catch (IOException | RuntimeException e) {
      throw new SecretsException("cannot read private key file " + file + ": not a valid PEM file ("
          + e.getClass().getSimpleName() + ")");
    }
    throw new SecretsException("no PEM private key found in " + file);
  }

  private static PrivateKey toPrivateKey(Object o, JcaPEMKeyConverter converter, BouncyCastleProvider bc,
      char[] passphrase, Path file) throws SecretsException, IOException {
    if (o instanceof PEMKeyPair kp) {
      return converter.getKeyPair(kp).getPrivate();
    }
    if (o instanceof PrivateKeyInfo info) {
      return converter.getPrivateKey(info);
    }
    if (o instanceof PEMEncryptedKeyPair ekp) {
      char[] pass = need(passphrase, file);
      try {
        return converter.getKeyPair(ekp.decryptKeyPair(
            new JcePEMDecryptorProviderBuilder().setProvider(bc).build(pass))).getPrivate();
      } catch (IOException | RuntimeException e) {
        throw wrongPassphrase(file);
      }
    }
    if (o instanceof PKCS8EncryptedPrivateKeyInfo enc) {
      char[] pass = need(passphrase, file);
      try {
        InputDecryptorProvider dec = new JceOpenSSLPKCS8DecryptorProviderBuilder().setProvider(bc).build(pass);
        return converter.getPrivateKey(enc.decryptPrivateKeyInfo(dec));
      } catch (Exception e) {
        throw wrongPassphrase(file);
      }
    }
    return null;
  }

  private static RsaPrivateKey rsa(PrivateKey key, Path file) throws SecretsException {
    if (!(key instanceof RSAPrivateCrtKey crt)) {
      String alg = key.getAlgorithm().startsWith("EC") ? "EC" : key.getAlgorithm();
      throw new SecretsException("private key in " + file + " is " + alg
          + ", not RSA (only RSA keys are supported)");
    }
    return RsaKeys.fromCrt(crt);
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
      return Files.readString(file, StandardCharsets.ISO_8859_1);
    } catch (NoSuchFileException e) {
      throw new SecretsException("private key file " + file + " does not exist");
    } catch (IOException e) {
      throw new SecretsException("cannot read private key file " + file + ": " + e.getMessage());
    }
  }
}
