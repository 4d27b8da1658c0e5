package org.openswanj.pluto.ikev1;

import java.time.Instant;
import java.util.List;
import org.openswanj.conf.Subnet;
import org.openswanj.kernel.SecretKey;
import org.openswanj.kernel.Selector;
import org.openswanj.pluto.conn.ProposalPolicy.EspChoice;
import org.openswanj.pluto.crypto.DhKeyPair;
import org.openswanj.pluto.engine.EventLoop;

/** One IPsec SA pair negotiated by a Quick Mode (RFC 2409 §5.5), and the exchange itself while it runs. */
public final class QuickSa {
  final long serial;
  /** The ISAKMP SA it belongs to; a phase-1 replacement moves it to the new one. */
  IsakmpSa parent;
  /**
   * The conn this IPsec SA keys: the ISAKMP SA's own, or another with the same peer and IDs (leftsubnets='s
   * instances share one ISAKMP SA, as Openswan's find_phase1_state and find_client_connection arrange).
   */
  final org.openswanj.pluto.conn.Connection conn;
  /** The whack waiting for this Quick Mode when it is not the ISAKMP SA's own (a conn that joined it). */
  org.openswanj.pluto.engine.Watcher watcher;
  final boolean initiator;
  final int messageId;
  Ikev1State state;
  /** The CBC IV of the next message of this exchange (RFC 2409 App. B). */
  byte[] iv;
  byte[] ni;
  byte[] nr;
  DhKeyPair dh;
  int inboundSpi;
  int outboundSpi;
  EspChoice algs;
  boolean transport;
  /** IDci / IDcr: the initiator's and the responder's client networks. */
  Subnet clientI;
  Subnet clientR;
  /** The Cisco Unity split network this Quick Mode (our initiator's) goes to, kept for its rekeys; null if none. */
  Subnet unitySplit;
  /**
   * A Cisco Unity client's Quick Mode (our responder's) that named 0.0.0.0/0 as our side: the split networks we
   * gave it, whose policies are installed instead of 0.0.0.0/0's; empty otherwise.
   */
  List<Subnet> unityLocal = List.of();
  List<Selector> selectors;
  SecretKey encIn;
  SecretKey integIn;
  SecretKey encOut;
  SecretKey integOut;
  int reqid;
  /** The inbound SA is in the kernel (a responder between QR1 and QI2); {@code installed}: both halves. */
  boolean inboundInstalled;
  boolean installed;
  boolean rekeyed;
  Instant established;
  EventLoop.Timer replaceTimer;
  EventLoop.Timer expireTimer;
  /** The PFS group of this exchange (null without PFS) and the IPsec SA this one replaces (0 if none). */
  org.openswanj.alg.DhGroup pfs;
  long replaces;
  /** The client ID payloads exactly as the initiator sent them (the responder echoes them). */
  java.util.List<org.openswanj.pluto.ike.wire.Payload> ids = java.util.List.of();
  final Retransmitter sender;
  /** The peer's original address from its NAT-OAi (RFC 3947 §5.2), or null. */
  java.net.InetAddress natOa;
  /** The instance number of a {@code vhost:}/{@code vnet:} template for this client ({@code [1]}), or 0. */
  int instance;
  /** The first outbound ESP sequence number: 1, or past another node's after a takeover (docs/HA.md). */
  long firstOutboundSeq = 1;

  QuickSa(long serial, IsakmpSa parent, org.openswanj.pluto.conn.Connection conn, boolean initiator, int messageId,
      Retransmitter sender) {
    this.serial = serial;
    this.parent = parent;
    this.conn = conn;
    this.initiator = initiator;
    this.messageId = messageId;
    this.sender = sender;
  }

  public long serial() {
    return serial;
  }

  public IsakmpSa parent() {
    return parent;
  }

  public org.openswanj.pluto.conn.Connection conn() {
    return conn;
  }

  /** Who hears about this Quick Mode: its own whack, else the ISAKMP SA's. */
  org.openswanj.pluto.engine.Watcher watcher() {
    return watcher != null ? watcher : parent.watcher;
  }

  /** {@code "l2tp-psk"[1] 192.1.2.254} for an instance of a vhost:/vnet: template, else {@code "conn"}. */
  public String connName() {
    return "\"" + conn.name() + "\"" + (instance == 0 ? "" : "[" + instance + "] "
        + parent.remote.getAddress().getHostAddress());
  }

  public int instance() {
    return instance;
  }

  /** The peer's client as it proposed it (IDci or IDcr): a vhost: instance's virtual address. */
  public Subnet peerClient() {
    return initiator ? clientR : clientI;
  }

  public Subnet ourClient() {
    return initiator ? clientI : clientR;
  }

  public Ikev1State state() {
    return state;
  }

  public int inboundSpi() {
    return inboundSpi;
  }

  public int outboundSpi() {
    return outboundSpi;
  }

  public EspChoice algs() {
    return algs;
  }

  public boolean installed() {
    return installed;
  }

  public Instant established() {
    return established;
  }

  public EventLoop.Timer replaceTimer() {
    return replaceTimer;
  }

  public EventLoop.Timer expireTimer() {
    return expireTimer;
  }

  public boolean initiator() {
    return initiator;
  }

  // ---- what a cluster's replication reads (docs/HA.md) ----

  /** The kernel selectors of the outbound SA (ours to the peer's), null before installation. */
  public List<Selector> selectors() {
    return selectors;
  }

  public SecretKey encIn() {
    return encIn;
  }

  /** Null for an AEAD cipher. */
  public SecretKey integIn() {
    return integIn;
  }

  public SecretKey encOut() {
    return encOut;
  }

  public SecretKey integOut() {
    return integOut;
  }

  public int reqid() {
    return reqid;
  }

  public boolean transport() {
    return transport;
  }

  public long firstOutboundSeq() {
    return firstOutboundSeq;
  }

  void wipeKeys() {
    for (SecretKey k : new SecretKey[] {encIn, integIn, encOut, integOut}) {
      if (k != null) {
        k.wipe();
      }
    }
  }
}
