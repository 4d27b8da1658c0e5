package org.openswanj.pluto.ikev2;

import java.net.InetSocketAddress;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.openswanj.pluto.conn.Connection;
import org.openswanj.pluto.conn.ProposalPolicy.IkeChoice;
import org.openswanj.pluto.crypto.DhKeyPair;
import org.openswanj.pluto.crypto.IkeSaKeys;
import org.openswanj.pluto.crypto.SkCipher;
import org.openswanj.pluto.engine.EventLoop;
import org.openswanj.pluto.engine.Watcher;

/**
 * One IKE SA (the "parent" in Openswan's words) and the exchanges in flight on it. Touched only on the
 * event loop. Message IDs follow RFC 7296 §2.2 with a window of one in each direction.
 */
public final class IkeSa implements org.openswanj.pluto.engine.GuardedSa {
  final long serial;
  Connection conn;
  /** RFC 7296 §3.1 I flag: we were the original initiator (after a rekey, the rekey's initiator). */
  boolean originalInitiator;
  long spiI;
  long spiR;
  /** Where {@link Ikev2Engine} indexed a responder SA by the initiator's SPI and address (null if not). */
  SaTables.InitiatorKey initiatorKey;
  Ikev2State state;
  InetSocketAddress local;
  InetSocketAddress remote;
  /** RFC 7296 §2.23: we are behind a NAT / the peer is. */
  boolean natLocal;
  boolean natRemote;
  IkeChoice algs;
  DhKeyPair dh;
  byte[] ni;
  byte[] nr;
  IkeSaKeys keys;
  SkCipher sendCipher;
  SkCipher recvCipher;
  byte[] initRequest;
  byte[] initResponse;
  byte[] cookie;
  int invalidKeRetries;

  /** Message IDs, the outstanding request and the cached answer (RFC 7296 §2.1-2.3). */
  final MessageWindow window = new MessageWindow();
  // RFC 7383 §2.3: we announced IKEV2_FRAGMENTATION_SUPPORTED (so accept fragments); the peer did (so may send them)
  boolean fragmentsAnnounced;
  boolean peerFragments;
  /** RFC 7383 §2.6: the peer's fragmented requests and responses being reassembled (separate Message ID spaces). */
  org.openswanj.pluto.ike.wire.FragmentReassembler requestFragments;
  org.openswanj.pluto.ike.wire.FragmentReassembler responseFragments;
  long fragmentsSent;
  long fragmentsReceived;
  /** RFC 6311 §6.1: what the peer announced in IKE_AUTH (kept through IKE SA rekeys and cluster takeovers). */
  MidSync.Support peerSync = MidSync.Support.NONE;
  /** We announced IPSEC_REPLAY_COUNTER_SYNC_SUPPORTED in IKE_AUTH (RFC 6311 §6.1): the peer may ask for §5.2. */
  boolean replaySyncAnnounced;
  /** Our answer to the peer's last IKEV2_MESSAGE_ID_SYNC and its nonce, for its retransmissions (RFC 6311 §5.1). */
  List<byte[]> syncAnswer;
  int syncAnsweredNonce;

  final List<ChildSa> children = new ArrayList<>();
  /** The Child SA negotiated with IKE_AUTH (initiator side, before the answer). */
  ChildSa pendingChild;
  List<org.openswanj.pluto.ike.wire.TrafficSelector> pendingTsi;
  List<org.openswanj.pluto.ike.wire.TrafficSelector> pendingTsr;
  Watcher watcher;
  /** Other conns' Child SAs waiting for this IKE SA to come up, then made by CREATE_CHILD_SA (RFC 7296 §1.3.1). */
  final List<Pending> pending = new ArrayList<>();
  Instant established;
  /** The last serial handed out when this SA came up (0: before this pluto's IKE_AUTHs, e.g. a rekeyed SA). */
  long upAfterSerial;
  /** Our IKE_AUTH request carried INITIAL_CONTACT (RFC 7296 §2.4). */
  boolean sentInitialContact;
  Instant lastInbound;
  EventLoop.Timer replaceTimer;
  EventLoop.Timer dpdTimer;
  boolean rekeyed;
  boolean deleting;
  /** Why the handshake is failing, once known; counted when an SA never established leaves the tables. */
  org.openswanj.pluto.engine.EngineMetrics.Failure failure;
  int keyingTry = 1;
  /** RFC 7427 §4: the hashes the peer announced in SIGNATURE_HASH_ALGORITHMS (empty: method 14 not allowed). */
  java.util.Set<org.openswanj.pluto.crypto.HashAlg> peerSigHashes = java.util.EnumSet.noneOf(
      org.openswanj.pluto.crypto.HashAlg.class);
  /** RFC 7296 §3.7: the CAs the peer asked for in CERTREQ. */
  org.openswanj.pluto.pki.CertRequests.Requested peerCertReq = org.openswanj.pluto.pki.CertRequests.Requested.NONE;
  /** The peer's authenticated ID and, with certificates, its verified end certificate (for --status). */
  org.openswanj.conf.id.Identity peerId;
  java.security.cert.X509Certificate peerCert;
  /** An IKE_AUTH waits for a certificate check on a worker; a second one is not started meanwhile. */
  boolean authPending;
  /** The peer authenticated with NULL (RFC 7619): its ID proves nothing, so it replaces or deletes no other SA. */
  boolean peerNullAuth;

  /** A conn whose Child SA waits for this IKE SA, and the whack that waits for it. */
  record Pending(Connection conn, Watcher watcher) {}

  /** Processes the response to our request; {@code null} message means it timed out. */
  interface ResponseHandler {
    void onResponse(Ikev2Message response);
  }

  IkeSa(long serial, Connection conn, boolean originalInitiator) {
    this.serial = serial;
    this.conn = conn;
    this.originalInitiator = originalInitiator;
  }

  /** The peer's authenticated ID; null before IKE_AUTH completes. */
  public org.openswanj.conf.id.Identity peerId() {
    return peerId;
  }

  /** The peer's verified certificate, when it authenticated with one. */
  public java.util.Optional<java.security.cert.X509Certificate> peerCert() {
    return java.util.Optional.ofNullable(peerCert);
  }

  public long serial() {
    return serial;
  }

  public Connection conn() {
    return conn;
  }

  public Ikev2State state() {
    return state;
  }

  public long spiI() {
    return spiI;
  }

  public long spiR() {
    return spiR;
  }

  public InetSocketAddress remote() {
    return remote;
  }

  public InetSocketAddress local() {
    return local;
  }

  public IkeChoice algs() {
    return algs;
  }

  public List<ChildSa> children() {
    return List.copyOf(children);
  }

  public Instant established() {
    return established;
  }

  public EventLoop.Timer replaceTimer() {
    return replaceTimer;
  }

  public boolean originalInitiator() {
    return originalInitiator;
  }

  /** RFC 7383 §2.3: we announced fragmentation support in IKE_SA_INIT. */
  public boolean fragmentsAnnounced() {
    return fragmentsAnnounced;
  }

  /** RFC 7383 §2.3: the peer announced fragmentation support in IKE_SA_INIT. */
  public boolean peerFragments() {
    return peerFragments;
  }

  /** RFC 7383: fragments sent and received on this IKE SA (for --status). */
  public long fragmentsSent() {
    return fragmentsSent;
  }

  public long fragmentsReceived() {
    return fragmentsReceived;
  }

  public boolean natDetected() {
    return natLocal || natRemote;
  }

  /** The IKE SA keys (RFC 7296 §2.14); null before IKE_SA_INIT completes. Read by the cluster replication. */
  public org.openswanj.pluto.crypto.IkeSaKeys keys() {
    return keys;
  }

  /** The message ID of our next request (RFC 7296 §2.2). */
  public long nextRequestId() {
    return window.nextRequestId();
  }

  /** The message ID of the peer's next request. */
  public long expectedRequestId() {
    return window.expectedRequestId();
  }

  /** RFC 7296 §2.23: NAT detection found us behind a NAT. */
  /** What the peer announced of RFC 6311 in IKE_AUTH (§6.1). */
  public MidSync.Support peerSync() {
    return peerSync;
  }

  public boolean natLocal() {
    return natLocal;
  }

  /** RFC 7296 §2.23: NAT detection found the peer behind a NAT. */
  public boolean natRemote() {
    return natRemote;
  }

  /** "#1" */
  public String tag() {
    return "#" + serial;
  }

  @Override
  public String logPrefix() {
    return "\"" + conn.name() + "\" #" + serial;
  }

  @Override
  public String stateName() {
    return state == null ? "(no state yet)" : state.name();
  }
}
