package org.openswanj.conf;

import java.util.ArrayList;
import java.util.List;

/**
 * {@code virtual_private=%v4:10.0.0.0/8,%v6:fd00::/8,%v4:!192.168.1.0/24}: the networks a NAT-ed peer may
 * claim as its subnet; entries with '!' are excluded.
 */
public record VirtualPrivate(List<Subnet> allowed, List<Subnet> excluded) {
  public VirtualPrivate {
    allowed = List.copyOf(allowed);
    excluded = List.copyOf(excluded);
  }

  public static VirtualPrivate parse(String v) throws ConfigException {
    List<Subnet> allowed = new ArrayList<>();
    List<Subnet> excluded = new ArrayList<>();
    for (String e : Values.list(v)) {
      String lower = e.toLowerCase(java.util.Locale.ROOT);
      boolean v6 = lower.startsWith("%v6:");
      if (!v6 && !lower.startsWith("%v4:")) {
        throw new ConfigException("virtual_private: \"" + e + "\" must start with %v4: or %v6:");
      }
      String net = e.substring(4);
      boolean exclude = net.startsWith("!");
      Subnet s = Values.subnet("virtual_private", exclude ? net.substring(1) : net);
      if (s.isIpv6() != v6) {
        throw new ConfigException("virtual_private: \"" + e + "\" is marked " + (v6 ? "%v6" : "%v4")
            + " but the subnet is " + (s.isIpv6() ? "IPv6" : "IPv4"));
      }
      (exclude ? excluded : allowed).add(s);
    }
    return new VirtualPrivate(allowed, excluded);
  }
}
