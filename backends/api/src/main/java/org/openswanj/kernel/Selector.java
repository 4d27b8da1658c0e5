package org.openswanj.kernel;

import java.net.InetAddress;
import java.util.Objects;

/**
 * A traffic selector in the kernel's form: source and destination prefixes, IP protocol (0 = any) and
 * ports (0 = any), RFC 4301 §4.4.1.
 */
public record Selector(
    InetAddress src, int srcPrefix, InetAddress dst, int dstPrefix, int protocol, int srcPort, int dstPort) {
  public Selector {
    Objects.requireNonNull(src, "src");
    Objects.requireNonNull(dst, "dst");
    int max = src.getAddress().length * 8;
    if (srcPrefix < 0 || srcPrefix > max || dstPrefix < 0 || dstPrefix > dst.getAddress().length * 8) {
      throw new IllegalArgumentException("prefix out of range in selector");
    }
  }

  public static Selector of(InetAddress src, int srcPrefix, InetAddress dst, int dstPrefix) {
    return new Selector(src, srcPrefix, dst, dstPrefix, 0, 0, 0);
  }

  public Selector reversed() {
    return new Selector(dst, dstPrefix, src, srcPrefix, protocol, dstPort, srcPort);
  }

  /** True if a packet with these addresses, protocol and ports falls inside this selector. */
  public boolean matches(InetAddress s, InetAddress d, int proto, int sport, int dport) {
    return inPrefix(s, src, srcPrefix)
        && inPrefix(d, dst, dstPrefix)
        && (protocol == 0 || protocol == proto)
        && (srcPort == 0 || srcPort == sport)
        && (dstPort == 0 || dstPort == dport);
  }

  /** Sum of prefix lengths: larger is more specific (Openswan's eroute ordering). */
  public int specificity() {
    return srcPrefix + dstPrefix + (protocol != 0 ? 1 : 0) + (srcPort != 0 ? 1 : 0) + (dstPort != 0 ? 1 : 0);
  }

  public static boolean inPrefix(InetAddress a, InetAddress net, int prefix) {
    byte[] x = a.getAddress();
    byte[] n = net.getAddress();
    if (x.length != n.length) {
      return false;
    }
    int full = prefix / 8;
    for (int i = 0; i < full; i++) {
      if (x[i] != n[i]) {
        return false;
      }
    }
    int rem = prefix % 8;
    if (rem == 0) {
      return true;
    }
    int mask = (0xff << (8 - rem)) & 0xff;
    return (x[full] & mask) == (n[full] & mask);
  }

  @Override
  public String toString() {
    String s = src.getHostAddress() + "/" + srcPrefix + " -> " + dst.getHostAddress() + "/" + dstPrefix;
    if (protocol != 0) {
      s += " proto " + protocol + (srcPort != 0 || dstPort != 0 ? " " + srcPort + "->" + dstPort : "");
    }
    return s;
  }
}
