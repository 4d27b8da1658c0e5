package org.openswanj.testing.interop;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.openswanj.testing.lab.Host;
import org.openswanj.testing.lab.Lab;
import org.openswanj.testing.lab.StrongSwan;

/**
 * The lab most interop tests stand on: pluto in west, strongSwan's charon in east, both namespaces made for each
 * test and torn down after it. A subclass names its namespaces' prefix and may prepare the hosts (addresses, a
 * lossy path) in {@link #prepare()}, before charon starts.
 */
abstract class CharonLabTest {
  private final String prefix;
  Lab lab;
  Host west;
  StrongSwan east;

  CharonLabTest(String prefix) {
    this.prefix = prefix;
  }

  /** Runs once the namespaces exist, before charon starts. */
  void prepare() throws Exception {}

  @BeforeEach
  final void upCharonLab() throws Exception {
    Lab.requirePluto();
    Lab.requireCharon();
    lab = Lab.up(prefix);
    west = lab.west();
    east = lab.east().strongSwan();
    prepare();
    east.start();
  }

  @AfterEach
  final void downCharonLab() {
    lab.close();
  }
}
