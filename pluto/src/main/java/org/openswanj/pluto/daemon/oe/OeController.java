package org.openswanj.pluto.daemon.oe;

import com.google.common.net.InetAddresses;
import java.net.InetAddress;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.openswanj.conf.policy.PolicyGroups;
import org.openswanj.kernel.KernelBackend;
import org.openswanj.kernel.KernelException;
import org.openswanj.kernel.PolicyAction;
import org.openswanj.kernel.PolicyDirection;
import org.openswanj.kernel.PolicyId;
import org.openswanj.kernel.PolicySpec;
import org.openswanj.kernel.Selector;
import org.openswanj.pluto.conn.Connection;
import org.openswanj.pluto.daemon.control.WhackReply;
import org.openswanj.pluto.engine.EventLoop;
import org.openswanj.pluto.ikev2.SaLogFacade;
import org.openswanj.pluto.oe.OeDecision;
import org.openswanj.pluto.oe.OeLookupResult;
import org.openswanj.pluto.oe.OePolicyTable;
import org.openswanj.pluto.oe.OeRole;
import org.openswanj.whack.proto.Rc;

/**
 * Makes the policy groups act (opportunistic encryption, initiator side). At start each group entry becomes a
 * kernel policy from each of our addresses: {@code %trap} for private and private-or-clear, {@code %pass} for
 * clear and clear-or-private, {@code %reject} for block (Openswan 2.6's implicit group conns). An ACQUIRE for a
 * destination in a private* group puts a {@code %hold} on that one flow, looks the destination's key up in DNS
 * on the resolver's threads (never on this loop), then instantiates an IKEv2 RSA conn from the group and
 * initiates it; a failed look-up or negotiation installs the group's failure shunt ({@code %pass} for
 * private-or-clear, {@code %drop} for private) for the shunt lifetime, after which the next packet tries again
 * (the flow of RFC 4322 §2: hold the flow, fetch the key, negotiate or fall back to the group's policy). A group
 * whose conn says {@code authby=rsasig|null} negotiates with NULL authentication (RFC 7619) when DNS has no key;
 * {@code authby=null} skips the look-up and always does ({@link OeAuth}).
 * Runs on the event loop only; look-ups complete on the resolver's threads and post back here.
 */
public final class OeController {
  private final EventLoop loop;
  private final KernelBackend backend;
  private final OeHost host;
  private final OeKeyLookup lookup;
  private final Duration shuntLifetime;
  private final OePolicyTable table;
  private final List<InetAddress> ours;
  private final List<PolicyId> groupPolicies = new ArrayList<>();
  private final Map<Flow, OeFlow> flows = new LinkedHashMap<>();
  private final OeInstances instances;
  private final OeResponder responder;
  private final Map<org.openswanj.conf.policy.PolicyGroupName, OeAuth> auth;

  /** One OE flow: our address to one destination. */
  record Flow(InetAddress us, InetAddress peer) {
    Selector selector() {
      return Selector.of(us, us.getAddress().length * 8, peer, peer.getAddress().length * 8);
    }

    @Override
    public String toString() {
      return InetAddresses.toAddrString(us) + " -> " + InetAddresses.toAddrString(peer);
    }
  }

  public OeController(EventLoop loop, KernelBackend backend, OeHost host, OeKeyLookup lookup,
      Duration shuntLifetime, PolicyGroups groups, List<InetAddress> ours) {
    this(loop, backend, host, lookup, shuntLifetime, groups, ours, Map.of());
  }

  /** {@code auth}: each group's authentication (groups not in it: {@link OeAuth#RSA}). */
  public OeController(EventLoop loop, KernelBackend backend, OeHost host, OeKeyLookup lookup,
      Duration shuntLifetime, PolicyGroups groups, List<InetAddress> ours,
      Map<org.openswanj.conf.policy.PolicyGroupName, OeAuth> auth) {
    this.auth = Map.copyOf(auth);
    this.loop = loop;
    this.backend = backend;
    this.host = host;
    this.lookup = lookup;
    this.shuntLifetime = shuntLifetime;
    this.ours = ours.stream().filter(a -> !a.isLoopbackAddress()).toList();
    this.table = OePolicyTable.of(groups, this.ours);
    this.instances = new OeInstances(host);
    this.responder = new OeResponder(loop, host, lookup, table, instances, this::answering, this::auth);
  }

  /** The gate for IKE datagrams from peers that may be answering (or starting) OE. */
  public OeResponder responder() {
    return responder;
  }

  /** Installs every group's policy (and, on klips, its route into ipsecN); problems are logged, one line each. */
  public void start() {
    table.conflicts().forEach(SaLogFacade::global);
    int n = 0;
    for (OeDecision d : table.entries()) {
      for (InetAddress us : ours) {
        if (us.getAddress().length != d.subnet().network().getAddress().length) {
          continue;
        }
        Selector sel = Selector.of(us, us.getAddress().length * 8, d.subnet().network(), d.subnet().prefix());
        PolicyId id = new PolicyId(sel, PolicyDirection.OUT);
        try {
          backend.replacePolicy(id, PolicySpec.shunt(d.route(), d.instanceName()));
          groupPolicies.add(id);
          n++;
        } catch (KernelException e) {
          SaLogFacade.global("\"" + d.instanceName() + "\": cannot install " + shuntName(d.route()) + " for " + sel
              + ": " + e.getMessage());
          continue;
        }
        if (d.route() != PolicyAction.PASS) {
          host.routeGroup(d, us); // a %pass needs no route: the kernel's own sends it in the clear
        }
      }
    }
    SaLogFacade.global("opportunistic encryption: " + n + " policy group eroutes installed, shunt lifetime "
        + shuntLifetime.toSeconds() + "s");
  }

  /** Removes what {@link #start} and the flows installed (shutdown, or policy groups re-read). */
  public void stop() {
    for (OeFlow f : flows.values()) {
      f.cancelTimer();
      deleteQuietly(new PolicyId(f.flow.selector(), PolicyDirection.OUT));
    }
    flows.clear();
    groupPolicies.forEach(this::deleteQuietly);
    groupPolicies.clear();
  }

  /**
   * An ACQUIRE: true if OE took it (the destination is in a private* group), false if it is not OE's. Only the
   * first packet of a flow starts a look-up; later ones for a flow already held, up or shunted are ignored.
   */
  public boolean onAcquire(Selector packet) {
    loop.assertInLoop();
    Optional<OeDecision> d = table.decide(packet.dst());
    if (d.isEmpty() || d.get().role() != OeRole.INITIATE || !ours.contains(packet.src())) {
      return false;
    }
    Flow flow = new Flow(packet.src(), packet.dst());
    OeFlow f = flows.get(flow);
    if (f != null && !f.stale()) {
      return true;
    }
    if (f == null && peersOwnSa(flow).isPresent()) {
      // the peer started OE with us and its SA is up or being negotiated (an IKEv1 responder installs its
      // outbound half only at QI2): that SA carries this flow, so no second negotiation and no shunt over it
      return true;
    }
    if (f != null) {
      forget(f); // its instance went down: this packet starts OE again
    }
    OeFlow started = new OeFlow(flow, d.get(), loop.now());
    flows.put(flow, started);
    if (!install(flow, PolicyAction.HOLD, d.get())) {
      flows.remove(flow);
      return true;
    }
    if (!auth(d.get()).looksUpKeys()) {
      SaLogFacade.global("\"" + d.get().instanceName() + "\": acquire for " + packet + ": %hold, authby=null");
      anonymous(started, "authby=null");
      return true;
    }
    SaLogFacade.global("\"" + d.get().instanceName() + "\": acquire for " + packet + ": %hold, looking up "
        + InetAddresses.toAddrString(flow.peer()) + " in DNS");
    lookup.lookup(flow.peer()).thenAccept(r -> loop.execute(() -> onLookup(started, r)));
    return true;
  }

  /**
   * {@code whack --oppohere HERE --oppothere THERE}: OE for that flow started by hand, as its first packet would
   * start it (Openswan 2.6's initiate_ondemand with reason "whack"); {@code reply} follows the negotiation and ends
   * with SUCCESS when the instance is erouted, OPPOFAILURE when a failure shunt took its place.
   */
  public void initiateByHand(String here, String there, WhackReply reply) {
    loop.assertInLoop();
    InetAddress us;
    InetAddress peer;
    try {
      us = org.openswanj.conf.Subnet.parseAddress(here, here);
      peer = org.openswanj.conf.Subnet.parseAddress(there, there);
    } catch (org.openswanj.conf.ConfigException e) {
      reply.line(Rc.OPPOFAILURE, "opportunistic initiation: " + e.getMessage());
      reply.close();
      return;
    }
    String what = "initiate on demand from " + InetAddresses.toAddrString(us) + " to "
        + InetAddresses.toAddrString(peer) + " because of whack";
    Optional<OeDecision> d = table.decide(peer);
    String refusal = !ours.contains(us) ? InetAddresses.toAddrString(us) + " is not an address of this host"
        : us.getAddress().length != peer.getAddress().length ? "the two addresses are of different families"
        : d.isEmpty() ? "no policy group lists " + InetAddresses.toAddrString(peer)
        : d.get().role() != OeRole.INITIATE ? InetAddresses.toAddrString(peer) + " is in \"" + d.get().instanceName()
            + "\", which does not start OE"
        : null;
    if (refusal != null) {
      reply.line(Rc.OPPOFAILURE, what + ": " + refusal);
      reply.close();
      return;
    }
    reply.line(Rc.COMMENT, what);
    OeFlow f = flows.get(new Flow(us, peer));
    if (f != null && !f.stale()) {
      if (f.instance != null && f.instance.erouteOwner() != 0) {
        reply.line(Rc.SUCCESS, "\"" + f.instance.name() + "\": already erouted");
        reply.close();
      } else if (f.shunt != null) {
        reply.line(Rc.OPPOFAILURE, "\"" + f.decision.instanceName() + "\": " + shuntName(f.shunt) + " shunt, "
            + Math.max(0, Duration.between(loop.now(), f.shuntExpires).toSeconds()) + "s left (" + f.reason + ")");
        reply.close();
      } else {
        f.byHand.add(reply); // already negotiating: this client waits for the same outcome
      }
      return;
    }
    onAcquire(new Selector(us, us.getAddress().length * 8, peer, peer.getAddress().length * 8, 0, 0, 0));
    OeFlow started = flows.get(new Flow(us, peer));
    if (started == null) {
      reply.line(Rc.OPPOFAILURE, what + ": the flow's %hold could not be installed");
      reply.close();
    } else if (started.shunt != null) { // failed at once (no instance could be made)
      started.byHand.add(reply);
      started.tellByHand(false, "OE to " + InetAddresses.toAddrString(peer) + " failed (" + started.reason + ")");
    } else {
      started.byHand.add(reply);
    }
  }

  OeAuth auth(OeDecision d) {
    return auth.getOrDefault(d.group(), OeAuth.RSA);
  }

  /** RFC 7619: no key to authenticate the peer with, and the group allows NULL authentication. */
  private void anonymous(OeFlow f, String why) {
    Optional<Connection> c = instances.anonymous(f.decision, f.flow.us(), f.flow.peer());
    if (c.isEmpty()) {
      fail(f, instances.lastProblem());
      return;
    }
    f.instance = c.get();
    SaLogFacade.global("\"" + c.get().name() + "\": " + why + "; initiating IKEv2 with NULL authentication"
        + " (RFC 7619)");
    host.initiate(c.get(), new OeWatcher(c.get(), (up, w) -> onNegotiated(f, up, w), f::progress));
  }

  /**
   * The peer starts OE with us: a failure shunt of ours for it is dropped (its SA's policy replaces the shunt's,
   * which must then not be deleted when the shunt would have expired).
   */
  private void answering(InetAddress us, InetAddress peer) {
    OeFlow f = flows.get(new Flow(us, peer));
    if (f != null && f.shunt != null) {
      f.cancelTimer();
      flows.remove(f.flow);
    }
  }

  /** An instance the peer started with us for this flow whose SA is up or being negotiated. */
  private Optional<Connection> peersOwnSa(Flow flow) {
    OeFlow mine = flows.get(flow);
    return instances.all(flow.peer()).stream().filter(c -> (mine == null || c != mine.instance)
        && c.localHost().equals(flow.us()) && (c.erouteOwner() != 0 || c.newestIkeSa() != 0)).findFirst();
  }

  private void onLookup(OeFlow f, OeLookupResult r) {
    if (flows.get(f.flow) != f) {
      return; // stopped or replaced meanwhile
    }
    Optional<Connection> theirs = peersOwnSa(f.flow);
    if (theirs.isPresent()) { // the peer's own OE reached us during the look-up: its SA carries the flow
      SaLogFacade.global("\"" + theirs.get().name() + "\": " + f.flow + " is carried by the SA the peer started;"
          + " not initiating OE for it");
      flows.remove(f.flow);
      return;
    }
    if (!r.found() && auth(f.decision).allowsNull()) {
      anonymous(f, r.describe());
      return;
    }
    if (!r.found()) {
      fail(f, r.describe());
      return;
    }
    boolean ikev1 = auth(f.decision).ikev1();
    Optional<Connection> c = instances.initiator(f.decision, f.flow.us(), f.flow.peer(), r, ikev1);
    if (c.isEmpty()) {
      fail(f, instances.lastProblem());
      return;
    }
    f.instance = c.get();
    SaLogFacade.global("\"" + c.get().name() + "\": " + r.describe() + "; initiating " + (ikev1 ? "IKEv1" : "IKEv2"));
    host.initiate(c.get(), new OeWatcher(c.get(), (up, why) -> onNegotiated(f, up, why), f::progress));
  }

  private void onNegotiated(OeFlow f, boolean up, String why) {
    if (flows.get(f.flow) != f) {
      return;
    }
    if (up) {
      long ms = Duration.between(f.started, loop.now()).toMillis();
      SaLogFacade.global("\"" + f.instance.name() + "\": OE tunnel " + f.flow + " up " + ms
          + " ms after the first packet");
      f.tellByHand(true, "OE tunnel " + f.flow + " up " + ms + " ms after the first packet");
      return;
    }
    instances.remove(f.instance);
    f.instance = null;
    fail(f, "negotiation failed: " + why);
  }

  /** The failure shunt for the flow, for the shunt lifetime, and one line saying why. */
  private void fail(OeFlow f, String why) {
    PolicyAction shunt = f.decision.failure();
    Optional<Connection> theirs = peersOwnSa(f.flow).filter(c -> c.erouteOwner() != 0);
    if (theirs.isPresent()) { // a shunt would replace the policy of the SA the peer made meanwhile
      SaLogFacade.global("\"" + f.decision.instanceName() + "\": OE to " + InetAddresses.toAddrString(f.flow.peer())
          + " failed (" + why + "), but \"" + theirs.get().name() + "\" carries the flow: no shunt");
      f.tellByHand(true, "carried by \"" + theirs.get().name() + "\"");
      flows.remove(f.flow);
      return;
    }
    SaLogFacade.global("\"" + f.decision.instanceName() + "\": OE to " + InetAddresses.toAddrString(f.flow.peer())
        + " failed (" + why + "); " + shuntName(shunt) + " for " + shuntLifetime.toSeconds() + "s");
    if (!install(f.flow, shunt, f.decision)) {
      flows.remove(f.flow);
      return;
    }
    f.shunt = shunt;
    f.reason = why;
    f.shuntExpires = loop.now().plus(shuntLifetime);
    f.tellByHand(false, "OE to " + InetAddresses.toAddrString(f.flow.peer()) + " failed (" + why + "); "
        + shuntName(shunt) + " for " + shuntLifetime.toSeconds() + "s");
    f.timer = loop.schedule(shuntLifetime, () -> {
      if (flows.get(f.flow) == f) {
        SaLogFacade.global("\"" + f.decision.instanceName() + "\": " + shuntName(shunt) + " shunt for " + f.flow
            + " expired; the next packet tries OE again");
        forget(f);
      }
    });
  }

  private void forget(OeFlow f) {
    f.cancelTimer();
    flows.remove(f.flow);
    if (f.instance != null) {
      instances.remove(f.instance);
    }
    if (f.shunt != null || f.instance == null) {
      deleteQuietly(new PolicyId(f.flow.selector(), PolicyDirection.OUT));
    }
  }

  private boolean install(Flow flow, PolicyAction action, OeDecision d) {
    try {
      backend.replacePolicy(new PolicyId(flow.selector(), PolicyDirection.OUT), PolicySpec.shunt(action,
          d.instanceName()));
      return true;
    } catch (KernelException e) {
      SaLogFacade.global("\"" + d.instanceName() + "\": cannot install " + shuntName(action) + " for " + flow + ": "
          + e.getMessage());
      return false;
    }
  }

  private void deleteQuietly(PolicyId id) {
    try {
      backend.deletePolicy(id);
    } catch (KernelException e) {
      // already gone (replaced by an SA's policy and removed with it)
    }
  }

  static String shuntName(PolicyAction a) {
    return "%" + a.name().toLowerCase(java.util.Locale.ROOT);
  }

  /**
   * {@code whack --listpubkeys}: each key learned from DNS with its source record, the time left of its TTL and
   * its DNSSEC status.
   */
  public List<String> publicKeys() {
    Instant now = loop.now();
    return lookup.learnedKeys().stream().map(k -> k.key().algorithm() + " key " + k.key().keyId() + " from "
        + k.source() + ", TTL " + k.source().ttlLeft(now).toSeconds() + "s left, " + k.source().dnssec().describe())
        .toList();
  }

  /** Lines for {@code whack --status}: the groups, each OE flow with its instance or shunt and time left. */
  public List<String> status() {
    List<String> out = new ArrayList<>();
    out.add("opportunistic encryption: " + table.entries().size() + " policy group entries, shunt lifetime "
        + shuntLifetime.toSeconds() + "s" + lookup.describe().map(s -> "; " + s).orElse(""));
    for (OeDecision d : table.entries()) {
      out.add("\"" + d.instanceName() + "\": " + d.subnet() + " " + shuntName(d.route()) + " (failure "
          + shuntName(d.failure()) + ")");
    }
    Instant now = loop.now();
    for (OeFlow f : flows.values()) {
      out.add(f.describe(now));
    }
    out.addAll(responder.status());
    return out;
  }

  /** One flow's progress. Mutable, on the loop. */
  private static final class OeFlow {
    final Flow flow;
    final OeDecision decision;
    final Instant started;
    Connection instance;
    /** whack --oppohere clients waiting for this flow's outcome. */
    final List<WhackReply> byHand = new ArrayList<>();
    PolicyAction shunt;
    String reason;
    Instant shuntExpires;
    EventLoop.Timer timer;

    OeFlow(Flow flow, OeDecision decision, Instant started) {
      this.flow = flow;
      this.decision = decision;
      this.started = started;
    }

    /** An instance whose SA went away (deleted by the peer, expired): the next acquire starts afresh. */
    boolean stale() {
      return shunt == null && instance != null && instance.newestIkeSa() == 0 && instance.erouteOwner() == 0;
    }

    /** A line of the negotiation, for the whack clients that started or joined this flow by hand. */
    void progress(int code, String text) {
      byHand.forEach(r -> r.line(code, text));
    }

    /** The outcome to the whack clients that started or joined this flow by hand (once; they are closed). */
    void tellByHand(boolean up, String text) {
      for (WhackReply r : byHand) {
        r.line(up ? Rc.SUCCESS : Rc.OPPOFAILURE, "\"" + (instance != null ? instance.name()
            : decision.instanceName()) + "\": " + text);
        r.close();
      }
      byHand.clear();
    }

    void cancelTimer() {
      if (timer != null) {
        timer.cancel();
        timer = null;
      }
    }

    String describe(Instant now) {
      String head = "\"" + decision.instanceName() + "\" " + flow + ": ";
      if (shunt != null) {
        long left = Math.max(0, Duration.between(now, shuntExpires).toSeconds());
        return head + shuntName(shunt) + " shunt, " + left + "s left (" + reason + ")";
      }
      if (instance == null) {
        return head + "%hold, looking up the key in DNS";
      }
      return head + "instance \"" + instance.name() + "\""
          + (instance.erouteOwner() != 0 ? " erouted" : " negotiating");
    }
  }
}
