package org.openswanj.conf;

import java.net.InetAddress;
import java.util.List;
import java.util.Optional;
import org.openswanj.conf.id.Identity;

/** One end (left or right) of a conn, typed. */
public record EndConfig(HostAddr host, Optional<Identity> id, List<Subnet> subnets, Optional<InetAddress> nexthop,
    ProtoPort protoPort, RsaSigKey rsaSigKey, Optional<String> cert, Optional<InetAddress> sourceIp,
    Optional<String> updown, boolean xauthServer, boolean xauthClient, Optional<String> ca, SendCert sendCert) {
  public EndConfig {
    subnets = List.copyOf(subnets);
  }
}
