package org.openswanj.pluto.daemon.cluster;

import java.net.InetAddress;
import java.net.InterfaceAddress;
import java.net.NetworkInterface;
import java.net.SocketException;
import java.time.Duration;
import java.util.Collections;
import java.util.List;
import org.openswanj.cluster.vip.VipClaim;
import org.openswanj.cluster.vip.VipClaimException;

/**
 * The virtual address goes on the LAN interface whose own address shares its subnet (the interface the
 * cluster's nodes meet on), added as /32 for {@code lifetime} (renewed while we hold it: the kernel drops it
 * when this pluto dies) and announced by gratuitous ARP ({@link VipClaim}).
 */
final class LanVip implements VipHolder {
  private final Duration lifetime;

  LanVip(Duration lifetime) {
    this.lifetime = lifetime;
  }

  @Override
  public void claim(InetAddress vip) throws VipClaimException {
    new VipClaim(List.of(), device(vip)).add(vip, lifetime);
  }

  @Override
  public void renew(InetAddress vip) throws VipClaimException {
    claim(vip);
  }

  @Override
  public void announce(InetAddress vip) throws VipClaimException {
    new VipClaim(List.of(), device(vip)).announce(vip);
  }

  @Override
  public void release(InetAddress vip) throws VipClaimException {
    new VipClaim(List.of(), device(vip)).release(vip);
  }

  static String device(InetAddress vip) throws VipClaimException {
    try {
      for (NetworkInterface ni : Collections.list(NetworkInterface.getNetworkInterfaces())) {
        for (InterfaceAddress ia : ni.getInterfaceAddresses()) {
          if (!ia.getAddress().equals(vip) && ia.getNetworkPrefixLength() < 32
              && sameSubnet(ia.getAddress(), vip, ia.getNetworkPrefixLength())) {
            return ni.getName();
          }
        }
      }
    } catch (SocketException e) {
      throw new VipClaimException("cluster-vip=" + vip.getHostAddress() + ": cannot list interfaces: "
          + e.getMessage());
    }
    throw new VipClaimException("cluster-vip=" + vip.getHostAddress() + ": no interface of this host has an "
        + "address in its subnet (the virtual address must be on a LAN the nodes share)");
  }

  static boolean sameSubnet(InetAddress a, InetAddress b, int prefix) {
    byte[] x = a.getAddress();
    byte[] y = b.getAddress();
    if (x.length != y.length || prefix <= 0) {
      return false;
    }
    for (int bit = 0; bit < prefix; bit++) {
      int mask = 0x80 >>> (bit % 8);
      if ((x[bit / 8] & mask) != (y[bit / 8] & mask)) {
        return false;
      }
    }
    return true;
  }
}
