package org.openswanj.pluto.daemon.oe;

import com.google.common.net.InetAddresses;
import java.net.InetAddress;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.openswanj.conf.ConfigException;
import org.openswanj.conf.ConnConfig;
import org.openswanj.pluto.conn.Connection;
import org.openswanj.pluto.conn.OrientException;
import org.openswanj.pluto.oe.LearnedKey;
import org.openswanj.pluto.oe.OeDecision;
import org.openswanj.pluto.oe.OeGateway;
import org.openswanj.pluto.oe.OeKeyAlgorithm;
import org.openswanj.pluto.oe.OeLookupResult;

/**
 * Instantiates a policy group's conn for one peer, as Openswan 2.6 instantiates its implicit group conns: IKEv2
 * (the default for OE; IKEv1 Main Mode with a group conn's {@code ikev2=never} or for a peer starting so), authenticated with RSA signatures (RFC 7296 §2.15, method 1) using the peer's key from
 * DNS as {@code rightrsasigkey} and our host key from ipsec.secrets, transport mode between the two hosts, tunnel
 * mode when DNS names another host as the peer's gateway (which then protects the peer's address as its client). Named
 * {@code private-or-clear#192.1.2.0/24[N]}. A group that allows NULL authentication (RFC 7619, {@link OeAuth})
 * gets anonymous instances for peers without a key: {@code authby=null}, both IDs {@code %null}, as Libreswan's
 * OE conns. Called on the event loop.
 */
final class OeInstances {
  private final OeHost host;
  private final Map<String, Connection> live = new LinkedHashMap<>();
  private int serial;
  private String lastProblem = "";

  OeInstances(OeHost host) {
    this.host = host;
  }

  /**
   * An instance to initiate from {@code us} to {@code peer}, through the best gateway {@code r} names; IKEv1
   * ({@code ikev1}, Openswan 2.6's OE) or IKEv2.
   */
  Optional<Connection> initiator(OeDecision group, InetAddress us, InetAddress peer, OeLookupResult r, boolean ikev1) {
    for (OeGateway g : r.gateways()) {
      if (g.address().isPresent() && g.key().key().algorithm() == OeKeyAlgorithm.RSA) {
        return create(group, us, g.address().get(), peer, g.key(), ikev1);
      }
    }
    lastProblem = "no gateway with an address and an RSA key (" + r.describe() + ")";
    return Optional.empty();
  }

  /** An instance answering {@code peer}, which starts OE for itself in the version of its first message. */
  Optional<Connection> responder(OeDecision group, InetAddress us, InetAddress peer, OeLookupResult r, boolean ikev1) {
    List<LearnedKey> keys = r.keysFor(peer);
    for (LearnedKey k : keys) {
      if (k.key().algorithm() == OeKeyAlgorithm.RSA) {
        return create(group, us, peer, peer, k, ikev1);
      }
    }
    lastProblem = "DNS publishes no RSA key for " + InetAddresses.toAddrString(peer) + " itself ("
        + r.describe() + ")";
    return Optional.empty();
  }

  /** An anonymous instance between {@code us} and {@code peer}, either side starting it (RFC 7619). */
  Optional<Connection> anonymous(OeDecision group, InetAddress us, InetAddress peer) {
    return create(group, us, peer, peer, Map.of("authby", "null", "leftid", "%null", "rightid", "%null"), false);
  }

  private Optional<Connection> create(OeDecision group, InetAddress us, InetAddress gateway, InetAddress client,
      LearnedKey key, boolean ikev1) {
    return create(group, us, gateway, client, Map.of("authby", "rsasig", "rightrsasigkey",
        "0s" + Base64.getEncoder().encodeToString(key.key().encoded())), ikev1);
  }

  private Optional<Connection> create(OeDecision group, InetAddress us, InetAddress gateway, InetAddress client,
      Map<String, String> authentication, boolean ikev1) {
    String name = group.instanceName() + "[" + (++serial) + "]";
    Map<String, String> kw = new LinkedHashMap<>();
    kw.put("left", InetAddresses.toAddrString(us));
    kw.put("right", InetAddresses.toAddrString(gateway));
    if (!gateway.equals(client)) {
      kw.put("rightsubnet", Connection.hostSubnet(client).toString());
    }
    // between two hosts, transport mode: it also works from behind a NAT (RFC 7296 §2.23.1: the responder keys
    // the address it sees, whatever private one the initiator names); a peer that wants tunnel mode gets it
    // (§1.3.1: USE_TRANSPORT_MODE is a request). A gateway for another host's address needs tunnel mode.
    // IKEv1 keeps Openswan 2.6's tunnel mode, which its OE peers propose and expect.
    kw.put("type", gateway.equals(client) && !ikev1 ? "transport" : "tunnel");
    kw.putAll(authentication);
    kw.put("ikev2", ikev1 ? "never" : "insist");
    kw.put("keyingtries", "1");
    kw.put("auto", "ignore");
    try {
      Connection c = Connection.orient(ConnConfig.fromKeywords(name, kw), host.addresses(),
          java.time.Instant.now());
      live.put(name, c);
      host.add(c, group.route() != org.openswanj.kernel.PolicyAction.PASS);
      return Optional.of(c);
    } catch (ConfigException | OrientException e) {
      lastProblem = "cannot instantiate \"" + group.instanceName() + "\" for " + InetAddresses.toAddrString(client)
          + ": " + e.getMessage();
      return Optional.empty();
    }
  }

  /** The instance for this peer address, if one is in the conn table. */
  Optional<Connection> find(InetAddress peer) {
    return all(peer).stream().findFirst();
  }

  /** Every instance for this peer address (ours and those answering the peer). */
  List<Connection> all(InetAddress peer) {
    return live.values().stream().filter(c -> c.remoteHost().map(peer::equals).orElse(false)).toList();
  }

  void remove(Connection c) {
    if (live.remove(c.name()) != null) {
      host.remove(c);
    }
  }

  /** Why the last instance could not be made. */
  String lastProblem() {
    return lastProblem;
  }
}
