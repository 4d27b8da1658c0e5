package org.openswanj.conf;

import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * An address and port to listen on, written {@code ADDR:PORT} or {@code [IPV6]:PORT} ({@code metrics=}, ours).
 * Literal addresses only: nothing is looked up, and a wildcard (0.0.0.0, [::]) is taken only when written.
 */
public record ListenAddress(InetAddress address, int port) {
  private static final Pattern FORM = Pattern.compile("(\\[[^\\]]*\\]|[^:\\[\\]]*):([0-9]{1,5})");

  /** {@code key=v} parsed; the message names the keyword and the form expected. */
  public static ListenAddress parse(String key, String v) throws ConfigException {
    Matcher m = FORM.matcher(v.trim());
    if (!m.matches()) {
      throw new ConfigException(key + "=" + v + ": expected ADDRESS:PORT (an IPv6 address in brackets, "
          + "[::1]:9090)");
    }
    String host = m.group(1);
    InetAddress a;
    try {
      a = Subnet.parseAddress(host, host);
    } catch (ConfigException e) {
      throw new ConfigException(key + "=" + v + ": \"" + host + "\" is not an IPv4 or IPv6 address (no names)");
    }
    if (a instanceof Inet6Address && !host.startsWith("[")) {
      throw new ConfigException(key + "=" + v + ": an IPv6 address goes in brackets, [" + host + "]:PORT");
    }
    int port = Integer.parseInt(m.group(2));
    if (port < 1 || port > 65535) {
      throw new ConfigException(key + "=" + v + ": port " + port + " is not 1..65535");
    }
    return new ListenAddress(a, port);
  }

  public InetSocketAddress socketAddress() {
    return new InetSocketAddress(address, port);
  }

  /** As written back: {@code 192.0.2.1:9090}, {@code [2001:db8::1]:9090}. */
  @Override
  public String toString() {
    String a = com.google.common.net.InetAddresses.toAddrString(address);
    return (address instanceof Inet6Address ? "[" + a + "]" : a) + ":" + port;
  }
}
