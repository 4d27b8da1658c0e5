package org.openswanj.pluto.sa;

import java.net.InetAddress;
import java.util.Optional;
import org.openswanj.conf.Subnet;
import org.openswanj.pluto.conn.Connection;

/**
 * Openswan's updown verbs, as the kernel installer sees them: a conn is routed ({@code auto --route}, or
 * implicitly before its first SA), an SA pair comes up or goes down, a conn is unrouted. Called on the event
 * loop; {@link #up} returns only once the routes exist.
 */
public interface UpdownHook {
  UpdownHook NONE = new UpdownHook() {
    @Override
    public void route(Connection c) {}

    @Override
    public void unroute(Connection c) {}

    @Override
    public void up(Connection c, InetAddress us, InetAddress peer, int reqid) {}

    @Override
    public void down(Connection c, InetAddress us, InetAddress peer, int reqid) {}
  };

  void route(Connection c);

  /**
   * {@code c}'s traffic is routed already (an OE instance inside its policy group's route): its first SA runs
   * only the up verb, not prepare- and route-, and the event loop waits for that one script alone.
   */
  default void alreadyRouted(Connection c) {}

  void unroute(Connection c);

  void up(Connection c, InetAddress us, InetAddress peer, int reqid);

  void down(Connection c, InetAddress us, InetAddress peer, int reqid);

  /**
   * What one SA pair adds to its conn for the script: the peer's client when ModeConfig gave it an address (the
   * route goes to that, not to the conn's rightsubnet), the user XAUTH accepted ({@code PLUTO_XAUTH_USERNAME}),
   * and, on a ModeConfig client, the address the gateway gave us ({@code PLUTO_MY_SOURCEIP}, our client); for
   * {@code remote_peer_type=cisco}, the gateway's Unity banner and default domain ({@code PLUTO_PEER_BANNER},
   * {@code PLUTO_CISCO_DOMAIN_INFO}).
   */
  record SaPeer(Optional<Subnet> client, Optional<String> xauthUser, Optional<InetAddress> ourAddress,
      boolean cisco, Optional<String> banner, Optional<String> domain) {
    public static final SaPeer NONE = new SaPeer(Optional.empty(), Optional.empty(), Optional.empty());

    /** Without Cisco Unity's banner and domain ({@code remote_peer_type=cisco}'s PLUTO_PEER_BANNER and such). */
    public SaPeer(Optional<Subnet> client, Optional<String> xauthUser, Optional<InetAddress> ourAddress) {
      this(client, xauthUser, ourAddress, false, Optional.empty(), Optional.empty());
    }
  }

  default void up(Connection c, InetAddress us, InetAddress peer, int reqid, SaPeer sa) {
    up(c, us, peer, reqid);
  }

  default void down(Connection c, InetAddress us, InetAddress peer, int reqid, SaPeer sa) {
    down(c, us, peer, reqid);
  }
}
