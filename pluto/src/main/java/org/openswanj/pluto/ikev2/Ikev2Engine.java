package org.openswanj.pluto.ikev2;

import java.net.InetSocketAddress;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import org.openswanj.conf.secrets.Secrets;
import org.openswanj.kernel.KernelBackend;
import org.openswanj.pluto.conn.Connection;
import org.openswanj.pluto.daemon.EventLoop;
import org.openswanj.pluto.daemon.control.WhackReply;
import org.openswanj.pluto.ike.wire.ExchangeType;
import org.openswanj.pluto.ike.wire.IkeCodec;
import org.openswanj.pluto.ike.wire.IkeHeader;
import org.openswanj.pluto.ike.wire.IkeMessage;
import org.openswanj.pluto.ike.wire.IkeProtocolException;
import org.openswanj.pluto.ike.wire.MessageRules;
import org.openswanj.pluto.ike.wire.NotifyPayload;
import org.openswanj.pluto.ike.wire.NotifyType;
import org.openswanj.pluto.net.IkeTransport;
import org.openswanj.whack.proto.Rc;

/**
 * The IKEv2 engine: owns every IKE and Child SA, routes each received message to the exchange that handles
 * it, and offers initiate / terminate to the daemon. Runs on the event loop only.
 *
 * <p>A bug in one exchange must not take the daemon down (STYLE, Android IKE's top-level handler): every
 * message is processed inside a guard that logs the failure and deletes that one SA.
 */
public final class Ikev2Engine {
  private final EventLoop loop;
  private final IkeTransport transport;
  private final KernelBackend backend;
  private final SecureRandom random;
  private final Supplier<Secrets> secrets;
  private final Supplier<Collection<Connection>> connections;
  private final Ikev2Settings settings;
  final Messenger messenger = new Messenger(this);
  final SaInit saInit = new SaInit(this);
  final Auth auth = new Auth(this);
  final Children children = new Children(this);
  final CreateChild createChild = new CreateChild(this);
  final Informational informational = new Informational(this);
  final Cookies cookies;

  private final Map<SpiPair, IkeSa> bySpis = new HashMap<>();
  private final Map<Long, IkeSa> ikeSas = new LinkedHashMap<>();
  private final Map<Long, ChildSa> childSas = new LinkedHashMap<>();
  private long nextSerial = 1;
  private long internalErrors;
  private org.openswanj.pluto.net.IkePacketHandler v1Handler;
  private Supplier<org.openswanj.pluto.x509.Credentials> credentials = () -> null;

  record SpiPair(long spiI, long spiR) {}

  public Ikev2Engine(EventLoop loop, IkeTransport transport, KernelBackend backend, SecureRandom random,
      Supplier<Secrets> secrets, Supplier<Collection<Connection>> connections, Ikev2Settings settings) {
    this.loop = loop;
    this.transport = transport;
    this.backend = backend;
    this.random = random;
    this.secrets = secrets;
    this.connections = connections;
    this.settings = settings;
    this.cookies = new Cookies(random);
  }

  /** Where IKEv1 messages (major version 1) go: the IKEv1 engine. Without one they are logged and dropped. */
  public void setV1Handler(org.openswanj.pluto.net.IkePacketHandler handler) {
    this.v1Handler = handler;
  }

  /** Trusted CAs and the certificate verifier (ipsec.d), for certificate authentication. */
  public void setCredentials(Supplier<org.openswanj.pluto.x509.Credentials> credentials) {
    this.credentials = credentials;
  }

  /** The credentials in use; null when none were loaded. */
  org.openswanj.pluto.x509.Credentials credentials() {
    return credentials.get();
  }

  /** The kernel installer, shared with the IKEv1 engine (one reqid per conn whichever version keys it). */
  public org.openswanj.pluto.sa.SaInstaller installer() {
    return children.installer();
  }

  /** SA serial numbers are shared by both IKE versions, as in Openswan ("#1", "#2", ...). */
  public long allocateSerial() {
    return nextSerial++;
  }

  /** Where routing and SA up/down go (the updown runner), for both IKE versions. */
  public void setUpdown(org.openswanj.pluto.sa.UpdownHook hook) {
    children.installer().setUpdown(hook);
  }

  /** Bugs caught by the per-SA guard; malformed input must never count here (the fuzz tests check it). */
  public long internalErrors() {
    return internalErrors;
  }

  EventLoop loop() {
    return loop;
  }

  IkeTransport transport() {
    return transport;
  }

  KernelBackend backend() {
    return backend;
  }

  SecureRandom random() {
    return random;
  }

  Secrets secrets() {
    return secrets.get();
  }

  Collection<Connection> connections() {
    return connections.get();
  }

  Ikev2Settings settings() {
    return settings;
  }

  long nextSerial() {
    return nextSerial++;
  }

  // ---- tables ----

  void register(IkeSa sa) {
    ikeSas.put(sa.serial, sa);
    bySpis.put(new SpiPair(sa.spiI, sa.spiR), sa);
  }

  /** The responder SPI became known (IKE_SA_INIT response): re-key the table. */
  void rekeyTable(IkeSa sa, long oldSpiR) {
    bySpis.remove(new SpiPair(sa.spiI, oldSpiR));
    bySpis.put(new SpiPair(sa.spiI, sa.spiR), sa);
  }

  void register(ChildSa c) {
    childSas.put(c.serial, c);
  }

  void forget(IkeSa sa) {
    ikeSas.remove(sa.serial);
    bySpis.remove(new SpiPair(sa.spiI, sa.spiR));
    bySpis.remove(new SpiPair(sa.spiI, 0));
  }

  void forget(ChildSa c) {
    childSas.remove(c.serial);
  }

  public List<IkeSa> ikeSas() {
    return new ArrayList<>(ikeSas.values());
  }

  public List<ChildSa> childSas() {
    return new ArrayList<>(childSas.values());
  }

  int halfOpen() {
    return (int) ikeSas.values().stream().filter(s -> s.state == Ikev2State.STATE_PARENT_R1).count();
  }

  // ---- operations for the daemon ----

  /** {@code ipsec auto --up}: starts an IKE SA for {@code conn}; progress goes to {@code watcher} if not null. */
  public void initiate(Connection conn, WhackReply watcher) {
    saInit.initiate(conn, watcher, 1);
  }

  /** {@code ipsec auto --down}: deletes every IKE SA of the conn (and so their Child SAs), telling the peer. */
  public int terminate(Connection conn) {
    int n = 0;
    for (IkeSa sa : ikeSas()) {
      if (sa.conn == conn) {
        informational.deleteIke(sa, true);
        n++;
      }
    }
    return n;
  }

  /** Shutdown: delete everything, telling peers. */
  public void deleteAll() {
    for (IkeSa sa : ikeSas()) {
      informational.deleteIke(sa, true);
    }
  }

  /** {@code ipsec auto --route}: %trap eroutes for the conn. */
  public void route(Connection conn) throws org.openswanj.kernel.KernelException {
    children.route(conn);
  }

  public void unroute(Connection conn) throws org.openswanj.kernel.KernelException {
    children.unroute(conn);
  }

  /** True if the trapped packet falls inside the conn's networks. */
  public boolean matchesTrap(Connection c, org.openswanj.kernel.Selector packet) {
    return c.localSubnets().stream().anyMatch(s -> s.contains(packet.src()))
        && c.remoteSubnets(null).stream().anyMatch(s -> s.contains(packet.dst()));
  }

  /** A kernel SA reached its lifetime (RFC 4301 §4.4.2.1): soft → rekey, hard → delete. */
  public void onExpire(int spi, boolean hard) {
    for (ChildSa c : childSas()) {
      if (c.inboundSpi == spi || c.outboundSpi == spi) {
        if (hard) {
          informational.deleteChild(c, true);
        } else if (!c.rekeyed) {
          createChild.rekeyChild(c);
        }
        return;
      }
    }
  }

  // ---- receiving ----

  /** Entry point from the sockets, on the event loop. */
  public void onPacket(InetSocketAddress local, InetSocketAddress remote, byte[] bytes) {
    IkeHeader h;
    IkeMessage outer;
    try {
      h = IkeCodec.decodeHeader(bytes);
      if (h.majorVersion() == 1 && v1Handler != null) {
        v1Handler.onIkePacket(local, remote, bytes);
        return;
      }
      if (h.majorVersion() != 2) {
        saInit.wrongVersion(local, remote, h);
        return;
      }
      outer = IkeCodec.decode(bytes);
    } catch (IkeProtocolException e) {
      SaLog.dropped("dropping malformed packet from " + remote + ": " + e.getMessage());
      return;
    }
    IkeSa sa = null;
    try {
      if (h.response()) {
        sa = onResponse(local, remote, h, outer, bytes);
      } else {
        sa = onRequest(local, remote, h, outer, bytes);
      }
    } catch (RuntimeException e) {
      // a bug in one exchange kills that SA, never the daemon
      internalErrors++;
      SaLog.global("internal error processing " + h.exchange() + " from " + remote + ": " + e);
      org.apache.logging.log4j.LogManager.getLogger("pluto").debug("internal error", e);
      if (sa != null) {
        informational.deleteIke(sa, false);
      }
    }
  }

  private IkeSa onRequest(InetSocketAddress local, InetSocketAddress remote, IkeHeader h, IkeMessage outer,
      byte[] bytes) {
    if (h.exchange() == ExchangeType.IKE_SA_INIT && h.responderSpi() == 0) {
      IkeSa existing = findResponderHalfOpen(h.initiatorSpi(), remote);
      if (existing != null) {
        if (existing.lastResponse != null && existing.lastResponseId == 0) {
          transport.send(existing.local, existing.remote, existing.lastResponse); // RFC 7296 §2.1 retransmission
        }
        return existing;
      }
      saInit.respond(local, remote, h, outer, bytes);
      return null;
    }
    IkeSa sa = bySpis.get(new SpiPair(h.initiatorSpi(), h.responderSpi()));
    if (sa == null) {
      SaLog.debug("request for unknown IKE SA " + h + " from " + remote + " dropped");
      return null;
    }
    if (h.messageId() == sa.lastResponseId && sa.lastResponse != null) {
      transport.send(sa.local, sa.remote, sa.lastResponse);
      return sa;
    }
    if (h.messageId() != sa.expectedRequestId) {
      SaLog.debug("\"" + sa.conn.name() + "\" #" + sa.serial + ": request with message ID " + h.messageId()
          + " outside the window (expected " + sa.expectedRequestId + "), dropped");
      return sa;
    }
    Ikev2Message m = openAndCheck(sa, outer, bytes, false);
    if (m == null) {
      return sa;
    }
    sa.lastInbound = loop.now();
    // the window moves now: a retransmission that arrives while a helper computes the answer is dropped
    // (not processed twice), and answered from the cache once the answer is sent
    sa.expectedRequestId = h.messageId() + 1;
    floatPorts(sa, local, remote);
    switch (h.exchange()) {
      case IKE_AUTH -> auth.respond(sa, m);
      case CREATE_CHILD_SA -> createChild.respond(sa, m);
      case INFORMATIONAL -> informational.respond(sa, m);
      default -> SaLog.debug("unexpected " + h.exchange() + " request dropped");
    }
    return sa;
  }

  private IkeSa onResponse(InetSocketAddress local, InetSocketAddress remote, IkeHeader h, IkeMessage outer,
      byte[] bytes) {
    IkeSa sa = h.exchange() == ExchangeType.IKE_SA_INIT
        ? bySpis.get(new SpiPair(h.initiatorSpi(), 0))
        : bySpis.get(new SpiPair(h.initiatorSpi(), h.responderSpi()));
    if (sa == null || sa.outstanding == null || sa.outstanding.messageId != h.messageId()) {
      SaLog.debug("unexpected response " + h + " from " + remote + " dropped");
      return sa;
    }
    Ikev2Message m;
    if (h.exchange() == ExchangeType.IKE_SA_INIT) {
      m = new Ikev2Message(h, outer.payloads(), bytes);
    } else {
      m = openAndCheck(sa, outer, bytes, true);
      if (m == null) {
        return sa;
      }
    }
    sa.lastInbound = loop.now();
    messenger.responded(sa, m);
    return sa;
  }

  private Ikev2Message openAndCheck(IkeSa sa, IkeMessage outer, byte[] bytes, boolean response) {
    Ikev2Message m;
    try {
      m = messenger.open(sa, outer, bytes);
    } catch (IkeProtocolException e) {
      SaLog.debug("\"" + sa.conn.name() + "\" #" + sa.serial + ": dropping message: " + e.getMessage());
      return null;
    }
    try {
      MessageRules.check(outer.header().exchange(), response, m.payloads());
    } catch (IkeProtocolException e) {
      SaLog.ike(sa, Rc.LOG_SERIOUS, "malformed " + outer.header().exchange() + (response ? " response" : " request")
          + ": " + e.getMessage());
      if (!response) {
        // RFC 7296 §2.21.2 / §3.10.1: an authenticated request with bad syntax is answered with INVALID_SYNTAX
        messenger.respond(sa, outer.header(), List.of(new NotifyPayload(NotifyType.INVALID_SYNTAX, new byte[0])));
      }
      return null;
    }
    return m;
  }

  /** RFC 7296 §2.23: a NAT'd peer whose port changed (or moved to 4500) is answered where it now is. */
  private void floatPorts(IkeSa sa, InetSocketAddress local, InetSocketAddress remote) {
    if (sa.natRemote && !remote.equals(sa.remote)) {
      sa.remote = remote;
      sa.local = local;
    }
  }

  private IkeSa findResponderHalfOpen(long spiI, InetSocketAddress remote) {
    for (IkeSa s : ikeSas.values()) {
      if (!s.originalInitiator && s.spiI == spiI && s.remote.getAddress().equals(remote.getAddress())
          && (s.state == Ikev2State.STATE_PARENT_R1 || s.initResponse == null)) {
        return s;
      }
    }
    return null;
  }
}
