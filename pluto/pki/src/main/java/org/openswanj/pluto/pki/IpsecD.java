package org.openswanj.pluto.pki;

import java.nio.file.Path;
import java.util.Objects;

/**
 * The {@code ipsec.d} directory as Openswan 2.6 lays it out: {@code certs/} (our certificates; a relative
 * {@code leftcert=} is looked up here), {@code cacerts/} (trusted CAs), {@code crls/} and {@code private/}.
 *
 * @param dir the ipsec.d directory ({@code /etc/ipsec.d} unless {@code --ipsecdir} says otherwise)
 */
public record IpsecD(Path dir) {
  public IpsecD {
    Objects.requireNonNull(dir, "dir");
  }

  public Path certs() {
    return dir.resolve("certs");
  }

  public Path cacerts() {
    return dir.resolve("cacerts");
  }

  public Path crls() {
    return dir.resolve("crls");
  }

  public Path privateKeys() {
    return dir.resolve("private");
  }

  /** {@code leftcert=}: an absolute name as given, a relative one under {@code ipsec.d/certs} (Openswan's rule). */
  public Path certFile(String leftcert) {
    Path p = Path.of(leftcert);
    return p.isAbsolute() ? p : certs().resolve(p);
  }
}
