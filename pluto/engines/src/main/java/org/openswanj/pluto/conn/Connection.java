package org.openswanj.pluto.conn;

import java.net.InetAddress;
import java.time.Instant;
import java.util.Collection;
import java.util.List;
import java.util.Optional;
import org.openswanj.conf.AuthBy;
import org.openswanj.conf.ConnConfig;
import org.openswanj.conf.ConnType;
import org.openswanj.conf.EndConfig;
import org.openswanj.conf.HostAddr;
import org.openswanj.conf.Subnet;
import org.openswanj.conf.id.Identity;

/**
 * A conn as pluto holds it: the config oriented so that {@code local} is this host (Openswan's "this" and
 * "that"), plus runtime routing state. Mutable fields change only on the event loop.
 */
public final class Connection {
  /** Openswan's routing states, as shown by whack --status. */
  public enum Routing {
    UNROUTED("unrouted"),
    PROSPECTIVE("prospective erouted"),
    /** Negotiating after an ACQUIRE: the %trap became negotiationshunt= (Openswan's RT_ROUTED_HOLD). */
    HOLD("erouted HOLD"),
    /** Negotiation failed: failureshunt= is installed (Openswan's RT_ROUTED_FAILURE). */
    FAILURE("fail erouted"),
    EROUTED("erouted");

    private final String text;

    Routing(String text) {
      this.text = text;
    }

    public String text() {
      return text;
    }
  }

  private final ConnConfig config;
  private final EndConfig local;
  private final EndConfig remote;
  private final InetAddress localHost;
  private final InetAddress remoteHost;
  private Identity localId;
  private Identity remoteId;
  private final ProposalPolicy proposals;
  private final Instant added;
  private org.openswanj.pluto.x509.ConnCerts certs = org.openswanj.pluto.x509.ConnCerts.NONE;
  private Routing routing = Routing.UNROUTED;
  private long erouteOwner;
  private long newestIkeSa;
  private long newestIpsecSa;
  private org.openswanj.conf.VirtualSubnet remoteVirtual;
  private int instances;

  private Connection(ConnConfig config, EndConfig local, EndConfig remote, InetAddress localHost,
      InetAddress remoteHost, Instant added) {
    this.config = config;
    this.local = local;
    this.remote = remote;
    this.localHost = localHost;
    this.remoteHost = remoteHost;
    this.localId = local.id().filter(i -> i.kind() != Identity.Kind.MYID).orElse(Identity.ofAddress(localHost));
    this.remoteId = remote.id().orElse(remoteHost == null ? anyId() : Identity.ofAddress(remoteHost));
    this.proposals = ProposalPolicy.of(config);
    this.added = added;
  }

  private static Identity anyId() {
    try {
      return Identity.parse("%any");
    } catch (Exception e) {
      throw new IllegalStateException("cannot build %any identity", e);
    }
  }

  /**
   * Orients {@code config}: the end whose host is one of our addresses is local (Openswan's
   * orient()). Fails with Openswan's wording when neither or both ends are ours.
   */
  public static Connection orient(ConnConfig config, Collection<InetAddress> ourAddresses, Instant now)
      throws OrientException {
    boolean leftOurs = isOurs(config.left().host(), ourAddresses);
    boolean rightOurs = isOurs(config.right().host(), ourAddresses);
    if (leftOurs && rightOurs) {
      throw new OrientException("both ends of \"" + config.name() + "\" are on this host: cannot orient");
    }
    if (!leftOurs && !rightOurs) {
      throw new OrientException("we cannot identify ourselves with either end of this connection "
          + "(neither " + describeHost(config.left().host()) + " nor " + describeHost(config.right().host())
          + " is a listening address)");
    }
    EndConfig l = leftOurs ? config.left() : config.right();
    EndConfig r = leftOurs ? config.right() : config.left();
    InetAddress lh = ((HostAddr.Address) l.host()).ip();
    InetAddress rh = r.host() instanceof HostAddr.Address a ? a.ip() : null;
    Connection c = new Connection(config, l, r, lh, rh, now);
    c.remoteVirtual = config.virtualSubnet(leftOurs ? "right" : "left").orElse(null);
    return c;
  }

  private static boolean isOurs(HostAddr host, Collection<InetAddress> ours) {
    return host instanceof HostAddr.Address a && ours.contains(a.ip());
  }

  private static String describeHost(HostAddr h) {
    return h instanceof HostAddr.Address a ? a.ip().getHostAddress() : h.toString();
  }

  public String name() {
    return config.name();
  }

  public ConnConfig config() {
    return config;
  }

  public EndConfig local() {
    return local;
  }

  public EndConfig remote() {
    return remote;
  }

  public InetAddress localHost() {
    return localHost;
  }

  /** The peer's address, empty for {@code %any} (a responder-only template). */
  public Optional<InetAddress> remoteHost() {
    return Optional.ofNullable(remoteHost);
  }

  public Identity localId() {
    return localId;
  }

  public Identity remoteId() {
    return remoteId;
  }

  /** The conn's certificates (none unless leftcert=, rightcert= or rightca= are set). */
  public org.openswanj.pluto.x509.ConnCerts certs() {
    return certs;
  }

  /**
   * Attaches the certificates read at add time. As in Openswan, an end with a certificate and no id= (or
   * id=%fromcert) is known by the certificate's subject DN.
   */
  public void attachCertificates(org.openswanj.pluto.x509.ConnCerts c) {
    this.certs = c;
    if (c.local().isPresent() && (local.id().isEmpty() || local.id().get().kind() == Identity.Kind.FROMCERT)) {
      localId = c.local().get().subjectId();
    }
    if (c.peer().isPresent() && remote.id().isEmpty()) {
      remoteId = org.openswanj.pluto.pki.CertIds.subjectId(c.peer().get());
    }
  }

  /** True if the peer's ID is acceptable: rightid=%any or %fromcert (the certificate check binds it) or a match. */
  public boolean acceptsPeerId(Identity peer) {
    return peer != null && (remoteId.isAny() || remoteId.kind() == Identity.Kind.FROMCERT || remoteId.matches(peer));
  }

  public ProposalPolicy proposals() {
    return proposals;
  }

  /** Our protected networks: leftsubnet(s), or the host itself (RFC 4301 host-to-host). */
  public List<Subnet> localSubnets() {
    return local.subnets().isEmpty() ? List.of(hostSubnet(localHost)) : local.subnets();
  }

  /** The peer's protected networks; empty (unknown) for a %any host-to-host template until instantiated. */
  public List<Subnet> remoteSubnets(InetAddress actualPeer) {
    if (!remote.subnets().isEmpty()) {
      return remote.subnets();
    }
    InetAddress peer = remoteHost != null ? remoteHost : actualPeer;
    return peer == null ? List.of() : List.of(hostSubnet(peer));
  }

  /** {@code rightsubnet=vhost:…}/{@code vnet:…}: the peer's client is what it proposes, if this allows it. */
  public Optional<org.openswanj.conf.VirtualSubnet> remoteVirtual() {
    return Optional.ofNullable(remoteVirtual);
  }

  /** The next instance number of this template for a peer's client ({@code "l2tp-psk"[1]}), from 1. */
  public int nextInstance() {
    return ++instances;
  }

  public static Subnet hostSubnet(InetAddress a) {
    return new Subnet(a, a.getAddress().length * 8);
  }

  public boolean usesPsk() {
    return config.authby().contains(AuthBy.SECRET);
  }

  public boolean transportMode() {
    return config.type() == ConnType.TRANSPORT;
  }

  public Instant added() {
    return added;
  }

  public Routing routing() {
    return routing;
  }

  public void setRouting(Routing routing) {
    this.routing = routing;
  }

  public long erouteOwner() {
    return erouteOwner;
  }

  public void setErouteOwner(long serial) {
    this.erouteOwner = serial;
  }

  public long newestIkeSa() {
    return newestIkeSa;
  }

  public void setNewestIkeSa(long serial) {
    this.newestIkeSa = serial;
  }

  public long newestIpsecSa() {
    return newestIpsecSa;
  }

  public void setNewestIpsecSa(long serial) {
    this.newestIpsecSa = serial;
  }
}
