package org.openswanj.pluto.daemon;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.openswanj.conf.OpenswanPaths;

/**
 * The package's layout (jdeb's data sets in packaging/pom.xml) and the defaults in the code: without bin/ipsec's
 * ipsec.top, setup and pluto look for bin/ipsec and bin/_updown where the package puts them, and Openswan's files go
 * where {@link OpenswanPaths} says.
 */
class InstallTopTest {
  @Test
  void theDefaultTopIsWherePackagingInstallsBinIpsecAndUpdown() throws Exception {
    String pom = Files.readString(Path.of("..", "packaging", "pom.xml")).replaceAll("\\s+", "");
    assertTrue(pom.contains("<paths><path>${top}/bin/ipsec</path><path>${top}/bin/_updown</path></paths><dst>"
        + InstallTop.PACKAGED + "/bin</dst>"), "the package installs bin/ipsec and bin/_updown in "
        + InstallTop.PACKAGED + "/bin");
  }

  /** The package puts Openswan's files where every tool looks for them by default (conf's OpenswanPaths). */
  @Test
  void packagingInstallsOpenswansFilesAtOpenswanPaths() throws Exception {
    String pom = Files.readString(Path.of("..", "packaging", "pom.xml"));
    Path d = OpenswanPaths.IPSEC_DIR;
    for (Path p : List.of(OpenswanPaths.CONFIG, OpenswanPaths.SECRETS, OpenswanPaths.policies(d),
        OpenswanPaths.caCerts(d), OpenswanPaths.certs(d), OpenswanPaths.crls(d), OpenswanPaths.privateKeys(d))) {
      assertTrue(pom.contains("<dst>" + p + "</dst>") || pom.contains("<path>" + p + "</path>"),
          "the package installs " + p);
    }
  }

  @Test
  void binIpsecsTopWins() {
    assertEquals(Path.of("/opt/x/bin/ipsec"), InstallTop.of("/opt/x").ipsec());
    assertEquals(Path.of("/opt/x/bin/_updown"), InstallTop.of("/opt/x").updown());
    assertEquals(Path.of("/usr/lib/openswanj/bin/_updown"), InstallTop.of(null).updown());
    assertEquals(Path.of("/usr/lib/openswanj/bin/ipsec"), InstallTop.of("").ipsec());
  }
}
