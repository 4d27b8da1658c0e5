package org.openswanj.pluto.ikev1;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.Arrays;
import java.util.Optional;
import org.openswanj.conf.Subnet;
import org.openswanj.pluto.ike.wire.IdType;
import org.openswanj.pluto.ike.wire.V1IdPayload;

/** Quick Mode client identities IDci/IDcr (RFC 2409 §5.5, RFC 2407 §4.6.2): a host or a subnet with a mask. */
final class ClientIds {
  private ClientIds() {}

  static V1IdPayload of(Subnet s, int protocol, int port) {
    byte[] addr = s.network().getAddress();
    int bits = addr.length * 8;
    boolean v6 = addr.length == 16;
    if (s.prefix() == bits) {
      return new V1IdPayload(v6 ? IdType.ID_IPV6_ADDR : IdType.ID_IPV4_ADDR, protocol, port, addr);
    }
    byte[] data = Arrays.copyOf(addr, addr.length * 2);
    for (int i = 0; i < s.prefix(); i++) {
      data[addr.length + i / 8] |= (byte) (0x80 >>> (i % 8));
    }
    return new V1IdPayload(v6 ? IdType.ID_IPV6_ADDR_SUBNET : IdType.ID_IPV4_ADDR_SUBNET, protocol, port, data);
  }

  /** The network an ID names; empty for types Quick Mode cannot use here (ranges, names) or a bad mask. */
  static Optional<Subnet> subnet(V1IdPayload id) {
    byte[] d = id.data();
    try {
      switch (id.idType()) {
        case ID_IPV4_ADDR, ID_IPV6_ADDR -> {
          int want = id.idType() == IdType.ID_IPV4_ADDR ? 4 : 16;
          return d.length == want ? Optional.of(new Subnet(InetAddress.getByAddress(d), want * 8)) : Optional.empty();
        }
        case ID_IPV4_ADDR_SUBNET, ID_IPV6_ADDR_SUBNET -> {
          int n = id.idType() == IdType.ID_IPV4_ADDR_SUBNET ? 4 : 16;
          if (d.length != 2 * n) {
            return Optional.empty();
          }
          int prefix = prefix(Arrays.copyOfRange(d, n, 2 * n));
          if (prefix < 0) {
            return Optional.empty();
          }
          return Optional.of(new Subnet(InetAddress.getByAddress(Arrays.copyOf(d, n)), prefix));
        }
        default -> {
          return Optional.empty();
        }
      }
    } catch (UnknownHostException | RuntimeException e) {
      return Optional.empty();
    }
  }

  /** The prefix length of a contiguous mask, or -1. */
  private static int prefix(byte[] mask) {
    int n = 0;
    boolean ended = false;
    for (byte b : mask) {
      for (int i = 7; i >= 0; i--) {
        boolean one = ((b >>> i) & 1) != 0;
        if (one && ended) {
          return -1;
        }
        if (one) {
          n++;
        } else {
          ended = true;
        }
      }
    }
    return n;
  }
}
