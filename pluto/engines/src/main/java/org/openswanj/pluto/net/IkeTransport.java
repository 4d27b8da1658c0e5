package org.openswanj.pluto.net;

import java.net.InetSocketAddress;

/** How pluto sends IKE messages. The transport adds the non-ESP marker on the NAT-T port (RFC 3948 §2.2). */
public interface IkeTransport {
  void send(InetSocketAddress local, InetSocketAddress remote, byte[] ikeMessage);

  /** A NAT-keepalive (RFC 3948 §2.3): the single octet 0xFF, without a non-ESP marker, from our NAT-T port. */
  void sendNatKeepalive(InetSocketAddress local, InetSocketAddress remote);
}
