package org.openswanj.pluto.daemon.control;

import com.google.common.net.InetAddresses;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.openswanj.conf.SetupConfig;

/**
 * The pluto command line {@code ipsec setup start} derives from {@code config setup} (as Openswan's
 * _plutorun does): protostack → --use-*, nhelpers, uniqueids, interfaces with an address → --listen,
 * plutodebug → --debug-*, plutostderrlog → --logfile, plutostderrlogtime → --plutostderrlogtime, metrics → --metrics (ours), plus the paths passed through.
 */
public final class PlutoArgs {
  private PlutoArgs() {
  }

  /** pluto's arguments (without the program itself); --nofork, since setup detaches the process itself. */
  public static List<String> of(SetupConfig setup, Path config, String ctlbase, Path secrets, Path ipsecDir) {
    List<String> a = new ArrayList<>(List.of("--nofork", "--ctlbase", ctlbase, "--config", config.toString(),
        "--secretsfile", secrets.toString(), "--ipsecdir", ipsecDir.toString()));
    a.add(switch (setup.protostack()) {
      case NETKEY -> "--use-netkey";
      case KLIPS -> "--use-klips";
      case NONE -> "--use-nostack";
      case AUTO -> "--use-auto";
    });
    if (setup.nhelpers() >= 0) {
      a.addAll(List.of("--nhelpers", Integer.toString(setup.nhelpers())));
    }
    if (setup.uniqueIds()) {
      a.add("--uniqueids");
    }
    if (setup.natTraversal()) {
      a.add("--nat_traversal");
    }
    if (setup.raw().containsKey("keep_alive")) {
      a.addAll(List.of("--keep_alive", Integer.toString(setup.keepAliveSeconds())));
    }
    if (setup.forceKeepalive()) {
      a.add("--force_keepalive");
    }
    String vp = setup.raw().get("virtual_private");
    if (vp != null && !vp.isBlank()) {
      a.addAll(List.of("--virtual_private", vp));
    }
    for (String iface : setup.interfaces()) {
      String addr = iface.substring(iface.indexOf('=') + 1); // "ipsec0=192.0.2.1" or a bare address
      if (InetAddresses.isInetAddress(addr)) {
        a.addAll(List.of("--listen", addr));
      }
    }
    for (String word : setup.plutoDebug().trim().split("[\\s,]+")) {
      if (!word.isEmpty()) {
        a.add("--debug-" + word.toLowerCase(Locale.ROOT));
      }
    }
    if (!setup.plutoStderrLog().isBlank()) {
      a.addAll(List.of("--logfile", setup.plutoStderrLog()));
    }
    if (setup.plutoStderrLogTime()) {
      a.add("--plutostderrlogtime");
    }
    String metrics = setup.raw().get("metrics");
    if (metrics != null && !metrics.isBlank()) {
      a.addAll(List.of("--metrics", metrics.trim()));
    }
    return a;
  }
}
