package org.openswanj.pluto.daemon.oe;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.Collection;
import java.util.List;
import org.openswanj.pluto.conn.Connection;
import org.openswanj.pluto.daemon.control.WhackReply;
import org.openswanj.pluto.oe.OeDecision;

/** What OE needs of the daemon: its conn table, IKE, routes and the packet path. Called on the event loop. */
public interface OeHost {
  /** Our listening addresses (instances are oriented against them). */
  List<InetAddress> addresses();

  Collection<Connection> connections();

  /**
   * Adds an instance to the conn table; {@code routedByGroup}: its group's route ({@link #routeGroup}) already
   * covers its traffic, so its updown needs no route of its own.
   */
  void add(Connection c, boolean routedByGroup);

  /** Terminates the instance's SAs and removes it from the conn table. */
  void remove(Connection c);

  /** Starts IKE for {@code c}; {@code watcher} sees its progress and is closed when it ends either way. */
  void initiate(Connection c, WhackReply watcher);

  /** Routes {@code group}'s subnet from {@code us} into the IPsec device where the backend needs it (klips). */
  void routeGroup(OeDecision group, InetAddress us);

  /** Hands an IKE datagram held for a look-up to the IKE engines. */
  void deliver(InetSocketAddress local, InetSocketAddress remote, byte[] datagram);
}
