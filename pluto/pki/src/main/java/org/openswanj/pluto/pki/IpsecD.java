package org.openswanj.pluto.pki;

import java.nio.file.Path;
import java.util.Objects;
import org.openswanj.conf.OpenswanPaths;

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
    return OpenswanPaths.certs(dir);
  }

  public Path cacerts() {
    return OpenswanPaths.caCerts(dir);
  }

  public Path crls() {
    return OpenswanPaths.crls(dir);
  }

  public Path privateKeys() {
    return OpenswanPaths.privateKeys(dir);
  }

  /** {@code leftcert=}: an absolute name as given, a relative one under {@code ipsec.d/certs} (Openswan's rule). */
  public Path certFile(String leftcert) {
    Path p = Path.of(leftcert);
    return p.isAbsolute() ? p : certs().resolve(p);
  }
}
