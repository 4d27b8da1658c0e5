package org.openswanj.conf.cli;

import java.io.PrintStream;
import java.util.List;
import org.openswanj.conf.ConnConfig;

/**
 * How {@code ipsec addconn} hands conns to a running pluto. conf depends on nothing of ours, so the whack module
 * implements it (over the control socket, as {@code ipsec auto --add}) and runs {@link AddConnMain} with it.
 */
@FunctionalInterface
public interface PlutoAdder {
  /** What follows the adds. */
  enum Then {
    /** Only add (Openswan 2.6's {@code addconn NAME} and {@code --addall}). */
    NOTHING,
    /** Then route the auto=route conns and initiate the auto=start ones ({@code --autoall}). */
    ROUTE_AND_START
  }

  /**
   * Adds the conns in order, printing pluto's replies on {@code out}; returns the exit status Openswan's
   * starter_whack_add_conn gives: whack's status of the last request, or 255 when pluto cannot be reached.
   */
  int add(List<ConnConfig> conns, Then then, String ctlbase, PrintStream out, PrintStream err);
}
