package org.openswanj.pluto.ikev2;

import java.math.BigInteger;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.openswanj.conf.ProtoPort;
import org.openswanj.conf.Subnet;
import org.openswanj.kernel.Selector;
import org.openswanj.pluto.ike.wire.TrafficSelector;
import org.openswanj.pluto.ike.wire.TsType;

/** Traffic selectors (RFC 7296 §3.13): from subnets, narrowing by intersection (§2.9), to kernel selectors. */
final class TrafficSelectors {
  private TrafficSelectors() {}

  static TrafficSelector of(Subnet s, ProtoPort pp) {
    byte[] start = s.network().getAddress();
    byte[] end = start.clone();
    for (int bit = s.prefix(); bit < end.length * 8; bit++) {
      end[bit / 8] |= (byte) (0x80 >> (bit % 8));
    }
    int lo = pp.port() == 0 ? 0 : pp.port();
    int hi = pp.port() == 0 ? 65535 : pp.port();
    return new TrafficSelector(start.length == 4 ? TsType.TS_IPV4_ADDR_RANGE : TsType.TS_IPV6_ADDR_RANGE,
        pp.protocol(), lo, hi, addr(start), addr(end));
  }

  /** The intersection of two selectors, if not empty. */
  static Optional<TrafficSelector> intersect(TrafficSelector a, TrafficSelector b) {
    if (a.type() != b.type()) {
      return Optional.empty();
    }
    int proto;
    if (a.ipProtocol() == 0 || b.ipProtocol() == 0 || a.ipProtocol() == b.ipProtocol()) {
      proto = a.ipProtocol() == 0 ? b.ipProtocol() : a.ipProtocol();
    } else {
      return Optional.empty();
    }
    int lo = Math.max(a.startPort(), b.startPort());
    int hi = Math.min(a.endPort(), b.endPort());
    BigInteger s = max(num(a.start()), num(b.start()));
    BigInteger t = min(num(a.end()), num(b.end()));
    if (lo > hi || s.compareTo(t) > 0) {
      return Optional.empty();
    }
    int len = a.start().getAddress().length;
    return Optional.of(new TrafficSelector(a.type(), proto, lo, hi, addr(bytes(s, len)), addr(bytes(t, len))));
  }

  /** Narrowing (RFC 7296 §2.9): every proposed selector intersected with every configured one, duplicates dropped. */
  static List<TrafficSelector> narrow(List<TrafficSelector> proposed, List<TrafficSelector> configured) {
    List<TrafficSelector> out = new ArrayList<>();
    for (TrafficSelector p : proposed) {
      for (TrafficSelector c : configured) {
        intersect(p, c).ifPresent(x -> {
          if (out.stream().noneMatch(y -> contains(y, x))) {
            out.removeIf(y -> contains(x, y));
            out.add(x);
          }
        });
      }
    }
    return out;
  }

  static boolean contains(TrafficSelector outer, TrafficSelector inner) {
    return intersect(outer, inner).map(x -> x.equals(inner) || same(x, inner)).orElse(false);
  }

  private static boolean same(TrafficSelector a, TrafficSelector b) {
    return a.type() == b.type() && a.ipProtocol() == b.ipProtocol() && a.startPort() == b.startPort()
        && a.endPort() == b.endPort() && a.start().equals(b.start()) && a.end().equals(b.end());
  }

  /** True if every selector of {@code got} lies inside one we proposed (checking a narrowed answer). */
  static boolean within(List<TrafficSelector> got, List<TrafficSelector> proposed) {
    if (got.isEmpty()) {
      return false;
    }
    for (TrafficSelector g : got) {
      if (proposed.stream().noneMatch(p -> contains(p, g))) {
        return false;
      }
    }
    return true;
  }

  static boolean sameSet(List<TrafficSelector> a, List<TrafficSelector> b) {
    return a.size() == b.size() && within(a, b) && within(b, a);
  }

  /** The CIDR prefix a selector's range covers, if it is one. */
  static Optional<Subnet> asSubnet(TrafficSelector ts) {
    BigInteger s = num(ts.start());
    BigInteger t = num(ts.end());
    int bits = ts.start().getAddress().length * 8;
    BigInteger size = t.subtract(s).add(BigInteger.ONE);
    // a peer's range may end before it starts (RFC 7296 §3.13.1 does not forbid it): no prefix, and no mod()
    if (size.signum() <= 0 || size.bitCount() != 1) {
      return Optional.empty();
    }
    int hostBits = size.bitLength() - 1;
    if (!s.mod(size).equals(BigInteger.ZERO)) {
      return Optional.empty();
    }
    return Optional.of(new Subnet(ts.start(), bits - hostBits));
  }

  /** A kernel selector from our side to the peer's; empty if a range is not a prefix. */
  static Optional<Selector> toKernel(TrafficSelector local, TrafficSelector remote) {
    Optional<Subnet> l = asSubnet(local);
    Optional<Subnet> r = asSubnet(remote);
    if (l.isEmpty() || r.isEmpty()) {
      return Optional.empty();
    }
    int proto = local.ipProtocol() != 0 ? local.ipProtocol() : remote.ipProtocol();
    int sport = local.startPort() == local.endPort() ? local.startPort() : 0;
    int dport = remote.startPort() == remote.endPort() ? remote.startPort() : 0;
    return Optional.of(new Selector(l.get().network(), l.get().prefix(), r.get().network(), r.get().prefix(),
        proto, sport, dport));
  }

  /**
   * RFC 7296 §2.23.1 (transport mode NAT traversal): a peer behind a NAT names its own, private address in its
   * selectors; the responder uses the address the IKE SA sees it at instead, keeping protocol and ports. The peer
   * then gets exactly its public address, which it has shown it owns by answering IKE there, whatever it claims.
   */
  static List<TrafficSelector> atObservedAddress(List<TrafficSelector> ts, InetAddress observed) {
    TsType type = observed.getAddress().length == 4 ? TsType.TS_IPV4_ADDR_RANGE : TsType.TS_IPV6_ADDR_RANGE;
    List<TrafficSelector> out = new ArrayList<>();
    for (TrafficSelector t : ts) {
      TrafficSelector at = new TrafficSelector(type, t.ipProtocol(), t.startPort(), t.endPort(), observed, observed);
      if (!out.contains(at)) {
        out.add(at);
      }
    }
    return out;
  }

  static String describe(List<TrafficSelector> ts) {
    StringBuilder b = new StringBuilder();
    for (TrafficSelector t : ts) {
      if (b.length() > 0) {
        b.append(' ');
      }
      b.append(asSubnet(t).map(Subnet::toString).orElse(t.start().getHostAddress() + "-" + t.end().getHostAddress()));
      if (t.ipProtocol() != 0) {
        b.append('[').append(t.ipProtocol()).append('/').append(t.startPort()).append(']');
      }
    }
    return b.toString();
  }

  private static BigInteger num(InetAddress a) {
    return new BigInteger(1, a.getAddress());
  }

  private static BigInteger max(BigInteger a, BigInteger b) {
    return a.compareTo(b) >= 0 ? a : b;
  }

  private static BigInteger min(BigInteger a, BigInteger b) {
    return a.compareTo(b) <= 0 ? a : b;
  }

  private static byte[] bytes(BigInteger v, int len) {
    byte[] raw = v.toByteArray();
    byte[] out = new byte[len];
    int copy = Math.min(raw.length, len);
    System.arraycopy(raw, raw.length - copy, out, len - copy, copy);
    return out;
  }

  private static InetAddress addr(byte[] b) {
    try {
      return InetAddress.getByAddress(b);
    } catch (UnknownHostException e) {
      throw new IllegalStateException("address of " + b.length + " bytes", e);
    }
  }
}
