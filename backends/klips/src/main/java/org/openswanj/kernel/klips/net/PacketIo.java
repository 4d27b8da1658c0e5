package org.openswanj.kernel.klips.net;

import java.io.IOException;
import java.net.InetAddress;

/**
 * Where the klips backend gets its devices and sockets: {@link #LINUX} opens TUN devices and raw sockets,
 * {@link MemoryNet#host} gives in-memory ones, so the whole data path runs in a plain unit test.
 */
public interface PacketIo {
  /** Creates {@code ipsecN} with {@code queues} queues and the given MTU, up. */
  TunQueues openTun(String name, int mtu, int queues) throws IOException;

  /** The MTU of the physical interface {@code name}. */
  int mtu(String name) throws IOException;

  /** A socket receiving every datagram of IP protocol {@code protocol} (ESP: 50) for this host. */
  PacketSocket openReceiver(boolean ipv6, int protocol) throws IOException;

  /**
   * A send-only raw socket for {@code protocol} from {@code local}, bound to {@code device} (SO_BINDTODEVICE),
   * so what it sends leaves through the physical interface and never loops into {@code ipsecN}.
   */
  PacketSocket openSender(InetAddress local, int protocol, String device) throws IOException;

  /** A raw IPPROTO_RAW socket bound to {@code device}: packets that carry their own IP header (%pass). */
  PacketSocket openPass(boolean ipv6, String device) throws IOException;

  /** The host's kernel: TUN devices and raw sockets (root or CAP_NET_ADMIN + CAP_NET_RAW). */
  PacketIo LINUX = new PacketIo() {
    @Override
    public TunQueues openTun(String name, int mtu, int queues) throws IOException {
      return TunDevice.open(name, mtu, queues);
    }

    @Override
    public int mtu(String name) throws IOException {
      return TunDevice.mtu(name);
    }

    @Override
    public PacketSocket openReceiver(boolean ipv6, int protocol) throws IOException {
      return RawSocket.open(ipv6, protocol, null);
    }

    @Override
    public PacketSocket openSender(InetAddress local, int protocol, String device) throws IOException {
      RawSocket s = RawSocket.open(local.getAddress().length == 16, protocol, device);
      try {
        s.bind(SockAddr.of(local, 0));
        s.dropAllReceived(); // the receivers get inbound ESP; this one only sends
      } catch (IOException e) {
        s.close();
        throw e;
      }
      return s;
    }

    @Override
    public PacketSocket openPass(boolean ipv6, String device) throws IOException {
      return RawSocket.open(ipv6, 255, device);
    }
  };
}
