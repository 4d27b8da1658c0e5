package org.openswanj.conf;

import java.util.ArrayList;
import java.util.List;

/**
 * {@code virtual_private=%v4:10.0.0.0/8,%v6:fd00::/8,%v4:!192.168.1.0/24}: the networks a NAT-ed peer may
 * claim as its subnet; entries with '!' are excluded (Openswan 2.6's virtual.c).
 */
public record VirtualPrivate(List<Subnet> allowed, List<Subnet> excluded) {
  public static final VirtualPrivate NONE = new VirtualPrivate(List.of(), List.of());

  public VirtualPrivate {
    allowed = List.copyOf(allowed);
    excluded = List.copyOf(excluded);
  }

  public static VirtualPrivate parse(String v) throws ConfigException {
    List<Subnet> allowed = new ArrayList<>();
    List<Subnet> excluded = new ArrayList<>();
    for (String e : Values.list(v)) {
      Entry x = entry("virtual_private", e);
      (x.exclude() ? excluded : allowed).add(x.subnet());
    }
    return new VirtualPrivate(allowed, excluded);
  }

  /** One {@code %v4:[!]net} or {@code %v6:[!]net}. */
  record Entry(Subnet subnet, boolean exclude) {}

  static Entry entry(String key, String e) throws ConfigException {
    String lower = e.toLowerCase(java.util.Locale.ROOT);
    boolean v6 = lower.startsWith("%v6:");
    if (!v6 && !lower.startsWith("%v4:")) {
      throw new ConfigException(key + ": \"" + e + "\" must start with %v4: or %v6:");
    }
    String net = e.substring(4);
    boolean exclude = net.startsWith("!");
    Subnet s = Values.subnet(key, exclude ? net.substring(1) : net);
    if (s.isIpv6() != v6) {
      throw new ConfigException(key + ": \"" + e + "\" is marked " + (v6 ? "%v6" : "%v4")
          + " but the subnet is " + (s.isIpv6() ? "IPv6" : "IPv4"));
    }
    return new Entry(s, exclude);
  }

  /** Whether {@code net} lies inside an allowed network and inside no excluded one. */
  public boolean contains(Subnet net) {
    return allowed.stream().anyMatch(a -> a.containsSubnet(net))
        && excluded.stream().noneMatch(x -> x.containsSubnet(net));
  }

  /** As written in {@code config setup}: {@code %v4:10.0.0.0/8,%v4:!10.1.0.0/16}. */
  @Override
  public String toString() {
    List<String> out = new ArrayList<>();
    allowed.forEach(s -> out.add((s.isIpv6() ? "%v6:" : "%v4:") + s));
    excluded.forEach(s -> out.add((s.isIpv6() ? "%v6:!" : "%v4:!") + s));
    return String.join(",", out);
  }
}
