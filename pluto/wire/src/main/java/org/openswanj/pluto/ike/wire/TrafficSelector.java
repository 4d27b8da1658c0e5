package org.openswanj.pluto.ike.wire;

import java.net.Inet6Address;
import java.net.InetAddress;

/** One traffic selector (RFC 7296 §3.13.1); ipProtocol 0 = any, ports 0..65535 = any. */
public record TrafficSelector(TsType type, int ipProtocol, int startPort, int endPort, InetAddress start, InetAddress end) {
  /** A selector covering {@code start..end}, any protocol and port; the type follows the address family. */
  public static TrafficSelector ofRange(InetAddress start, InetAddress end) {
    TsType t = start instanceof Inet6Address ? TsType.TS_IPV6_ADDR_RANGE : TsType.TS_IPV4_ADDR_RANGE;
    return new TrafficSelector(t, 0, 0, 65535, start, end);
  }
}
