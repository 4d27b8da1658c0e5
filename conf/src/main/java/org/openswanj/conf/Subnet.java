package org.openswanj.conf;

import com.google.common.net.InetAddresses;
import java.net.Inet4Address;
import java.net.InetAddress;

/** An IPv4 or IPv6 network, {@code 10.1.0.0/24}; a bare address is a /32 (or /128) subnet. */
public record Subnet(InetAddress network, int prefix) {

  public Subnet {
    int max = network.getAddress().length * 8;
    if (prefix < 0 || prefix > max) {
      throw new IllegalArgumentException("prefix " + prefix + " out of range 0.." + max);
    }
  }

  /**
   * Parses {@code addr/prefix}, {@code addr/netmask} (IPv4 dotted mask) or a bare address; {@code %default}
   * is 0.0.0.0/0 as in Openswan's ttosubnet(3). Host bits must be zero.
   */
  public static Subnet parse(String text) throws ConfigException {
    String s = text.trim();
    if (s.equalsIgnoreCase("%default")) {
      return new Subnet(InetAddresses.forString("0.0.0.0"), 0);
    }
    int slash = s.indexOf('/');
    String addrPart = slash < 0 ? s : s.substring(0, slash);
    InetAddress addr = parseAddress(addrPart, text);
    int max = addr.getAddress().length * 8;
    int prefix = slash < 0 ? max : parsePrefix(s.substring(slash + 1), addr, text);
    if (prefix < 0 || prefix > max) {
      throw new ConfigException("bad subnet \"" + text + "\": prefix length must be 0.." + max);
    }
    byte[] b = addr.getAddress();
    for (int bit = prefix; bit < max; bit++) {
      if ((b[bit / 8] & (0x80 >> (bit % 8))) != 0) {
        throw new ConfigException("bad subnet \"" + text + "\": host-part bits are set (did you mean "
            + new Subnet(mask(addr, prefix), prefix) + "?)");
      }
    }
    return new Subnet(addr, prefix);
  }

  /** A literal IPv4 or IPv6 address (never a DNS name). */
  public static InetAddress parseAddress(String addr, String context) throws ConfigException {
    String a = addr.trim();
    if (a.startsWith("[") && a.endsWith("]")) {
      a = a.substring(1, a.length() - 1);
    }
    // A "%zone" suffix (RFC 4007 §11) is no part of Openswan's ttoaddr(3); Guava would look the zone up as
    // an interface and throw when there is none.
    if (a.indexOf('%') >= 0 || !InetAddresses.isInetAddress(a)) {
      throw new ConfigException("\"" + context + "\" is not an IPv4 or IPv6 address");
    }
    return InetAddresses.forString(a);
  }

  private static int parsePrefix(String p, InetAddress addr, String text) throws ConfigException {
    if (Patterns.digits(p, 1, 3)) {
      return Integer.parseInt(p);
    }
    if (addr instanceof Inet4Address && p.indexOf('%') < 0 && InetAddresses.isInetAddress(p)
        && InetAddresses.forString(p) instanceof Inet4Address) {
      int m = InetAddresses.coerceToInteger(InetAddresses.forString(p));
      int len = Integer.bitCount(m);
      if (len == 32 || m == (-1 << (32 - len))) {
        return len;
      }
    }
    throw new ConfigException("bad subnet \"" + text + "\": \"" + p + "\" is not a prefix length or netmask");
  }

  private static InetAddress mask(InetAddress addr, int prefix) {
    byte[] b = addr.getAddress();
    for (int bit = prefix; bit < b.length * 8; bit++) {
      b[bit / 8] &= (byte) ~(0x80 >> (bit % 8));
    }
    try {
      return InetAddress.getByAddress(b);
    } catch (java.net.UnknownHostException e) {
      throw new IllegalStateException(e);
    }
  }

  public boolean isIpv6() {
    return !(network instanceof Inet4Address);
  }

  public boolean contains(InetAddress ip) {
    byte[] n = network.getAddress();
    byte[] a = ip.getAddress();
    if (n.length != a.length) {
      return false;
    }
    for (int bit = 0; bit < prefix; bit++) {
      int m = 0x80 >> (bit % 8);
      if ((n[bit / 8] & m) != (a[bit / 8] & m)) {
        return false;
      }
    }
    return true;
  }

  /** Whether {@code inner} lies wholly inside this subnet (Openswan's subnetinsubnet). */
  public boolean containsSubnet(Subnet inner) {
    return inner.isIpv6() == isIpv6() && inner.prefix >= prefix && contains(inner.network);
  }

  /** A single address: /32 or /128. */
  public boolean isHost() {
    return prefix == network.getAddress().length * 8;
  }

  @Override
  public String toString() {
    return InetAddresses.toAddrString(network) + "/" + prefix;
  }
}
