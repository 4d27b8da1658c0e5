package org.openswanj.pluto.ikev1;

import java.net.InetSocketAddress;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.openswanj.pluto.conn.Connection;
import org.openswanj.pluto.crypto.DhKeyPair;
import org.openswanj.pluto.crypto.Ikev1Phase1Keys;
import org.openswanj.pluto.engine.EventLoop;
import org.openswanj.pluto.engine.Watcher;

/**
 * One ISAKMP SA (IKEv1 phase 1, RFC 2409 §5) and its Main or Aggressive Mode in progress. Touched only on the
 * event loop. The IKEv1 "cookies" are the SPIs of the header.
 */
public final class IsakmpSa implements org.openswanj.pluto.engine.GuardedSa {
  final long serial;
  final Connection conn;
  final boolean initiator;
  final boolean aggressive;
  long cookieI;
  long cookieR;
  Ikev1State state;
  InetSocketAddress local;
  InetSocketAddress remote;
  V1Algs algs;
  DhKeyPair dh;
  byte[] gxi;
  byte[] gxr;
  byte[] ni;
  byte[] nr;
  /** SAi_b: the body of the initiator's SA payload, covered by HASH_I and HASH_R (RFC 2409 §5). */
  byte[] saiB;
  /** Aggressive Mode responder: IDii_b from AI1, covered by HASH_I in AI2. */
  byte[] idiiB;
  byte[] psk;
  /** How phase 1 authenticates both ends (the method of the SA payload); set with our key or PSK. */
  V1AuthMethod authMethod = V1AuthMethod.PRESHARED_KEY;
  /** authby=rsasig: our private key (RFC 2409 §5.1, RSA or RFC 4754 ECDSA); null with PSK. */
  java.security.PrivateKey privateKey;
  /** The peer's certificate, when it authenticated with one (for --status and --listpubkeys). */
  java.security.cert.X509Certificate peerCert;
  Ikev1Phase1Keys keys;
  /** The CBC IV of the next phase 1 message; after phase 1, the last phase 1 block (RFC 2409 App. B). */
  byte[] iv;
  /** RFC 3947: the peer speaks NAT-T, RFC or draft flavour; a NAT is between us (or forceencaps). */
  boolean nattRfc;
  boolean nattDraft;
  /** The peer sent the Cisco Unity vendor ID (a Unity client or concentrator). */
  boolean peerUnity;
  /** The peer sent RFC 3706's DPD vendor ID: it answers R_U_THERE. */
  boolean peerDpd;
  /** DPD (RFC 3706 §5.4): our last R_U_THERE sequence number, the one still unanswered (0: none), the timer. */
  int dpdSeq;
  int dpdPending;
  /** The R_U_THERE number of the liveness check after a cluster takeover, until it is answered (0: none). */
  int takeoverDpdSeq;
  Instant lastInbound;
  EventLoop.Timer dpdTimer;
  boolean natLocal;
  boolean natRemote;
  Watcher watcher;
  /** XAUTH / ModeConfig after phase 1; null when the conn uses neither. */
  CfgState cfg;
  int keyingTry = 1;
  Instant established;
  /** The peer's ID from its phase 1 ID payload, once checked (null before). */
  org.openswanj.conf.id.Identity peerId;
  boolean deleting;
  /** Why phase 1 is failing, once known; counted when an SA never established leaves the tables. */
  org.openswanj.pluto.engine.EngineMetrics.Failure failure;
  /** A helper is computing for this SA; messages meanwhile are dropped (the peer retransmits). */
  boolean busy;
  final Retransmitter sender;
  EventLoop.Timer expireTimer;
  EventLoop.Timer replaceTimer;
  final List<QuickSa> quicks = new ArrayList<>();
  /** Conns with the same peer that wait for this phase 1 to finish for their Quick Mode (Openswan's pending). */
  final List<Pending> pending = new ArrayList<>();

  /**
   * A conn waiting for this ISAKMP SA, and the whack waiting for that conn (or null); for a Quick Mode held back
   * by {@link QuickMode#MAX_IN_FLIGHT} also the IPsec SA it rekeys and its Cisco Unity split network (or null).
   */
  record Pending(Connection conn, Watcher watcher, QuickSa replacing, org.openswanj.conf.Subnet split) {
    Pending(Connection conn, Watcher watcher) {
      this(conn, watcher, null, null);
    }
  }
  /** Phase-1 replacement: the ISAKMP SA this one replaces, and the one replacing this (0: none). */
  long replaces;
  long replacedBy;
  /**
   * Quick Mode message IDs used on this ISAKMP SA (ours and the peer's, once authenticated), so that a replayed
   * QI1 is dropped (RFC 2409 §5.5: each Quick Mode has its own message ID); the oldest go first past 4096.
   */
  final java.util.Set<Integer> usedMessageIds = java.util.Collections.newSetFromMap(
      new java.util.LinkedHashMap<>(16, 0.75f, false) {
        @Override
        protected boolean removeEldestEntry(java.util.Map.Entry<Integer, Boolean> eldest) {
          return size() > 4096;
        }
      });

  IsakmpSa(long serial, Connection conn, boolean initiator, boolean aggressive, Retransmitter sender) {
    this.serial = serial;
    this.conn = conn;
    this.initiator = initiator;
    this.aggressive = aggressive;
    this.sender = sender;
  }

  /** The peer's phase 1 ID, or null before it is known. */
  public org.openswanj.conf.id.Identity peerId() {
    return peerId;
  }

  public long serial() {
    return serial;
  }

  public Connection conn() {
    return conn;
  }

  /** The peer's validated certificate, when it authenticated with one. */
  public java.util.Optional<java.security.cert.X509Certificate> peerCert() {
    return java.util.Optional.ofNullable(peerCert);
  }

  /** When phase 1 completed; null before. */
  public Instant established() {
    return established;
  }

  public Ikev1State state() {
    return state;
  }

  public long cookieI() {
    return cookieI;
  }

  public long cookieR() {
    return cookieR;
  }

  public InetSocketAddress local() {
    return local;
  }

  public InetSocketAddress remote() {
    return remote;
  }

  public boolean initiator() {
    return initiator;
  }

  public V1Algs algs() {
    return algs;
  }

  /** The user XAUTH accepted on this SA, if any. */
  public java.util.Optional<String> xauthUser() {
    return cfg == null || cfg.user == null ? java.util.Optional.empty() : java.util.Optional.of(cfg.user);
  }

  /** The address our ModeConfig server gave the peer, if any. */
  public java.util.Optional<java.net.InetAddress> modecfgAddress() {
    return cfg == null || cfg.client ? java.util.Optional.empty() : java.util.Optional.ofNullable(cfg.address);
  }

  /** The address the peer's ModeConfig gave us, if any. */
  public java.util.Optional<java.net.InetAddress> ourModecfgAddress() {
    return cfg == null || !cfg.client ? java.util.Optional.empty() : java.util.Optional.ofNullable(cfg.address);
  }

  /** The banner the peer's ModeConfig (Cisco Unity) gave us, if any. */
  public java.util.Optional<String> unityBanner() {
    return cfg == null || !cfg.client ? java.util.Optional.empty() : java.util.Optional.ofNullable(cfg.banner);
  }

  /** The split networks the peer's ModeConfig (Cisco Unity) gave us; empty when none. */
  public java.util.List<org.openswanj.conf.Subnet> unitySplits() {
    return cfg == null || !cfg.client ? java.util.List.of() : cfg.splits;
  }

  public boolean natDetected() {
    return natLocal || natRemote;
  }

  public EventLoop.Timer expireTimer() {
    return expireTimer;
  }

  @Override
  public String logPrefix() {
    return "\"" + conn.name() + "\" #" + serial;
  }

  @Override
  public String stateName() {
    return state == null ? "(no state yet)" : state.name();
  }

  boolean natt() {
    return nattRfc || nattDraft;
  }

  // ---- what a cluster's replication reads (docs/HA.md) ----

  /** The phase 1 keys; null before they are derived. */
  public Ikev1Phase1Keys keys() {
    return keys;
  }

  /** A copy of the last CBC block of phase 1, from which new exchanges' IVs are hashed (RFC 2409 App. B). */
  public byte[] phase1Iv() {
    return iv == null ? null : iv.clone();
  }

  /** RFC 3947's vendor ID agreed (else the drafts', or none). */
  public boolean nattRfc() {
    return nattRfc;
  }

  public boolean nattDraft() {
    return nattDraft;
  }

  public boolean natLocal() {
    return natLocal;
  }

  public boolean natRemote() {
    return natRemote;
  }

  public boolean peerDpd() {
    return peerDpd;
  }

  /** Our last R_U_THERE sequence number (RFC 3706 §5.5), 0 before the first. */
  public int dpdSeq() {
    return dpdSeq;
  }

  /** The phase 1 authentication method's attribute value (RFC 2409 App. A). */
  public int authMethodId() {
    return authMethod.wireValue();
  }

  public EventLoop.Timer replaceTimer() {
    return replaceTimer;
  }

  void wipe() {
    if (keys != null) {
      keys.wipe();
    }
    if (psk != null) {
      java.util.Arrays.fill(psk, (byte) 0);
    }
  }
}
