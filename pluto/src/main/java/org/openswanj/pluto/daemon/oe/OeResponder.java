package org.openswanj.pluto.daemon.oe;

import com.google.common.net.InetAddresses;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.openswanj.pluto.conn.Connection;
import org.openswanj.pluto.engine.EventLoop;
import org.openswanj.pluto.ike.wire.ExchangeType;
import org.openswanj.pluto.ike.wire.IkeCodec;
import org.openswanj.pluto.ike.wire.IkeHeader;
import org.openswanj.pluto.ike.wire.IkeProtocolException;
import org.openswanj.pluto.ikev2.SaLogFacade;
import org.openswanj.pluto.oe.OeDecision;
import org.openswanj.pluto.oe.OeLookupResult;
import org.openswanj.pluto.oe.OePolicyTable;
import org.openswanj.pluto.oe.OeRole;

/**
 * OE's responder side: an IKEv2 IKE_SA_INIT request from a peer no conn names, whose address falls in a
 * private, private-or-clear or clear-or-private group, is held while the peer's key is looked up in DNS by its
 * address (the ID OE peers use); with a key, an instance of the group conn is added for it, then the datagram
 * goes on to the IKE engine, which finds that instance and authenticates the peer against the key in IKE_AUTH.
 * Retransmissions that arrive during the look-up are dropped (the initiator sends again, RFC 7296 §2.1).
 * Without a key the datagram goes on unchanged, so any other conn (a %any template) may still answer. Runs on
 * the event loop. A group that allows NULL authentication ({@link OeAuth}) answers a peer without a key with an
 * anonymous instance (RFC 7619); with {@code authby=null} it looks nothing up. A peer that has a key gets only the
 * RSA instance, so it is never taken as anonymous.
 */
public final class OeResponder {
  /** Look-ups for peers at once; more IKE_SA_INITs from new peers are passed on without OE. */
  private static final int MAX_PENDING = 256;
  /**
   * An anonymous instance costs a stranger one unauthenticated datagram (no DNS answer bounds it, as a key does
   * for RSA): one whose IKE SA is not up by then is removed, so spoofed IKE_SA_INITs do not fill the conn table.
   */
  static final java.time.Duration ANONYMOUS_SETUP_LIMIT = java.time.Duration.ofSeconds(60);
  /** Anonymous instances at once whose IKE SA is not up yet; strangers beyond it are not answered as OE. */
  static final int MAX_UNCONFIRMED_ANONYMOUS = 256;
  /** The rate-limited logger of dropped messages (one line each at the default level). */
  private static final org.apache.logging.log4j.Logger DROPPED =
      org.apache.logging.log4j.LogManager.getLogger("pluto.dropped");

  private final EventLoop loop;
  private final OeHost host;
  private final OeKeyLookup lookup;
  private final OePolicyTable table;
  private final OeInstances instances;
  /** Look-ups under way, by (our address, the peer's): a peer may start OE to several of our addresses at once. */
  private final Map<Pair, OeDecision> pending = new LinkedHashMap<>();

  private record Pair(InetAddress us, InetAddress peer) {}
  private final java.util.Set<Connection> unconfirmed = new java.util.HashSet<>();
  private final java.util.function.BiConsumer<InetAddress, InetAddress> answering;
  private final java.util.function.Function<OeDecision, OeAuth> auth;

  /** {@code answering} (us, peer) is told when an instance is made for a peer, before IKE goes on. */
  OeResponder(EventLoop loop, OeHost host, OeKeyLookup lookup, OePolicyTable table, OeInstances instances,
      java.util.function.BiConsumer<InetAddress, InetAddress> answering,
      java.util.function.Function<OeDecision, OeAuth> auth) {
    this.answering = answering;
    this.auth = auth;
    this.loop = loop;
    this.host = host;
    this.lookup = lookup;
    this.table = table;
    this.instances = instances;
  }

  /** True if OE holds the datagram (it will deliver it later, or has dropped a retransmission). */
  public boolean intercept(InetSocketAddress local, InetSocketAddress remote, byte[] datagram) {
    loop.assertInLoop();
    InetAddress peer = remote.getAddress();
    Optional<Boolean> first = firstMessage(datagram);
    if (first.isEmpty()) {
      return false;
    }
    boolean ikev1 = first.get();
    Pair pair = new Pair(local.getAddress(), peer);
    if (pending.containsKey(pair)) {
      DROPPED.info("dropping {} from {}: a retransmission while its OE key is looked up in DNS",
          ikev1 ? "Main Mode" : "IKE_SA_INIT", remote);
      return true;
    }
    Optional<OeDecision> d = table.decide(peer);
    if (d.isEmpty() || d.get().role() == OeRole.NEVER || named(local.getAddress(), peer)
        || pending.size() >= MAX_PENDING) {
      return false;
    }
    if (!auth.apply(d.get()).looksUpKeys()) {
      if (!ikev1) { // RFC 7619: NULL authentication is IKEv2's; an IKEv1 stranger goes to the conns as it is
        respondAnonymously(local.getAddress(), peer, d.get(), "authby=null");
      }
      return false; // the instance is there: the engine answers this very datagram
    }
    pending.put(pair, d.get());
    lookup.lookup(peer).thenAccept(r -> loop.execute(() -> onLookup(local, remote, datagram, d.get(), r, ikev1)));
    return true;
  }

  private void onLookup(InetSocketAddress local, InetSocketAddress remote, byte[] datagram, OeDecision d,
      OeLookupResult r, boolean ikev1) {
    InetAddress peer = remote.getAddress();
    if (pending.remove(new Pair(local.getAddress(), peer)) == null) {
      return;
    }
    String who = "\"" + d.instanceName() + "\": " + (ikev1 ? "Main Mode" : "IKE_SA_INIT") + " from "
        + InetAddresses.toAddrString(peer);
    if (!named(local.getAddress(), peer)) {
      if (!r.found() && auth.apply(d).allowsNull() && !ikev1) {
        respondAnonymously(local.getAddress(), peer, d, "no OE key in DNS (" + r.describe() + ")");
      } else if (!r.found()) {
        SaLogFacade.global(who + ": no OE key in DNS (" + r.describe() + "); not answered as OE");
      } else {
        Optional<Connection> c = instances.responder(d, local.getAddress(), peer, r, ikev1);
        if (c.isPresent()) {
          answering.accept(local.getAddress(), peer);
          SaLogFacade.global("\"" + c.get().name() + "\": responding to OE from " + InetAddresses.toAddrString(peer)
              + ": " + r.describe());
        } else {
          SaLogFacade.global(who + ": " + instances.lastProblem() + "; not answered as OE");
        }
      }
    }
    host.deliver(local, remote, datagram);
  }

  private void respondAnonymously(InetAddress us, InetAddress peer, OeDecision d, String why) {
    if (unconfirmed.size() >= MAX_UNCONFIRMED_ANONYMOUS) {
      DROPPED.info("IKE_SA_INIT from {} not answered as OE: {} anonymous instances are still without an IKE SA",
          InetAddresses.toAddrString(peer), unconfirmed.size());
      return;
    }
    Optional<Connection> c = instances.anonymous(d, us, peer);
    if (c.isEmpty()) {
      SaLogFacade.global("\"" + d.instanceName() + "\": IKE_SA_INIT from " + InetAddresses.toAddrString(peer) + ": "
          + instances.lastProblem() + "; not answered as OE");
      return;
    }
    answering.accept(us, peer);
    Connection made = c.get();
    unconfirmed.add(made);
    loop.schedule(ANONYMOUS_SETUP_LIMIT, () -> {
      unconfirmed.remove(made);
      if (made.newestIkeSa() == 0 && made.erouteOwner() == 0 && instances.find(peer).orElse(null) == made) {
        SaLogFacade.global("\"" + made.name() + "\": no IKE SA with " + InetAddresses.toAddrString(peer) + " after "
            + ANONYMOUS_SETUP_LIMIT.toSeconds() + "s; anonymous instance removed");
        instances.remove(made);
      }
    });
    SaLogFacade.global("\"" + c.get().name() + "\": responding to OE from " + InetAddresses.toAddrString(peer)
        + " with NULL authentication (RFC 7619): " + why);
  }

  /** A conn (configured, or an instance) already names this peer from this address. */
  private boolean named(InetAddress us, InetAddress peer) {
    for (Connection c : host.connections()) {
      if (c.localHost().equals(us) && c.remoteHost().map(peer::equals).orElse(false)) {
        return true;
      }
    }
    return false;
  }

  /**
   * Whether the datagram opens an exchange with a stranger, and in which version (true: IKEv1): RFC 7296 §3.1, a
   * version 2 IKE_SA_INIT request with the responder's SPI still zero; RFC 2408 §3.1 / RFC 2409 §5, a version 1
   * Main Mode message with the responder cookie still zero (Openswan 2.6's OE initiates Main Mode). Empty otherwise.
   */
  private static Optional<Boolean> firstMessage(byte[] datagram) {
    try {
      IkeHeader h = IkeCodec.decodeHeader(datagram);
      if (h.responderSpi() != 0) {
        return Optional.empty();
      }
      if (h.majorVersion() == 2 && h.exchange() == ExchangeType.IKE_SA_INIT && !h.response()) {
        return Optional.of(false);
      }
      if (h.majorVersion() == 1 && h.exchange() == ExchangeType.IDENTITY_PROTECTION) {
        return Optional.of(true);
      }
      return Optional.empty();
    } catch (IkeProtocolException e) {
      return Optional.empty();
    }
  }

  List<String> status() {
    List<String> out = new ArrayList<>();
    pending.forEach((pair, d) -> out.add("\"" + d.instanceName() + "\": first message from "
        + InetAddresses.toAddrString(pair.peer()) + " to " + InetAddresses.toAddrString(pair.us())
        + " held, looking up its key in DNS"));
    return out;
  }
}
