package org.openswanj.kernel.klips;

import java.io.IOException;
import org.openswanj.kernel.klips.net.PacketIo;
import org.openswanj.kernel.klips.net.PacketSocket;
import org.openswanj.kernel.klips.net.TunQueues;

/** An open {@code ipsecN} device, the physical interface it is bound to, and its %pass sockets. */
final class IpsecInterface implements AutoCloseable {
  final String name;
  final String physical;
  final int mtu;
  final TunQueues tun;
  private final PacketIo io;
  private PacketSocket pass4;
  private PacketSocket pass6;

  IpsecInterface(String name, String physical, int mtu, TunQueues tun, PacketIo io) {
    this.name = name;
    this.physical = physical;
    this.mtu = mtu;
    this.tun = tun;
    this.io = io;
  }

  /** A raw IPPROTO_RAW socket bound to the physical device: %pass packets go out in the clear there. */
  synchronized PacketSocket passSocket(boolean ipv6) throws IOException {
    if (ipv6) {
      if (pass6 == null) {
        pass6 = io.openPass(true, physical);
      }
      return pass6;
    }
    if (pass4 == null) {
      pass4 = io.openPass(false, physical);
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
