package org.openswanj.kernel.klips.net;

import com.sun.jna.Memory;
import java.net.Inet4Address;
import java.net.InetAddress;

/** A native {@code sockaddr_in} / {@code sockaddr_in6}, built once per peer (never per packet). */
public final class SockAddr {
  private final Memory memory;
  private final int length;
  private final InetAddress address;

  private SockAddr(Memory memory, int length, InetAddress address) {
    this.memory = memory;
    this.length = length;
    this.address = address;
  }

  public static SockAddr of(InetAddress address, int port) {
    byte[] a = address.getAddress();
    if (address instanceof Inet4Address) {
      Memory m = new Memory(16);
      m.clear();
      m.setShort(0, (short) Libc.AF_INET); // host order
      m.setByte(2, (byte) (port >> 8));
      m.setByte(3, (byte) port);
      m.write(4, a, 0, 4);
      return new SockAddr(m, 16, address);
    }
    Memory m = new Memory(28);
    m.clear();
    m.setShort(0, (short) Libc.AF_INET6);
    m.setByte(2, (byte) (port >> 8));
    m.setByte(3, (byte) port);
    m.write(8, a, 0, 16);
    return new SockAddr(m, 28, address);
  }

  public Memory pointer() {
    return memory;
  }

  /** The address this was built from (the port is not kept). */
  public InetAddress address() {
    return address;
  }

  public int length() {
    return length;
  }
}
