package org.openswanj.pluto.daemon;

import com.google.common.net.InetAddresses;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import org.openswanj.conf.ConfigException;
import org.openswanj.conf.ConnConfig;
import org.openswanj.pluto.conn.Connection;
import org.openswanj.pluto.conn.OrientException;
import org.openswanj.pluto.daemon.control.WhackReply;
import org.openswanj.pluto.daemon.oe.OeHost;
import org.openswanj.pluto.ikev2.SaLogFacade;
import org.openswanj.pluto.oe.OeDecision;

/** OE's view of the daemon ({@link OeHost}), kept out of {@link Pluto} itself. On the event loop. */
final class OeBridge implements OeHost {
  private final Pluto pluto;

  OeBridge(Pluto pluto) {
    this.pluto = pluto;
  }

  @Override
  public List<InetAddress> addresses() {
    return pluto.addresses();
  }

  @Override
  public Collection<Connection> connections() {
    return pluto.connections();
  }

  @Override
  public void add(Connection c, boolean routedByGroup) {
    pluto.add(c);
    if (routedByGroup) {
      pluto.installer().updown().alreadyRouted(c);
    }
  }

  @Override
  public void remove(Connection c) {
    pluto.removeInstance(c);
  }

  @Override
  public void initiate(Connection c, WhackReply watcher) {
    pluto.initiateInstance(c, watcher);
  }

  /**
   * The group as Openswan's implicit conn ({@code right=%opportunisticgroup}, here %any with the group's subnet),
   * routed through the updown script: on klips the subnet's route goes into ipsecN so its packets meet the
   * group's eroute; on netkey the script adds nothing unless asked to.
   */
  @Override
  public void routeGroup(OeDecision group, InetAddress us) {
    try {
      ConnConfig cfg = ConnConfig.fromKeywords(group.instanceName(), Map.of("left", InetAddresses.toAddrString(us),
          "right", "%any", "rightsubnet", group.subnet().toString(), "auto", "ignore"));
      pluto.installer().updown().route(Connection.orient(cfg, List.of(us), pluto.engineNow()));
    } catch (ConfigException | OrientException e) {
      SaLogFacade.global("\"" + group.instanceName() + "\": cannot route: " + e.getMessage());
    }
  }

  @Override
  public void deliver(InetSocketAddress local, InetSocketAddress remote, byte[] datagram) {
    pluto.demux().onIkePacket(local, remote, datagram); // by major version: OE answers IKEv1 Main Mode too
  }
}
