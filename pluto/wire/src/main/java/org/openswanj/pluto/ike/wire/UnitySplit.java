package org.openswanj.pluto.ike.wire;

import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.List;

/**
 * The value of Cisco Unity's UNITY_SPLIT_INCLUDE (28676) and UNITY_LOCAL_LAN (28678) attributes: a list of IPv4
 * networks, each a 14-byte entry, address (4) and netmask (4) in network order, then 6 bytes (Cisco's protocol and
 * ports, always zero in practice; racoon's isakmp_unity.h calls them padding[6], strongSwan's unity plugin writes
 * zeros and, reading, skips them, taking an entry of only address and mask at the end of the list). Layout as
 * read in strongSwan's src/libcharon/plugins/unity/unity_handler.c (parse_subnets) and NetBSD racoon's
 * isakmp_unity.h (struct unity_network); no code taken from either.
 */
public final class UnitySplit {
  /** One entry's size on the wire: address, mask and the 6 trailing bytes. */
  public static final int ENTRY = 14;
  private static final int ADDRESS_AND_MASK = 8;

  private UnitySplit() {}

  /** One network: an IPv4 address (host bits zero) and a prefix length 0-32. */
  public record Network(Inet4Address network, int prefix) {
    public Network {
      if (prefix < 0 || prefix > 32) {
        throw new IllegalArgumentException("prefix " + prefix + " is not 0-32");
      }
    }

    @Override
    public String toString() {
      return network.getHostAddress() + "/" + prefix;
    }
  }

  /** The attribute's value for {@code networks}, 14 bytes each, the last 6 of each zero. */
  public static byte[] encode(List<Network> networks) {
    byte[] out = new byte[networks.size() * ENTRY];
    int at = 0;
    for (Network n : networks) {
      byte[] a = n.network().getAddress();
      int mask = n.prefix() == 0 ? 0 : -1 << (32 - n.prefix());
      for (int i = 0; i < 4; i++) {
        out[at + i] = (byte) (a[i] & (mask >>> (24 - 8 * i)));
        out[at + 4 + i] = (byte) (mask >>> (24 - 8 * i));
      }
      at += ENTRY;
    }
    return out;
  }

  /**
   * The networks in an attribute's value. A length that is not a multiple of 14 (nor 14n + 8, the last entry
   * without its trailing bytes, as strongSwan accepts) and a netmask that is not contiguous are refused with one
   * line saying where and what; host bits set under the mask are cleared.
   */
  public static List<Network> decode(byte[] value) throws InvalidSyntaxException {
    if (value.length == 0 || value.length % ENTRY != 0 && value.length % ENTRY != ADDRESS_AND_MASK) {
      throw new InvalidSyntaxException("UNITY_SPLIT_INCLUDE value of " + value.length + " bytes: not a list of "
          + ENTRY + "-byte entries (address, mask, 6 bytes)");
    }
    List<Network> out = new ArrayList<>();
    for (int at = 0; at + ADDRESS_AND_MASK <= value.length; at += ENTRY) {
      int mask = ((value[at + 4] & 0xff) << 24) | ((value[at + 5] & 0xff) << 16) | ((value[at + 6] & 0xff) << 8)
          | (value[at + 7] & 0xff);
      int prefix = Integer.bitCount(mask);
      if (mask != (prefix == 0 ? 0 : -1 << (32 - prefix))) {
        throw new InvalidSyntaxException(String.format("UNITY_SPLIT_INCLUDE entry %d (byte %d): netmask %d.%d.%d.%d"
            + " is not contiguous", at / ENTRY + 1, at + 4, value[at + 4] & 0xff, value[at + 5] & 0xff,
            value[at + 6] & 0xff, value[at + 7] & 0xff));
      }
      byte[] a = new byte[4];
      for (int i = 0; i < 4; i++) {
        a[i] = (byte) (value[at + i] & (mask >>> (24 - 8 * i)));
      }
      try {
        out.add(new Network((Inet4Address) InetAddress.getByAddress(a), prefix));
      } catch (UnknownHostException impossible) {
        throw new InvalidSyntaxException("UNITY_SPLIT_INCLUDE entry " + (at / ENTRY + 1) + ": bad address");
      }
    }
    return List.copyOf(out);
  }
}
