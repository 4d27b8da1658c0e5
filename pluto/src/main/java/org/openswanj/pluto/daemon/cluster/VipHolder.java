package org.openswanj.pluto.daemon.cluster;

import java.net.InetAddress;
import org.openswanj.cluster.vip.VipClaimException;

/** Claims and releases a virtual address on this host (the real one: {@link LanVip}). Called off the loop. */
public interface VipHolder {
  /** Adds the address to the LAN interface, for a lifetime the kernel enforces unless {@link #renew}ed. */
  void claim(InetAddress vip) throws VipClaimException;

  /** Renews the address's lifetime (adds it again if the kernel dropped it meanwhile). */
  void renew(InetAddress vip) throws VipClaimException;

  /** Announces it (gratuitous ARP) so the LAN's neighbour entries move to us. */
  void announce(InetAddress vip) throws VipClaimException;

  void release(InetAddress vip) throws VipClaimException;
}
