package org.openswanj.conf;

import java.util.Locale;
import java.util.Map;

/** {@code leftprotoport=proto[/port]}: names or numbers, {@code %any} for any port (ttoprotoport(3)). */
final class ProtoPorts {
  private static final Map<String, Integer> PROTOCOLS = Map.of("icmp", 1, "tcp", 6, "udp", 17, "gre", 47,
      "esp", 50, "ah", 51, "ipv6-icmp", 58, "icmpv6", 58, "sctp", 132, "ipip", 4);
  private static final Map<String, Integer> SERVICES = Map.ofEntries(Map.entry("ftp", 21), Map.entry("ssh", 22),
      Map.entry("telnet", 23), Map.entry("smtp", 25), Map.entry("domain", 53), Map.entry("http", 80),
      Map.entry("www", 80), Map.entry("pop3", 110), Map.entry("ntp", 123), Map.entry("imap", 143),
      Map.entry("snmp", 161), Map.entry("bgp", 179), Map.entry("ldap", 389), Map.entry("https", 443),
      Map.entry("isakmp", 500), Map.entry("syslog", 514), Map.entry("l2tp", 1701),
      Map.entry("ipsec-nat-t", 4500));

  private ProtoPorts() {}

  static ProtoPort parse(String key, String v) throws ConfigException {
    String s = v.trim().toLowerCase(Locale.ROOT);
    if (s.equals("%any")) {
      return ProtoPort.ANY;
    }
    int slash = s.indexOf('/');
    String proto = slash < 0 ? s : s.substring(0, slash);
    int p = lookup(proto, PROTOCOLS, 255, key, v, "protocol");
    int port = 0;
    if (slash >= 0) {
      String portText = s.substring(slash + 1);
      if (!portText.equals("%any")) {
        port = lookup(portText, SERVICES, 65535, key, v, "port");
      }
    }
    return new ProtoPort(p, port);
  }

  private static int lookup(String t, Map<String, Integer> names, int max, String key, String v, String what)
      throws ConfigException {
    if (Patterns.digits(t, 1, 5) && Integer.parseInt(t) <= max) {
      return Integer.parseInt(t);
    }
    Integer n = names.get(t);
    if (n == null) {
      throw new ConfigException(key + "=" + v + ": unknown " + what + " \"" + t + "\" (accepted: a number 0.."
          + max + " or one of " + String.join(", ", new java.util.TreeSet<>(names.keySet())) + ")");
    }
    return n;
  }
}
