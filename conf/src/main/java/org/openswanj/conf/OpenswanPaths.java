package org.openswanj.conf;

import java.nio.file.Path;

/**
 * Openswan 2.6's default file locations, declared once; every tool takes these as its defaults and lets the
 * command line override them ({@code --config}, {@code --secretsfile}, {@code --ipsecdir}, {@code --ctlbase}).
 */
public final class OpenswanPaths {
  /** ipsec.conf. */
  public static final Path CONFIG = Path.of("/etc/ipsec.conf");
  /** ipsec.secrets. */
  public static final Path SECRETS = Path.of("/etc/ipsec.secrets");
  /** The ipsec.d directory of certificates, keys and policy groups. */
  public static final Path IPSEC_DIR = Path.of("/etc/ipsec.d");
  /** The control socket and pid file without their suffixes (Openswan's {@code --ctlbase}). */
  public static final String CTLBASE = "/var/run/pluto/pluto";
  /** Suffix of the control socket after the ctlbase (Openswan's CTL_SUFFIX). */
  public static final String CTL_SUFFIX = ".ctl";
  /** Suffix of the pid file after the ctlbase (Openswan's PID_SUFFIX). */
  public static final String PID_SUFFIX = ".pid";

  private OpenswanPaths() {}

  /** {@code <ctlbase>.ctl}, whack's socket. */
  public static Path controlSocket(String ctlbase) {
    return Path.of(ctlbase + CTL_SUFFIX);
  }

  /** {@code <ctlbase>.pid}, which also keeps a second pluto from starting. */
  public static Path pidFile(String ctlbase) {
    return Path.of(ctlbase + PID_SUFFIX);
  }

  /**
   * The ipsec.d beside a secrets file, for the tools that take only {@code --file}: Openswan's layout puts both in
   * /etc, so for {@link #SECRETS} this is {@link #IPSEC_DIR}.
   */
  public static Path ipsecDirBeside(Path secretsFile) {
    return secretsFile.toAbsolutePath().resolveSibling(IPSEC_DIR.getFileName());
  }

  /** {@code ipsec.d/passwd}: the XAUTH users (Openswan's xauthby=file). */
  public static Path passwd(Path ipsecDir) {
    return ipsecDir.resolve("passwd");
  }

  /** {@code ipsec.d/policies}: the opportunistic-encryption policy groups. */
  public static Path policies(Path ipsecDir) {
    return ipsecDir.resolve("policies");
  }

  /** {@code ipsec.d/private}: private keys named by relative paths in ipsec.secrets. */
  public static Path privateKeys(Path ipsecDir) {
    return ipsecDir.resolve("private");
  }

  /** {@code ipsec.d/certs}: our and peers' certificates. */
  public static Path certs(Path ipsecDir) {
    return ipsecDir.resolve("certs");
  }

  /** {@code ipsec.d/cacerts}: trusted CA certificates. */
  public static Path caCerts(Path ipsecDir) {
    return ipsecDir.resolve("cacerts");
  }

  /** {@code ipsec.d/crls}: certificate revocation lists. */
  public static Path crls(Path ipsecDir) {
    return ipsecDir.resolve("crls");
  }
}
