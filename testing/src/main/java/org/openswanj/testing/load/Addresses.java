package org.openswanj.testing.load;

import com.google.common.net.InetAddresses;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;

/** Parses the generator's address options; every error names the option and the bad item. */
final class Addresses {
  private static final int MAX_SOURCES = 65536;

  private Addresses() {}

  /** {@code A}, {@code A-B} (IPv4, inclusive), comma-separated. */
  static List<InetAddress> parseList(String spec, String option) throws LoadException {
    List<InetAddress> out = new ArrayList<>();
    for (String item : spec.split(",")) {
      String s = item.strip();
      int dash = s.indexOf('-');
      if (dash < 0) {
        out.add(parse(s, option));
        continue;
      }
      InetAddress a = parse(s.substring(0, dash), option);
      InetAddress b = parse(s.substring(dash + 1), option);
      if (!(a instanceof Inet4Address) || !(b instanceof Inet4Address)) {
        throw new LoadException(option + ": ranges are IPv4 only, not '" + s + "'");
      }
      long from = InetAddresses.coerceToInteger(a) & 0xffffffffL;
      long to = InetAddresses.coerceToInteger(b) & 0xffffffffL;
      if (to < from || to - from >= MAX_SOURCES) {
        throw new LoadException(option + ": range '" + s + "' is empty or longer than " + MAX_SOURCES);
      }
      for (long v = from; v <= to; v++) {
        out.add(InetAddresses.fromInteger((int) v));
      }
    }
    if (out.size() > MAX_SOURCES) {
      throw new LoadException(option + ": more than " + MAX_SOURCES + " addresses");
    }
    return out;
  }

  /** {@code ADDRESS}, {@code ADDRESS:PORT} or {@code [IPv6]:PORT}; port 500 by default (RFC 7296 §2). */
  static InetSocketAddress parseTarget(String spec) throws LoadException {
    String host = spec;
    int port = 500;
    int colon = spec.lastIndexOf(':');
    if (spec.startsWith("[") || (colon > 0 && spec.indexOf(':') == colon)) {
      int close = spec.lastIndexOf(']');
      host = spec.startsWith("[") ? spec.substring(1, Math.max(1, close)) : spec.substring(0, colon);
      String p = spec.startsWith("[") ? (close + 1 < spec.length() ? spec.substring(close + 2) : "500")
          : spec.substring(colon + 1);
      try {
        port = Integer.parseInt(p);
      } catch (NumberFormatException e) {
        port = -1;
      }
      if (port < 1 || port > 65535) {
        throw new LoadException("--target: bad port in '" + spec + "'");
      }
    }
    return new InetSocketAddress(parse(host, "--target"), port);
  }

  private static InetAddress parse(String s, String option) throws LoadException {
    try {
      return InetAddresses.forString(s.strip());
    } catch (IllegalArgumentException e) {
      throw new LoadException(option + ": '" + s + "' is not an IP address");
    }
  }
}
