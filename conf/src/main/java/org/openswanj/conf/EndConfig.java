package org.openswanj.conf;

import java.net.InetAddress;
import java.util.List;
import java.util.Optional;
import org.openswanj.conf.id.Identity;

/** One end (left or right) of a conn, typed. */
public record EndConfig(HostAddr host, Optional<Identity> id, List<Subnet> subnets, Optional<InetAddress> nexthop,
    ProtoPort protoPort, RsaSigKey rsaSigKey, Optional<String> cert, Optional<InetAddress> sourceIp,
    Optional<String> updown, boolean xauthServer, boolean xauthClient, Optional<String> ca, SendCert sendCert,
    ModeCfg modecfg) {
  /**
   * What a ModeConfig server hands this end's client (draft-ietf-ipsec-isakmp-mode-cfg-05 §3.3): name servers
   * ({@code modecfgdns1/2}), NetBIOS servers ({@code modecfgwins1/2}), the {@code addresspool=} range and, for a
   * Cisco Unity client, the {@code modecfgbanner=} text.
   */
  public record ModeCfg(List<InetAddress> dns, List<InetAddress> wins, Optional<AddressPool> pool,
      Optional<String> banner) {
    public static final ModeCfg NONE = new ModeCfg(List.of(), List.of(), Optional.empty(), Optional.empty());

    public ModeCfg {
      dns = List.copyOf(dns);
      wins = List.copyOf(wins);
    }
  }

  public EndConfig {
    subnets = List.copyOf(subnets);
  }
}
