package org.openswanj.conf.cli;

import java.io.PrintStream;
import java.util.List;
import org.openswanj.conf.ConnConfig;
import org.openswanj.conf.SetupConfig;

/**
 * Hook for {@code ipsec addconn --autoall} and {@code ipsec addconn NAME…}: hands conns to a running pluto.
 * The whack module provides the real implementation; conf only defines the seam (conf depends on nothing).
 */
@FunctionalInterface
public interface PlutoAdder {
  /** Adds (and routes/starts, per {@code auto=} when {@code autoall}) the conns; returns the exit code. */
  int add(SetupConfig setup, List<ConnConfig> conns, boolean autoall, String ctlbase, PrintStream out,
      PrintStream err);

  /** The stand-in until whack supplies one: says so and fails. */
  static PlutoAdder unavailable() {
    return (setup, conns, autoall, ctlbase, out, err) -> {
      err.println("addconn: adding conns to pluto is not available in this build (use 'ipsec auto --add NAME')");
      return 1;
    };
  }
}
