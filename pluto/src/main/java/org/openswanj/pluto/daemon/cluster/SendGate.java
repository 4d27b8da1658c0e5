package org.openswanj.pluto.daemon.cluster;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.Set;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.Logger;
import org.openswanj.pluto.net.IkeTransport;

/**
 * Fencing on the wire (docs/HA.md): IKE messages from a cluster virtual address this node is not active for
 * are not sent, so two nodes never both answer for one address. Without a cluster nothing is gated.
 */
public final class SendGate implements IkeTransport {
  private static final Logger DROPPED = LogManager.getLogger("pluto.dropped");
  private final IkeTransport inner;
  private volatile Set<InetAddress> silenced = Set.of();

  public SendGate(IkeTransport inner) {
    this.inner = inner;
  }

  /** The virtual addresses this node must not send from now (standby or fenced for them). */
  void silence(Set<InetAddress> vips) {
    silenced = Set.copyOf(vips);
  }

  boolean silenced(InetAddress a) {
    return silenced.contains(a);
  }

  @Override
  public void send(InetSocketAddress local, InetSocketAddress remote, byte[] ikeMessage) {
    if (local != null && silenced.contains(local.getAddress())) {
      DROPPED.info("cluster: not sending from {} to {}: this node is not active for that address", local, remote);
      return;
    }
    inner.send(local, remote, ikeMessage);
  }

  @Override
  public void sendNatKeepalive(InetSocketAddress local, InetSocketAddress remote) {
    if (local == null || !silenced.contains(local.getAddress())) {
      inner.sendNatKeepalive(local, remote);
    }
  }
}
