package org.openswanj.kernel;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;

/**
 * pluto's port-4500 socket as a backend sees it: ESP-in-UDP (RFC 3948) is sent through it so that it
 * leaves from the same address and port as IKE, which is what the peer's NAT mapping expects.
 */
public interface UdpEncapSocket {
  /** Sends {@code datagram} (the ESP packet, no marker) from {@code from} to {@code to}. Thread-safe. */
  void send(InetSocketAddress from, InetSocketAddress to, ByteBuffer datagram) throws IOException;

  /** The file descriptor of the socket bound to {@code local}, or -1 (netkey sets UDP_ENCAP on it). */
  default int fileDescriptor(InetSocketAddress local) {
    return -1;
  }
}
