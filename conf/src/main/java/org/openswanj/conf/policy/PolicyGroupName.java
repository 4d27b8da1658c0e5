package org.openswanj.conf.policy;

import java.util.Locale;
import java.util.Optional;

/** Openswan's opportunistic-encryption policy groups, each read from ipsec.d/policies/NAME. */
public enum PolicyGroupName {
  CLEAR,
  CLEAR_OR_PRIVATE,
  PRIVATE_OR_CLEAR,
  PRIVATE,
  BLOCK;

  /** The file (and implicit conn) name: clear, clear-or-private, private-or-clear, private, block. */
  public String fileName() {
    return name().toLowerCase(Locale.ROOT).replace('_', '-');
  }

  /** The group for a file or conn name; never throws. */
  public static Optional<PolicyGroupName> fromFileName(String name) {
    for (PolicyGroupName g : values()) {
      if (g.fileName().equals(name)) {
        return Optional.of(g);
      }
    }
    return Optional.empty();
  }
}
