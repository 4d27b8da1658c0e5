package org.openswanj.pluto.admin;

import java.util.Optional;
import org.openswanj.pluto.net.DefaultRoutes;

/**
 * {@code ipsec showdefaults}: what Openswan's setup wrote to ipsec.info for %defaultroute, printed as its
 * showdefaults prints it (routephys, routevirt, routeaddr, routenexthop), read live from the routing table.
 */
public final class ShowDefaultsMain {
  private ShowDefaultsMain() {}

  public static void main(String[] args) {
    if (args.length == 1 && args[0].equals("--help")) {
      System.out.println("Usage: ipsec showdefaults");
      System.exit(0);
    }
    if (args.length > 0) {
      System.err.println("ipsec showdefaults: unknown option `" + args[0] + "'");
      System.exit(1);
    }
    Optional<DefaultRoutes.Route> r = DefaultRoutes.system().find(false);
    if (r.isEmpty()) {
      System.err.println("ipsec showdefaults: no default route (ip route add default via GATEWAY)");
      System.exit(1);
    }
    System.out.println("routephys=" + r.get().iface());
    System.out.println("routevirt=ipsec0");
    System.out.println("routeaddr=" + r.get().source().getHostAddress());
    System.out.println("routenexthop=" + r.get().gateway().map(java.net.InetAddress::getHostAddress).orElse("0.0.0.0"));
    System.exit(0);
  }
}
