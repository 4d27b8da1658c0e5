package org.openswanj.pluto.sa;

import java.net.InetAddress;
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
}
