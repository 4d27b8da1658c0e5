package org.openswanj.conf;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/** Openswan 2.6's layout: the tools that find ipsec.d beside a secrets file find the daemon's default one. */
class OpenswanPathsTest {
  @Test
  void theIpsecDBesideTheDefaultSecretsIsTheDefaultIpsecD() {
    assertEquals(Path.of("/etc/ipsec.secrets"), OpenswanPaths.SECRETS);
    assertEquals(OpenswanPaths.IPSEC_DIR, OpenswanPaths.ipsecDirBeside(OpenswanPaths.SECRETS));
    assertEquals(Path.of("/tmp/x/ipsec.d"), OpenswanPaths.ipsecDirBeside(Path.of("/tmp/x/my.secrets")));
  }

  @Test
  void ipsecDHoldsCertsCaCertsCrlsPrivateKeysPasswdAndPolicies() {
    Path d = Path.of("/srv/ipsec.d");
    assertEquals(Path.of("/srv/ipsec.d/certs"), OpenswanPaths.certs(d));
    assertEquals(Path.of("/srv/ipsec.d/cacerts"), OpenswanPaths.caCerts(d));
    assertEquals(Path.of("/srv/ipsec.d/crls"), OpenswanPaths.crls(d));
    assertEquals(Path.of("/srv/ipsec.d/private"), OpenswanPaths.privateKeys(d));
    assertEquals(Path.of("/srv/ipsec.d/passwd"), OpenswanPaths.passwd(d));
    assertEquals(Path.of("/srv/ipsec.d/policies"), OpenswanPaths.policies(d));
  }
}
