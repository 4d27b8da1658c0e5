package org.openswanj.kernel.klips;

import java.io.IOException;
import org.openswanj.kernel.klips.net.RawSocket;
import org.openswanj.kernel.klips.net.TunDevice;

/** An open {@code ipsecN} device, the physical interface it is bound to, and its %pass sockets. */
final class IpsecInterface implements AutoCloseable {
  final String name;
  final String physical;
  final int mtu;
  final TunDevice tun;
  private RawSocket pass4;
  private RawSocket pass6;

  IpsecInterface(String name, String physical, int mtu, TunDevice tun) {
    this.name = name;
    this.physical = physical;
    this.mtu = mtu;
    this.tun = tun;
  }

  /** A raw IPPROTO_RAW socket bound to the physical device: %pass packets go out in the clear there. */
  synchronized RawSocket passSocket(boolean ipv6) throws IOException {
    if (ipv6) {
      if (pass6 == null) {
        pass6 = RawSocket.open(true, 255, physical);
      }
      return pass6;
    }
    if (pass4 == null) {
      pass4 = RawSocket.open(false, 255, physical);
    }
    return pass4;
  }

  @Override
  public synchronized void close() {
    tun.close();
    if (pass4 != null) {
      pass4.close();
    }
    if (pass6 != null) {
      pass6.close();
    }
  }

  String describe() {
    return name + "->" + physical + " mtu=" + mtu;
  }
}
