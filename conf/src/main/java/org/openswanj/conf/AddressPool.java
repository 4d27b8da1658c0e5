package org.openswanj.conf;

import java.math.BigInteger;
import java.net.Inet4Address;
import java.net.InetAddress;

/**
 * An {@code addresspool=A-B} range of IPv4 addresses a ModeConfig server leases to its clients (our extension to
 * Openswan 2.6, which knows only a fixed {@code rightsourceip=}; the syntax is Libreswan's).
 */
public record AddressPool(InetAddress first, InetAddress last) {
  /** Pools larger than this are refused: a lease table of that size is a typo, not a plan. */
  public static final int MAX_SIZE = 65536;

  public static AddressPool parse(String key, String value) throws ConfigException {
    int dash = value.indexOf('-');
    if (dash <= 0 || dash == value.length() - 1) {
      throw new ConfigException(key + "=" + value + " is not a range FIRST-LAST of IPv4 addresses");
    }
    InetAddress a = Values.ipaddr(key, value.substring(0, dash).trim());
    InetAddress b = Values.ipaddr(key, value.substring(dash + 1).trim());
    if (!(a instanceof Inet4Address) || !(b instanceof Inet4Address)) {
      throw new ConfigException(key + "=" + value + ": only IPv4 pools are supported");
    }
    long size = toLong(b) - toLong(a) + 1;
    if (size < 1) {
      throw new ConfigException(key + "=" + value + ": the first address is above the last");
    }
    if (size > MAX_SIZE) {
      throw new ConfigException(key + "=" + value + ": " + size + " addresses, more than " + MAX_SIZE);
    }
    return new AddressPool(a, b);
  }

  public int size() {
    return (int) (toLong(last) - toLong(first) + 1);
  }

  /** The {@code i}-th address of the pool, from 0. */
  public InetAddress get(int i) {
    if (i < 0 || i >= size()) {
      throw new IndexOutOfBoundsException(i + " outside a pool of " + size());
    }
    byte[] b = BigInteger.valueOf(toLong(first) + i + (1L << 32)).toByteArray();
    try {
      return InetAddress.getByAddress(java.util.Arrays.copyOfRange(b, b.length - 4, b.length));
    } catch (java.net.UnknownHostException e) {
      throw new IllegalStateException(e);
    }
  }

  private static long toLong(InetAddress a) {
    long n = 0;
    for (byte x : a.getAddress()) {
      n = (n << 8) | (x & 0xff);
    }
    return n;
  }

  @Override
  public String toString() {
    return first.getHostAddress() + "-" + last.getHostAddress();
  }
}
