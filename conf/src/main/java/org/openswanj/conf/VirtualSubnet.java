package org.openswanj.conf;

import java.net.InetAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * {@code rightsubnet=vhost:%priv,%no} or {@code vnet:…}: the peer's client is not known beforehand but taken from
 * what it proposes in Quick Mode, if this list allows it (Openswan 2.6's virtual.c). {@code vhost:} accepts a
 * single host only, {@code vnet:} a network; {@code %no} the peer's own public address (no NAT), {@code %priv} what
 * {@code virtual_private=} allows, {@code %all} anything, and {@code %v4:net} / {@code %v6:net} those networks.
 */
public record VirtualSubnet(boolean hostOnly, boolean no, boolean priv, boolean all, List<Subnet> nets) {
  public VirtualSubnet {
    nets = List.copyOf(nets);
  }

  /** The value of {@code leftsubnet=} / {@code rightsubnet=} if it is a {@code vhost:} or {@code vnet:} one. */
  public static Optional<VirtualSubnet> of(String key, String value) throws ConfigException {
    String l = value == null ? "" : value.toLowerCase(Locale.ROOT);
    if (!l.startsWith("vhost:") && !l.startsWith("vnet:")) {
      return Optional.empty();
    }
    boolean no = false;
    boolean priv = false;
    boolean all = false;
    List<Subnet> nets = new ArrayList<>();
    for (String p : Values.list(value.substring(value.indexOf(':') + 1))) {
      switch (p.toLowerCase(Locale.ROOT)) {
        case "%no" -> no = true;
        case "%priv" -> priv = true;
        case "%all" -> all = true;
        default -> {
          VirtualPrivate.Entry e = VirtualPrivate.entry(key + "=" + value, p);
          if (e.exclude()) {
            throw new ConfigException(key + "=" + value + ": \"" + p + "\": exclusions (!) belong in virtual_private=");
          }
          nets.add(e.subnet());
        }
      }
    }
    return Optional.of(new VirtualSubnet(l.startsWith("vhost:"), no, priv, all, nets));
  }

  /**
   * Why the peer at {@code peerHost} may not have {@code peerNet} as its client, or empty if it may (Openswan's
   * is_virtual_net_allowed, in its order).
   */
  public Optional<String> refusal(Subnet peerNet, InetAddress peerHost, VirtualPrivate virtualPrivate) {
    if (hostOnly && !peerNet.isHost()) {
      return Optional.of("peer client " + peerNet + " is a network, but vhost: accepts a single host only");
    }
    if (no && peerNet.isHost() && peerNet.contains(peerHost)) {
      return Optional.empty();
    }
    if (priv && virtualPrivate.contains(peerNet)) {
      return Optional.empty();
    }
    if (nets.stream().anyMatch(n -> n.containsSubnet(peerNet))) {
      return Optional.empty();
    }
    if (all) {
      return Optional.empty();
    }
    String where = priv ? "virtual_private=" + (virtualPrivate.allowed().isEmpty() ? "(empty)" : virtualPrivate) : "";
    if (!nets.isEmpty()) {
      where += (where.isEmpty() ? "" : " nor in ") + nets;
    }
    if (where.isEmpty()) {
      where = "the conn's vhost:/vnet: list";
    }
    return Optional.of("peer client " + peerNet + " is not in " + where);
  }
}
