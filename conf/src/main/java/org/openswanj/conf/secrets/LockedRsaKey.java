package org.openswanj.conf.secrets;

import java.nio.file.Path;
import java.util.Objects;

/**
 * An RSA key file whose passphrase is to be asked for ({@code : RSA key.pem %prompt}); Openswan asks
 * through whack when a connection needs it. {@link #unlock} reads it with the passphrase given then.
 */
public final class LockedRsaKey implements Secret {
  private final Path file;

  public LockedRsaKey(Path file) {
    this.file = Objects.requireNonNull(file, "file");
  }

  public Path file() {
    return file;
  }

  /** Decrypts the key file with {@code passphrase}; the message on failure never contains it. */
  public RsaPrivateKey unlock(char[] passphrase) throws SecretsException {
    return PemKeys.read(file, passphrase);
  }

  @Override
  public SecretKind kind() {
    return SecretKind.RSA;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof LockedRsaKey k && k.file.equals(file);
  }

  @Override
  public int hashCode() {
    return file.hashCode();
  }

  @Override
  public String toString() {
    return "[RSA key file " + file + ", locked]";
  }
}
