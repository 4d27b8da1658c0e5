package org.openswanj.cluster.state;

import java.net.InetAddress;
import java.util.Objects;

/** An address and UDP port: where IKE is sent to or from (after NAT, the mapped one, RFC 7296 §2.23). */
public record Endpoint(InetAddress address, int port) {
  public Endpoint {
    Objects.requireNonNull(address, "address");
    if (port < 0 || port > 0xffff) {
      throw new IllegalArgumentException("port " + port + " out of range");
    }
  }

  @Override
  public String toString() {
    return address.getHostAddress() + ":" + port;
  }
}
