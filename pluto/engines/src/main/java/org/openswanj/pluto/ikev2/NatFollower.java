package org.openswanj.pluto.ikev2;

import java.net.InetSocketAddress;
import org.openswanj.pluto.engine.Outcome;
import org.openswanj.pluto.engine.SaEvent;

/** Following a NATed peer to its new mapping (RFC 7296 §2.23): the IKE SA and its Child SAs' kernel SAs move. */
final class NatFollower {
  private final Ikev2Engine e;

  NatFollower(Ikev2Engine engine) {
    this.e = engine;
  }

  /**
   * The kernel decrypted ESP of the Child SA whose inbound SA is {@code inbound} arriving from {@code from}, not the
   * address and port it has (a NAT's new mapping). RFC 7296 §2.23: a host not behind a NAT SHOULD send all packets
   * to the address and port of the validated packet and store them as the SA's; one behind the NAT SHOULD NOT (a
   * single packet could break the connection). So when the peer is behind a NAT and we are not, the IKE SA and all
   * its Child SAs move to the new port. A new address is not followed: the kernel SAs are keyed on it. True if the
   * SA was ours.
   */
  boolean onMapping(org.openswanj.kernel.SaId inbound, InetSocketAddress from) {
    for (ChildSa c : e.childSas()) {
      if (c.inboundSpi == inbound.spi() && c.parent != null) {
        e.guard.run(c.parent, SaEvent.KERNEL, () -> followMapping(c.parent, from));
        return true;
      }
    }
    return false;
  }

  private void followMapping(IkeSa sa, InetSocketAddress from) {
    java.util.Optional<String> no = org.openswanj.pluto.engine.NatMapping.whyNotFollowed(sa.natLocal, sa.natRemote,
        e.installer(), from, sa.remote);
    if (no.isPresent()) { // the kernel reports every such ESP packet: rate-limited, as a dropped message is
      SaLog.dropped("\"" + sa.conn.name() + "\" #" + sa.serial + ": " + no.get());
      return;
    }
    if (!from.equals(sa.remote)) {
      SaLog.ike(sa, Outcome.COMMENT, org.openswanj.pluto.engine.NatMapping.moved(sa.remote, from));
      sa.remote = from;
    }
    // also when an IKE message moved the IKE SA first: its IPsec SAs may still be on the old port
    moveIpsecSas(sa);
  }

  /** The kernel SAs of {@code sa}'s installed IPsec SAs to {@code sa}'s peer port, where the backend can. */
  void moveIpsecSas(IkeSa sa) {
    if (!e.installer().backend().features().contains(org.openswanj.kernel.KernelFeature.ENCAP_UPDATE)) {
      return;
    }
    for (ChildSa c : e.childSas()) {
      if (c.parent == sa && c.installed) {
        try {
          e.installer().moveEncap(sa.local, sa.remote, c.inboundSpi, c.outboundSpi);
        } catch (org.openswanj.kernel.KernelException e) {
          SaLog.child(c, Outcome.LOG_SERIOUS, "NAT-T: cannot move the IPsec SA to " + sa.remote + ": " + e.getMessage());
        }
      }
    }
  }
}
