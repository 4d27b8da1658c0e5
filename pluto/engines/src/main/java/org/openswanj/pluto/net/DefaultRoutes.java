package org.openswanj.pluto.net;

import java.io.IOException;
import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.InterfaceAddress;
import java.net.NetworkInterface;
import java.net.SocketException;
import java.net.UnknownHostException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/**
 * The default route, as Openswan's init scripts find it for {@code %defaultroute} ({@code ip route list
 * 0.0.0.0/0}: its device and gateway, and the device's first address): read from /proc/net/route and
 * /proc/net/ipv6_route, which the kernel fills from the same routing table netlink reports.
 */
public final class DefaultRoutes {
  /** A default route: the interface, the address we send from, the gateway (empty on a point-to-point link). */
  public record Route(String iface, InetAddress source, Optional<InetAddress> gateway) {}

  private static final int RTF_UP = 0x1;
  private static final int RTF_REJECT = 0x200;

  private final Path procNet;

  public DefaultRoutes(Path procNet) {
    this.procNet = procNet;
  }

  public static DefaultRoutes system() {
    return new DefaultRoutes(Path.of("/proc/net"));
  }

  /** The default route with the lowest metric, if there is one and its device has an address of that family. */
  public Optional<Route> find(boolean v6) {
    List<String> lines;
    try {
      lines = Files.readAllLines(procNet.resolve(v6 ? "ipv6_route" : "route"));
    } catch (IOException e) {
      return Optional.empty();
    }
    String bestIface = null;
    byte[] bestGw = null;
    long bestMetric = Long.MAX_VALUE;
    for (String line : lines) {
      String[] f = line.trim().split("\\s+");
      Candidate c = v6 ? v6Candidate(f) : v4Candidate(f);
      if (c != null && c.metric < bestMetric) {
        bestIface = c.iface;
        bestGw = c.gateway;
        bestMetric = c.metric;
      }
    }
    if (bestIface == null) {
      return Optional.empty();
    }
    Optional<InetAddress> source = firstAddress(bestIface, v6);
    if (source.isEmpty()) {
      return Optional.empty();
    }
    return Optional.of(new Route(bestIface, source.get(), gateway(bestGw)));
  }

  private record Candidate(String iface, byte[] gateway, long metric) {}

  /** /proc/net/route: Iface Destination Gateway Flags RefCnt Use Metric Mask ..., addresses in host order. */
  private static Candidate v4Candidate(String[] f) {
    if (f.length < 8 || f[0].equals("Iface")) {
      return null;
    }
    try {
      int flags = Integer.parseInt(f[3], 16);
      if (Long.parseLong(f[1], 16) != 0 || Long.parseLong(f[7], 16) != 0 || (flags & RTF_UP) == 0
          || (flags & RTF_REJECT) != 0) {
        return null;
      }
      int gw = (int) Long.parseLong(f[2], 16);
      byte[] b = {(byte) gw, (byte) (gw >>> 8), (byte) (gw >>> 16), (byte) (gw >>> 24)}; // little-endian
      return new Candidate(f[0], b, Long.parseLong(f[6]));
    } catch (NumberFormatException e) {
      return null;
    }
  }

  /** /proc/net/ipv6_route: dest destlen src srclen nexthop metric refcnt use flags iface (hex fields). */
  private static Candidate v6Candidate(String[] f) {
    if (f.length < 10 || !f[0].matches("0{32}") || !f[1].equals("00")) {
      return null;
    }
    try {
      int flags = (int) Long.parseLong(f[8], 16);
      if ((flags & RTF_UP) == 0 || (flags & RTF_REJECT) != 0 || f[9].equals("lo")) {
        return null;
      }
      byte[] gw = new byte[16];
      for (int i = 0; i < 16; i++) {
        gw[i] = (byte) Integer.parseInt(f[4].substring(2 * i, 2 * i + 2), 16);
      }
      return new Candidate(f[9], gw, Long.parseLong(f[5], 16));
    } catch (NumberFormatException | StringIndexOutOfBoundsException e) {
      return null;
    }
  }

  private static Optional<InetAddress> gateway(byte[] b) {
    for (byte x : b) {
      if (x != 0) {
        try {
          return Optional.of(InetAddress.getByAddress(b));
        } catch (UnknownHostException e) {
          return Optional.empty();
        }
      }
    }
    return Optional.empty();
  }

  private static Optional<InetAddress> firstAddress(String iface, boolean v6) {
    try {
      NetworkInterface ni = NetworkInterface.getByName(iface);
      if (ni == null) {
        return Optional.empty();
      }
      for (InterfaceAddress ia : ni.getInterfaceAddresses()) {
        InetAddress a = ia.getAddress();
        if (v6 ? a instanceof Inet6Address && !a.isLinkLocalAddress() : a instanceof Inet4Address) {
          return Optional.of(v6 ? withoutScope(a) : a);
        }
      }
    } catch (SocketException e) {
      return Optional.empty();
    }
    return Optional.empty();
  }

  private static InetAddress withoutScope(InetAddress a) {
    try {
      return InetAddress.getByAddress(a.getAddress());
    } catch (UnknownHostException e) {
      return a;
    }
  }
}
