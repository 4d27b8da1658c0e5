package org.openswanj.pluto.ikev1;

import java.net.InetSocketAddress;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.LongSupplier;
import java.util.function.Supplier;
import org.openswanj.conf.secrets.Secrets;
import org.openswanj.pluto.conn.Connection;
import org.openswanj.pluto.daemon.EventLoop;
import org.openswanj.pluto.daemon.control.WhackReply;
import org.openswanj.pluto.ike.wire.IkeCodec;
import org.openswanj.pluto.ike.wire.IkeHeader;
import org.openswanj.pluto.ike.wire.IkeMessage;
import org.openswanj.pluto.ike.wire.IkeProtocolException;
import org.openswanj.pluto.ikev2.Ikev2Settings;
import org.openswanj.pluto.net.IkeTransport;
import org.openswanj.pluto.sa.SaInstaller;

/**
 * The IKEv1 engine (RFC 2409): owns every ISAKMP SA and Quick Mode IPsec SA, routes each IKEv1 message to
 * Main/Aggressive Mode, Quick Mode or Informational, and offers initiate / terminate to the daemon. Runs on
 * the event loop only. As in the IKEv2 engine, a bug in one exchange is caught here and kills that SA only.
 */
public final class Ikev1Engine {
  private final EventLoop loop;
  private final IkeTransport transport;
  private final SaInstaller installer;
  private final SecureRandom random;
  private final Supplier<Secrets> secrets;
  private final Supplier<Collection<Connection>> connections;
  private final Ikev2Settings settings;
  private final LongSupplier serials;
  final Phase1 phase1 = new Phase1(this);
  final QuickMode quickMode = new QuickMode(this);
  final Informational1 info = new Informational1(this);
  private final Map<Long, IsakmpSa> isakmpSas = new LinkedHashMap<>();
  private final Map<Long, QuickSa> quickSas = new LinkedHashMap<>();
  private long internalErrors;
  /** The ISAKMP SA the message being processed belongs to, for the bug guard. */
  IsakmpSa current;

  public Ikev1Engine(EventLoop loop, IkeTransport transport, SaInstaller installer, SecureRandom random,
      Supplier<Secrets> secrets, Supplier<Collection<Connection>> connections, Ikev2Settings settings,
      LongSupplier serials) {
    this.loop = loop;
    this.transport = transport;
    this.installer = installer;
    this.random = random;
    this.secrets = secrets;
    this.connections = connections;
    this.settings = settings;
    this.serials = serials;
  }

  private Supplier<org.openswanj.pluto.x509.Credentials> credentials = () -> null;

  /** Trusted CAs and the certificate verifier (ipsec.d), for Main Mode with certificates. */
  public void setCredentials(Supplier<org.openswanj.pluto.x509.Credentials> c) {
    this.credentials = c;
  }

  org.openswanj.pluto.x509.Credentials credentials() {
    return credentials.get();
  }

  EventLoop loop() {
    return loop;
  }

  IkeTransport transport() {
    return transport;
  }

  SaInstaller installer() {
    return installer;
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
    return serials.getAsLong();
  }

  /** Bugs caught by the guard; malformed input must never count here (the fuzz tests check it). */
  public long internalErrors() {
    return internalErrors;
  }

  // ---- tables ----

  /** A new ISAKMP SA whose retransmissions go wherever its endpoints are when they fire. */
  IsakmpSa newIsakmp(Connection c, boolean initiator, boolean aggressive) {
    IsakmpSa[] ref = new IsakmpSa[1];
    ref[0] = new IsakmpSa(nextSerial(), c, initiator, aggressive, sender(() -> ref[0]));
    isakmpSas.put(ref[0].serial, ref[0]);
    return ref[0];
  }

  QuickSa newQuick(IsakmpSa parent, boolean initiator, int messageId) {
    QuickSa q = new QuickSa(nextSerial(), parent, initiator, messageId, sender(() -> parent));
    quickSas.put(q.serial, q);
    parent.quicks.add(q);
    return q;
  }

  private Retransmitter sender(Supplier<IsakmpSa> sa) {
    return new Retransmitter(loop, transport, settings,
        () -> new InetSocketAddress[] {sa.get().local, sa.get().remote});
  }

  void forget(IsakmpSa sa) {
    isakmpSas.remove(sa.serial);
  }

  void forget(QuickSa q) {
    quickSas.remove(q.serial);
    q.parent.quicks.remove(q);
  }

  public List<IsakmpSa> isakmpSas() {
    return new ArrayList<>(isakmpSas.values());
  }

  public List<QuickSa> ipsecSas() {
    return new ArrayList<>(quickSas.values());
  }

  /** The ISAKMP SA with these cookies; a responder cookie of 0 in our table matches a first answer. */
  IsakmpSa find(long cookieI, long cookieR) {
    for (IsakmpSa sa : isakmpSas.values()) {
      if (sa.cookieI == cookieI && sa.cookieR == cookieR) {
        return sa;
      }
    }
    return null;
  }

  // ---- operations for the daemon ----

  /** {@code ipsec auto --up} with IKEv1: Main Mode (or Aggressive with aggrmode=yes), then Quick Mode. */
  public void initiate(Connection conn, WhackReply watcher) {
    phase1.initiate(conn, watcher, 1);
  }

  /** {@code ipsec auto --down}: deletes the conn's IPsec and ISAKMP SAs, telling the peer. */
  public int terminate(Connection conn) {
    int n = 0;
    for (QuickSa q : ipsecSas()) {
      if (q.parent.conn == conn) {
        info.deleteQuick(q, true);
        n++;
      }
    }
    for (IsakmpSa sa : isakmpSas()) {
      if (sa.conn == conn) {
        info.deleteIsakmp(sa, true);
        n++;
      }
    }
    return n;
  }

  public void deleteAll() {
    for (Connection c : new ArrayList<>(connections())) {
      terminate(c);
    }
  }

  /** A kernel SA reached its lifetime: soft → a new Quick Mode, hard → delete. True if the SPI was ours. */
  public boolean onExpire(int spi, boolean hard) {
    for (QuickSa q : ipsecSas()) {
      if (q.inboundSpi == spi || q.outboundSpi == spi) {
        if (hard) {
          info.deleteQuick(q, true);
        } else {
          quickMode.replace(q);
        }
        return true;
      }
    }
    return false;
  }

  // ---- receiving ----

  /** Every IKEv1 datagram, on the event loop (handed over by the IKEv2 engine's version check). */
  public void onPacket(InetSocketAddress local, InetSocketAddress remote, byte[] bytes) {
    IkeHeader h;
    IkeMessage outer;
    try {
      outer = IkeCodec.decode(bytes);
      h = outer.header();
    } catch (IkeProtocolException e) {
      V1Log.dropped("dropping malformed IKEv1 packet from " + remote + ": " + e.getMessage());
      return;
    }
    current = null;
    try {
      switch (h.exchange()) {
        case IDENTITY_PROTECTION, AGGRESSIVE -> phase1.onMessage(local, remote, h, outer, bytes);
        case QUICK_MODE -> quickMode.onMessage(local, remote, h, bytes);
        case INFORMATIONAL_V1 -> info.onMessage(local, remote, h, outer, bytes);
        default -> V1Log.debug("IKEv1 exchange " + h.exchangeType() + " from " + remote + " not supported; dropped");
      }
    } catch (RuntimeException e) {
      internalErrors++;
      V1Log.global("internal error processing IKEv1 " + h.exchange() + " from " + remote + ": " + e);
      org.apache.logging.log4j.LogManager.getLogger("pluto").debug("internal error", e);
      if (current != null) {
        info.deleteIsakmp(current, false);
      }
    }
  }

  int randomMessageId() {
    int m;
    do {
      m = random.nextInt();
    } while (m == 0);
    return m;
  }

  long randomCookie() {
    long c;
    do {
      c = random.nextLong();
    } while (c == 0);
    return c;
  }

  byte[] randomBytes(int n) {
    byte[] b = new byte[n];
    random.nextBytes(b);
    return b;
  }
}
