package org.openswanj.pluto.daemon;

import java.nio.file.Path;

/**
 * Where our own programs are: {@code bin/ipsec} and {@code bin/_updown} under the top that bin/ipsec passes as the
 * system property {@code ipsec.top} (its own parent); run any other way, the package's top (packaging/pom.xml).
 */
record InstallTop(Path top) {
  static final String PROPERTY = "ipsec.top";
  /** The Debian package (packaging/pom.xml) installs bin/ipsec and bin/_updown here. */
  static final Path PACKAGED = Path.of("/usr/lib/openswanj");

  /** This process's: bin/ipsec's ipsec.top, else {@link #PACKAGED}. */
  static InstallTop current() {
    return of(System.getProperty(PROPERTY));
  }

  /** From the property's value, null or blank if unset. */
  static InstallTop of(String property) {
    return new InstallTop(property == null || property.isBlank() ? PACKAGED : Path.of(property));
  }

  /** {@code bin/ipsec}, which setup runs as {@code ipsec pluto}. */
  Path ipsec() {
    return top.resolve("bin").resolve("ipsec");
  }

  /** {@code bin/_updown}, pluto's default updown script. */
  Path updown() {
    return top.resolve("bin").resolve("_updown");
  }
}
