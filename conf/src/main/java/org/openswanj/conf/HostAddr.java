package org.openswanj.conf;

import java.net.Inet6Address;
import java.net.InetAddress;
import java.util.Locale;

/** {@code left=} / {@code right=}: an address or one of Openswan's magic values. */
public sealed interface HostAddr {
  record Address(InetAddress ip) implements HostAddr {}

  record Any(boolean v6) implements HostAddr {}

  record DefaultRoute() implements HostAddr {}

  record Opportunistic() implements HostAddr {}

  record OpportunisticGroup() implements HostAddr {}

  record Group() implements HostAddr {}

  record Direct() implements HostAddr {}

  record Interface(String name) implements HostAddr {}

  record Hostname(String name) implements HostAddr {}

  /** Parses a host value; names are checked for syntax only (resolution happens at {@code auto --add}). */
  static HostAddr parse(String value) throws ConfigException {
    String v = value.trim();
    String lower = v.toLowerCase(Locale.ROOT);
    switch (lower) {
      case "%any": return new Any(false);
      case "%any6": return new Any(true);
      case "%defaultroute": return new DefaultRoute();
      case "%opportunistic", "%oppo": return new Opportunistic();
      case "%opportunisticgroup", "%oppogroup": return new OpportunisticGroup();
      case "%group": return new Group();
      case "%direct": return new Direct();
      default: break;
    }
    if (v.startsWith("%")) {
      String iface = v.substring(1);
      if (!Patterns.INTERFACE.matcher(iface).matches()) {
        throw new ConfigException("\"" + v + "\" is not an address, a host name, %any, %any6, %defaultroute,"
            + " %opportunistic, %opportunisticgroup, %group, %direct or %<interface>");
      }
      return new Interface(iface);
    }
    if (Patterns.dottedDigits(v) || v.contains(":")) {
      return new Address(Subnet.parseAddress(v, v));
    }
    if (!isHostname(v)) {
      throw new ConfigException("\"" + v + "\" is neither an IP address nor a valid host name");
    }
    return new Hostname(v);
  }

  static boolean isHostname(String v) {
    if (v.isEmpty() || v.length() > 253) {
      return false;
    }
    for (String label : Patterns.DOT.split(v, -1)) {
      if (!Patterns.DNS_LABEL.matcher(label).matches()) {
        return false;
      }
    }
    return true;
  }

  /** True when the value names an IPv6 address or %any6. */
  default boolean isIpv6() {
    return (this instanceof Address a && a.ip() instanceof Inet6Address) || (this instanceof Any any && any.v6());
  }
}
