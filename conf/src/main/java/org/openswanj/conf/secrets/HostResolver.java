package org.openswanj.conf.secrets;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.Optional;

/**
 * Resolves a host name written as an ipsec.secrets index. Openswan resolves such names when it loads
 * the file (ipsec.secrets(5)); tests and tools that must not touch DNS use {@link #none()}.
 */
@FunctionalInterface
public interface HostResolver {
  Optional<InetAddress> resolve(String name);

  /** The system resolver (hosts file, then DNS), as Openswan's ttoaddr. */
  static HostResolver system() {
    return name -> {
      try {
        return Optional.of(InetAddress.getByName(name));
      } catch (UnknownHostException | SecurityException e) {
        return Optional.empty();
      }
    };
  }

  /** Resolves nothing. */
  static HostResolver none() {
    return name -> Optional.empty();
  }
}
