package org.openswanj.pluto.sa;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import org.openswanj.conf.AutoAction;
import org.openswanj.conf.FailureShunt;
import org.openswanj.conf.NegotiationShunt;
import org.openswanj.conf.Subnet;
import org.openswanj.kernel.Direction;
import org.openswanj.kernel.Encapsulation;
import org.openswanj.kernel.IpsecMode;
import org.openswanj.kernel.IpsecProto;
import org.openswanj.kernel.KernelBackend;
import org.openswanj.kernel.KernelException;
import org.openswanj.kernel.Lifetime;
import org.openswanj.kernel.PolicyAction;
import org.openswanj.kernel.PolicyDirection;
import org.openswanj.kernel.PolicyId;
import org.openswanj.kernel.PolicySpec;
import org.openswanj.kernel.Replay;
import org.openswanj.kernel.SaEndpoints;
import org.openswanj.kernel.SaBinding;
import org.openswanj.kernel.SaId;
import org.openswanj.kernel.SaSpec;
import org.openswanj.kernel.SaTemplate;
import org.openswanj.kernel.SaTransform;
import org.openswanj.kernel.SecretKey;
import org.openswanj.kernel.Selector;
import org.openswanj.kernel.UdpEncap;
import org.openswanj.pluto.conn.Connection;
import org.openswanj.pluto.conn.ProposalPolicy.EspChoice;

/**
 * Kernel installation of IPsec SAs, shared by IKEv1 (Quick Mode) and IKEv2 (Child SAs): the SA pair, the
 * policies with make-before-break replacement of the outbound one (RFC 4301 §4.4.2 SPD update), %trap
 * eroutes, and removal back to %trap or nothing. One reqid per conn whichever IKE version keyed it. Called
 * on the event loop only.
 */
public final class SaInstaller {
  private static final int REQID_BASE = 16384;
  private final KernelBackend backend;
  private final Map<String, Integer> reqids = new HashMap<>();
  private UpdownHook updown = UpdownHook.NONE;

  public SaInstaller(KernelBackend backend) {
    this.backend = backend;
  }

  /** The daemon's updown runner (bin/_updown or leftupdown=). */
  public void setUpdown(UpdownHook hook) {
    this.updown = hook;
  }

  public KernelBackend backend() {
    return backend;
  }

  /** The updown runner (OE routes its policy groups' subnets through it). */
  public UpdownHook updown() {
    return updown;
  }

  /**
   * One ESP SA pair to install. {@code nat}: UDP-encapsulate between the two IKE ports (RFC 3948).
   * Keys: {@code integ*} null for AEAD.
   */
  public record Request(Connection conn, InetSocketAddress local, InetSocketAddress remote, boolean nat,
      boolean transport, List<Selector> selectors, EspChoice algs, int inboundSpi, int outboundSpi,
      SecretKey encIn, SecretKey integIn, SecretKey encOut, SecretKey integOut, int reqid, long firstOutboundSeq,
      Selector binding, long inboundFloor) {
    public Request(Connection conn, InetSocketAddress local, InetSocketAddress remote, boolean nat, boolean transport,
        List<Selector> selectors, EspChoice algs, int inboundSpi, int outboundSpi, SecretKey encIn, SecretKey integIn,
        SecretKey encOut, SecretKey integOut, int reqid, long firstOutboundSeq, Selector binding) {
      this(conn, local, remote, nat, transport, selectors, algs, inboundSpi, outboundSpi, encIn, integIn, encOut,
          integOut, reqid, firstOutboundSeq, binding, 0);
    }

    public Request(Connection conn, InetSocketAddress local, InetSocketAddress remote, boolean nat, boolean transport,
        List<Selector> selectors, EspChoice algs, int inboundSpi, int outboundSpi, SecretKey encIn, SecretKey integIn,
        SecretKey encOut, SecretKey integOut, int reqid, long firstOutboundSeq) {
      this(conn, local, remote, nat, transport, selectors, algs, inboundSpi, outboundSpi, encIn, integIn, encOut,
          integOut, reqid, firstOutboundSeq, null);
    }

    /**
     * The SA pair's own selector (the pair the IKE peers negotiated): {@code binding} when given, wider than the
     * policies (a Cisco Unity client's 0.0.0.0/0, installed as our split networks' policies), else the first.
     */
    public Selector saSelector() {
      return binding != null ? binding : selectors.get(0);
    }

    public Request(Connection conn, InetSocketAddress local, InetSocketAddress remote, boolean nat, boolean transport,
        List<Selector> selectors, EspChoice algs, int inboundSpi, int outboundSpi, SecretKey encIn, SecretKey integIn,
        SecretKey encOut, SecretKey integOut, int reqid) {
      this(conn, local, remote, nat, transport, selectors, algs, inboundSpi, outboundSpi, encIn, integIn, encOut,
          integOut, reqid, 0);
    }

    @Override
    public String toString() {
      return "Request[" + conn.name() + String.format(" in=0x%08x out=0x%08x]", inboundSpi, outboundSpi);
    }
  }

  /** An inbound SPI for an SA from {@code peer} to {@code us}. */
  public int allocateSpi(InetAddress peer, InetAddress us) throws KernelException {
    return backend.allocateSpi(new SaEndpoints(peer, us), IpsecProto.ESP);
  }

  public int reqid(Connection c) {
    return c.config().reqid().orElseGet(() -> reqids.computeIfAbsent(c.name(), n -> REQID_BASE + 8 * reqids.size()));
  }

  /** Adds both SAs, then moves the policies onto them; the inbound SA is removed again if the outbound fails. */
  public void install(Request r) throws KernelException {
    installInbound(r);
    try {
      installOutbound(r);
    } catch (KernelException ex) {
      deleteSaQuietly(new SaId(r.remote().getAddress(), r.local().getAddress(), r.inboundSpi(), IpsecProto.ESP));
      throw ex;
    }
  }

  /**
   * The inbound half: the inbound SA and the in/fwd policies. A rekey responder installs only this at first
   * (make-before-break): the peer cannot decrypt with the new SA until it has the answer, so our traffic stays
   * on the old outbound SA until the old Child SA is deleted (as strongSwan does).
   */
  public void installInbound(Request r) throws KernelException {
    InetAddress us = r.local().getAddress();
    InetAddress peer = r.remote().getAddress();
    UdpEncap encapIn = r.nat() ? new UdpEncap(r.remote().getPort(), r.local().getPort()) : null;
    IpsecMode mode = r.transport() ? IpsecMode.TRANSPORT : IpsecMode.TUNNEL;
    backend.addSa(new SaId(peer, us, r.inboundSpi(), IpsecProto.ESP), new SaSpec(Direction.INBOUND,
        transform(r.algs(), r.encIn(), r.integIn()), new Encapsulation(mode, encapIn),
        new Replay(r.conn().config().replayWindow(), false, 0, r.inboundFloor()), // floor: RFC 6311 §5.2
        new SaBinding(r.conn().name(), r.reqid(), r.saSelector().reversed()), lifetime(r.conn())));
    for (Selector s : r.selectors()) {
      PolicySpec inP = new PolicySpec(PolicyAction.IPSEC, SaTemplate.esp(mode, peer, us, 0), r.reqid(), 0,
          r.conn().name());
      backend.replacePolicy(new PolicyId(s.reversed(), PolicyDirection.IN), inP);
      if (!r.transport()) {
        backend.replacePolicy(new PolicyId(s.reversed(), PolicyDirection.FWD), inP);
      }
    }
  }

  /** The outbound half: the outbound SA, then the out policy moved onto it (RFC 4301 §4.4.2 SPD update). */
  public void installOutbound(Request r) throws KernelException {
    installOutbound(r, UpdownHook.SaPeer.NONE);
  }

  /** The same, telling updown about the SA's ModeConfig client and XAUTH user. */
  public void installOutbound(Request r, UpdownHook.SaPeer saPeer) throws KernelException {
    InetAddress us = r.local().getAddress();
    InetAddress peer = r.remote().getAddress();
    UdpEncap encapOut = r.nat() ? new UdpEncap(r.local().getPort(), r.remote().getPort()) : null;
    IpsecMode mode = r.transport() ? IpsecMode.TRANSPORT : IpsecMode.TUNNEL;
    backend.addSa(new SaId(us, peer, r.outboundSpi(), IpsecProto.ESP), new SaSpec(Direction.OUTBOUND,
        transform(r.algs(), r.encOut(), r.integOut()), new Encapsulation(mode, encapOut),
        r.firstOutboundSeq() > 1 ? new Replay(0, false, r.firstOutboundSeq()) : Replay.NONE,
        new SaBinding(r.conn().name(), r.reqid(), r.saSelector()), lifetime(r.conn())));
    for (Selector s : r.selectors()) {
      PolicySpec outP = new PolicySpec(PolicyAction.IPSEC, SaTemplate.esp(mode, us, peer, r.outboundSpi()),
          r.reqid(), 0, r.conn().name());
      backend.replacePolicy(new PolicyId(s, PolicyDirection.OUT), outP);
    }
    updown.up(r.conn(), us, peer, r.reqid(), saPeer); // routes exist before the SA is reported established
  }

  private static Lifetime lifetime(Connection c) {
    long hard = c.config().saLifetime().getSeconds();
    // the kernel's limit is a safety net; pluto's own EVENT_SA_REPLACE normally rekeys first
    return new Lifetime(0, 0, 0, hard + 30);
  }

  /**
   * The policies of a removed SA pair: the outbound one goes back to %trap when the conn is routed, else it
   * and the inbound ones are removed. Failures are logged by the caller's {@code onError}.
   */
  public void restorePolicies(Connection c, InetAddress peer, List<Selector> selectors, boolean transport)
      throws KernelException {
    restorePolicies(c, peer, selectors, transport, UpdownHook.SaPeer.NONE);
  }

  public void restorePolicies(Connection c, InetAddress peer, List<Selector> selectors, boolean transport,
      UpdownHook.SaPeer saPeer) throws KernelException {
    updown.down(c, c.localHost(), peer, reqid(c), saPeer);
    for (Selector s : selectors) {
      if (c.config().auto() == AutoAction.ROUTE || c.routing() == Connection.Routing.PROSPECTIVE) {
        backend.replacePolicy(new PolicyId(s, PolicyDirection.OUT), trap(c, peer));
      } else {
        deletePolicyQuietly(new PolicyId(s, PolicyDirection.OUT));
      }
      deletePolicyQuietly(new PolicyId(s.reversed(), PolicyDirection.IN));
      if (!transport) {
        deletePolicyQuietly(new PolicyId(s.reversed(), PolicyDirection.FWD));
      }
    }
  }

  /**
   * Moves a Child SA's two kernel SAs to the peer's new UDP port {@code newPeer} (same address; RFC 7296 §2.23), our
   * port {@code local}'s staying: the outbound SA sends there, the inbound one expects it.
   */
  public void moveEncap(InetSocketAddress local, InetSocketAddress newPeer, int inboundSpi, int outboundSpi)
      throws KernelException {
    InetAddress us = local.getAddress();
    InetAddress peer = newPeer.getAddress();
    backend.updateSaEncap(new SaId(peer, us, inboundSpi, IpsecProto.ESP), new UdpEncap(newPeer.getPort(), local.getPort()));
    backend.updateSaEncap(new SaId(us, peer, outboundSpi, IpsecProto.ESP), new UdpEncap(local.getPort(), newPeer.getPort()));
  }

  /** Whether the backend can advance an outbound SA's sequence counter in place (RFC 6311 §5.2). */
  public boolean canAdvanceSequence() {
    return backend.features().contains(org.openswanj.kernel.KernelFeature.SEQ_ADVANCE);
  }

  /** Advances our outbound SA's sequence counter by {@code delta} (RFC 6311 §5.2, the peer's request). */
  public void advanceOutbound(InetAddress us, InetAddress peer, int outboundSpi, long delta) throws KernelException {
    backend.advanceOutboundSeq(new SaId(us, peer, outboundSpi, IpsecProto.ESP), delta);
  }

  /** Deletes the SA pair; a missing SA is not an error (the kernel may have expired it). */
  public void deleteSas(InetAddress us, InetAddress peer, int inboundSpi, int outboundSpi) {
    deleteSaQuietly(new SaId(peer, us, inboundSpi, IpsecProto.ESP));
    deleteSaQuietly(new SaId(us, peer, outboundSpi, IpsecProto.ESP));
  }

  /** The inbound SA alone (a Quick Mode responder whose QI2 never came). */
  public void deleteInboundSa(InetAddress us, InetAddress peer, int inboundSpi) {
    deleteSaQuietly(new SaId(peer, us, inboundSpi, IpsecProto.ESP));
  }

  private void deletePolicyQuietly(PolicyId id) {
    try {
      backend.deletePolicy(id);
    } catch (KernelException ex) {
      org.apache.logging.log4j.LogManager.getLogger("pluto").debug("delete policy: " + ex.getMessage());
    }
  }

  private void deleteSaQuietly(SaId id) {
    try {
      backend.deleteSa(id);
    } catch (KernelException ex) {
      org.apache.logging.log4j.LogManager.getLogger("pluto").debug("delete SA: " + ex.getMessage());
    }
  }

  /** %trap policy for an auto=route conn: the first packet raises an acquire (Openswan's "prospective erouted"). */
  public PolicySpec trap(Connection c, InetAddress peer) {
    IpsecMode mode = c.transportMode() ? IpsecMode.TRANSPORT : IpsecMode.TUNNEL;
    return new PolicySpec(PolicyAction.TRAP, new SaTemplate(IpsecProto.ESP, mode, c.localHost(), peer, 0), reqid(c),
        0, c.name());
  }

  /**
   * {@code ipsec auto --route}: install %trap eroutes for every (local, remote) subnet pair. A conn's negotiation
   * or failure shunt is replaced by the %trap again (Openswan: the failure shunt stays until re-routed).
   */
  public void route(Connection c) throws KernelException {
    if (c.config().type().isShunt()) {
      routeShunt(c);
      return;
    }
    InetAddress peer = c.remoteHost().orElseThrow(() -> new KernelException("cannot route a conn to %any"));
    if (c.erouteOwner() == 0) { // an IPsec SA's eroute stays; it goes back to %trap when the SA is deleted
      replaceOutbound(c, peer, trap(c, peer));
      c.setRouting(Connection.Routing.PROSPECTIVE);
    }
    updown.route(c); // the route makes the first packet reach the %trap (Openswan's route-client)
  }

  /**
   * An ACQUIRE on a routed conn: while IKE runs, its %trap eroutes become {@code negotiationshunt=} (hold: %hold,
   * Openswan's "erouted HOLD"; passthrough lets cleartext out, drop discards). False if the conn is not on its
   * %trap (already negotiating, up, or failed).
   */
  public boolean negotiating(Connection c) throws KernelException {
    InetAddress peer = c.remoteHost().orElse(null);
    if (peer == null || c.routing() != Connection.Routing.PROSPECTIVE) {
      return false;
    }
    replaceOutbound(c, peer, shunt(c, peer, negotiationAction(c.config().negotiationShunt())));
    c.setRouting(Connection.Routing.HOLD);
    return true;
  }

  /**
   * Negotiation for the conn failed for good (keyingtries spent, the peer refused, authentication failed). A
   * routed conn without an IPsec SA gets its {@code failureshunt=} eroutes (Openswan's "fail erouted"), which stay
   * until a successful negotiation, {@code auto --route} or {@code --unroute}; with failureshunt=none it goes back
   * to its %trap. Returns the line to log, empty when the conn is not routed or has an SA.
   */
  public Optional<String> negotiationFailed(Connection c) {
    Connection.Routing r = c.routing();
    InetAddress peer = c.remoteHost().orElse(null);
    boolean routed = r == Connection.Routing.PROSPECTIVE || r == Connection.Routing.HOLD
        || r == Connection.Routing.FAILURE;
    if (peer == null || !routed || c.erouteOwner() != 0) {
      return Optional.empty();
    }
    FailureShunt f = c.config().failureShunt();
    PolicyAction action = failureAction(f).orElse(PolicyAction.TRAP);
    try {
      replaceOutbound(c, peer, shunt(c, peer, action));
    } catch (KernelException ex) {
      return Optional.of("negotiation failed; cannot install the failure shunt: " + ex.getMessage());
    }
    c.setRouting(f == FailureShunt.NONE ? Connection.Routing.PROSPECTIVE : Connection.Routing.FAILURE);
    return Optional.of("negotiation failed; " + (f == FailureShunt.NONE ? "back to %trap (failureshunt=none)"
        : "failureshunt=" + f.name().toLowerCase(Locale.ROOT) + ": " + shuntName(action) + " eroute installed"));
  }

  /** The shunt a conn's traffic is on now (negotiation or failure), or empty when on %trap, an SA or unrouted. */
  public Optional<PolicyAction> currentShunt(Connection c) {
    return switch (c.routing()) {
      case FAILURE -> failureAction(c.config().failureShunt());
      case HOLD -> Optional.of(negotiationAction(c.config().negotiationShunt()));
      default -> Optional.empty();
    };
  }

  /** Openswan's name of a shunt: {@code %pass}, {@code %hold}, ... */
  public static String shuntName(PolicyAction a) {
    return "%" + a.name().toLowerCase(Locale.ROOT);
  }

  private static Optional<PolicyAction> failureAction(FailureShunt f) {
    return switch (f) {
      case NONE -> Optional.empty();
      case PASSTHROUGH -> Optional.of(PolicyAction.PASS);
      case DROP -> Optional.of(PolicyAction.DROP);
      case REJECT -> Optional.of(PolicyAction.REJECT);
    };
  }

  private static PolicyAction negotiationAction(NegotiationShunt n) {
    return switch (n) {
      case HOLD -> PolicyAction.HOLD;
      case PASSTHROUGH -> PolicyAction.PASS;
      case DROP -> PolicyAction.DROP;
    };
  }

  /** The conn's eroute for {@code a}: %trap and %hold ask for the conn's SA, the others need none. */
  private PolicySpec shunt(Connection c, InetAddress peer, PolicyAction a) {
    if (a == PolicyAction.TRAP || a == PolicyAction.HOLD) {
      return new PolicySpec(a, trap(c, peer).template(), reqid(c), 0, c.name());
    }
    return PolicySpec.shunt(a, c.name());
  }

  /** The conn's outbound eroutes, one per (local, remote) subnet pair, all set to {@code spec}. */
  private void replaceOutbound(Connection c, InetAddress peer, PolicySpec spec) throws KernelException {
    for (Subnet l : c.localSubnets()) {
      for (Subnet r : c.remoteSubnets(peer)) {
        backend.replacePolicy(new PolicyId(trapSelector(c, l, r), PolicyDirection.OUT), spec);
      }
    }
  }

  public void unroute(Connection c) {
    if (c.config().type().isShunt()) {
      unrouteShunt(c);
      return;
    }
    InetAddress peer = c.remoteHost().orElse(null);
    if (peer == null) {
      return;
    }
    for (Subnet l : c.localSubnets()) {
      for (Subnet r : c.remoteSubnets(peer)) {
        deletePolicyQuietly(new PolicyId(trapSelector(c, l, r), PolicyDirection.OUT));
      }
    }
    c.setRouting(Connection.Routing.UNROUTED);
    updown.unroute(c);
  }

  /**
   * type=passthrough|drop|reject: a %pass/%drop/%reject eroute per subnet pair, outbound and (netkey) inbound and
   * forward too, so a bypassed host's clear replies are not refused by a covering tunnel's inbound policy. The
   * backend orders by selector specificity, so a /32 shunt wins over a tunnelled /24 (RFC 4301 §4.4.1: the SPD
   * is searched most specific first once decorrelated).
   */
  private void routeShunt(Connection c) throws KernelException {
    PolicySpec spec = PolicySpec.shunt(shuntAction(c), c.name());
    List<Selector> selectors = shuntSelectors(c);
    if (selectors.isEmpty()) {
      throw new KernelException("a shunt to %any needs the peer's subnet (rightsubnet=)");
    }
    for (Selector s : selectors) {
      backend.replacePolicy(new PolicyId(s, PolicyDirection.OUT), spec);
      backend.replacePolicy(new PolicyId(s.reversed(), PolicyDirection.IN), spec);
      backend.replacePolicy(new PolicyId(s.reversed(), PolicyDirection.FWD), spec);
    }
    c.setRouting(Connection.Routing.EROUTED);
    if (c.remoteHost().isPresent()) {
      updown.route(c); // Openswan's route_and_eroute runs route-client for shunts too (klips: into ipsecN)
    }
  }

  private void unrouteShunt(Connection c) {
    if (c.routing() == Connection.Routing.UNROUTED) {
      return;
    }
    for (Selector s : shuntSelectors(c)) {
      deletePolicyQuietly(new PolicyId(s, PolicyDirection.OUT));
      deletePolicyQuietly(new PolicyId(s.reversed(), PolicyDirection.IN));
      deletePolicyQuietly(new PolicyId(s.reversed(), PolicyDirection.FWD));
    }
    c.setRouting(Connection.Routing.UNROUTED);
    if (c.remoteHost().isPresent()) {
      updown.unroute(c);
    }
  }

  /** The shunt's selectors: every (local, remote) client pair; the peer host stands in for a missing subnet. */
  public static List<Selector> shuntSelectors(Connection c) {
    List<Selector> out = new java.util.ArrayList<>();
    for (Subnet l : c.localSubnets()) {
      for (Subnet r : c.remoteSubnets(null)) {
        out.add(trapSelector(c, l, r));
      }
    }
    return out;
  }

  public static PolicyAction shuntAction(Connection c) {
    return switch (c.config().type()) {
      case DROP -> PolicyAction.DROP;
      case REJECT -> PolicyAction.REJECT;
      default -> PolicyAction.PASS;
    };
  }

  private static Selector trapSelector(Connection c, Subnet l, Subnet r) {
    return new Selector(l.network(), l.prefix(), r.network(), r.prefix(), c.local().protoPort().protocol(),
        c.local().protoPort().port(), c.remote().protoPort().port());
  }

  /** The negotiated algorithms with one direction's keys; the integrity key is null for AEAD. */
  private static SaTransform transform(EspChoice a, SecretKey enc, SecretKey integ) {
    return new SaTransform(a.enc(), enc, a.integ(), a.integ() == null ? null : integ);
  }
}
