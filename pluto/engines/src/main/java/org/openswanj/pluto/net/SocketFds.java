package org.openswanj.pluto.net;

import java.lang.reflect.Method;
import java.nio.channels.DatagramChannel;

/**
 * The file descriptor behind a DatagramChannel, for socket options Java does not expose (UDP_ENCAP,
 * IP_XFRM_POLICY). Needs {@code --add-opens java.base/sun.nio.ch=ALL-UNNAMED} (bin/ipsec passes it).
 */
public final class SocketFds {
  private SocketFds() {}

  public static int fd(DatagramChannel ch) {
    try {
      Method m = ch.getClass().getMethod("getFDVal");
      m.setAccessible(true);
      return (Integer) m.invoke(ch);
    } catch (ReflectiveOperationException | RuntimeException e) {
      return -1;
    }
  }
}
