package org.openswanj.pluto.ikev2;

import java.time.Instant;
import java.util.List;
import org.openswanj.kernel.SecretKey;
import org.openswanj.pluto.conn.ProposalPolicy.EspChoice;
import org.openswanj.pluto.engine.EventLoop;
import org.openswanj.pluto.ike.wire.TrafficSelector;

/** One Child SA (a pair of ESP SAs) and its state. Touched only on the event loop. */
public final class ChildSa {
  final long serial;
  IkeSa parent;
  /**
   * Its own conn: kernel policies, reqid, eroute owner, status line and updown are this conn's. The IKE SA's conn
   * for the Child SA of IKE_AUTH; another conn with the same peer and IDs for one added by CREATE_CHILD_SA (RFC
   * 7296 §1.3.1, Openswan's find_phase1_state / Libreswan's "for this host pair and IDs").
   */
  final org.openswanj.pluto.conn.Connection conn;
  /** The whack waiting for this Child SA when it is not the IKE SA's (null: the IKE SA's watcher, if any). */
  org.openswanj.pluto.engine.Watcher watcher;
  final int inboundSpi;
  int outboundSpi;
  EspChoice algs;
  SecretKey encIn;
  SecretKey integIn;
  SecretKey encOut;
  SecretKey integOut;
  /** Our side (TSi for the initiator of the exchange that made it, from our point of view) and the peer's. */
  List<TrafficSelector> localTs;
  List<TrafficSelector> remoteTs;
  boolean transport;
  /**
   * The peer's selectors as the peer names them, when they are not {@link #remoteTs}: a transport-mode peer behind a
   * NAT names its private address, and we key its public one (RFC 7296 §2.23.1); null otherwise. Our messages name
   * the peer's side this way, so that the peer recognises its own SA.
   */
  List<TrafficSelector> remoteTsAsPeerNamesIt;
  boolean installed;
  boolean rekeyed;
  /** Our Delete for it is on its way (RFC 7296 §1.4.1); it goes when the peer answers. */
  boolean deleting;
  Ikev2State state;
  Instant established;
  EventLoop.Timer replaceTimer;
  /** Nonces of the exchange that created it (RFC 7296 §2.8.1 simultaneous rekey resolution). */
  byte[] ni;
  byte[] nr;
  int reqid;
  /** The Child SA this one replaced through a rekey the peer initiated (0 if none). */
  long replacedSerial;
  /** A rekey responder's outbound half, installed once the SA it replaces is gone (null when installed). */
  org.openswanj.pluto.sa.SaInstaller.Request deferredOutbound;
  /** We initiated the exchange that created this SA. */
  boolean createdByUs;
  /** The first outbound ESP sequence number (1; more for a Child SA taken over from another cluster node). */
  long firstOutboundSeq = 1;
  /**
   * What the peer's sequence numbers on the inbound SA may already have reached when it was installed (0; for a
   * Child SA taken over with RFC 6311 §5.2, twice the floor: the peer's counter before its jump, at most the floor,
   * plus the jump). The cluster publishes this plus the packets received as the inbound high-water.
   */
  long inboundSeqBase;

  /** The peer's selectors as our messages name them (see {@link #remoteTsAsPeerNamesIt}). */
  List<TrafficSelector> remoteTsOnWire() {
    return remoteTsAsPeerNamesIt != null ? remoteTsAsPeerNamesIt : remoteTs;
  }

  ChildSa(long serial, IkeSa parent, int inboundSpi) {
    this(serial, parent, parent.conn, inboundSpi);
  }

  ChildSa(long serial, IkeSa parent, org.openswanj.pluto.conn.Connection conn, int inboundSpi) {
    this.serial = serial;
    this.parent = parent;
    this.conn = conn;
    this.inboundSpi = inboundSpi;
  }

  /** The conn this Child SA keys (may differ from its IKE SA's). */
  public org.openswanj.pluto.conn.Connection conn() {
    return conn;
  }

  public long serial() {
    return serial;
  }

  public IkeSa parent() {
    return parent;
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

  public Ikev2State state() {
    return state;
  }

  public boolean installed() {
    return installed;
  }

  public Instant established() {
    return established;
  }

  public int reqid() {
    return reqid;
  }

  public EventLoop.Timer replaceTimer() {
    return replaceTimer;
  }

  public List<TrafficSelector> localTs() {
    return localTs;
  }

  public List<TrafficSelector> remoteTs() {
    return remoteTs;
  }

  /** See the field: the peer's numbers may have reached this when the inbound SA was installed. */
  public long inboundSeqBase() {
    return inboundSeqBase;
  }

  /** The first outbound ESP sequence number it was installed with (RFC 4303 §3.3.3). */
  public long firstOutboundSeq() {
    return firstOutboundSeq;
  }

  /** Transport mode (USE_TRANSPORT_MODE agreed) rather than tunnel. */
  public boolean transport() {
    return transport;
  }

  /** The ESP keys by direction (RFC 7296 §2.17); integrity keys are null for AEAD. For the cluster replication. */
  public SecretKey encIn() {
    return encIn;
  }

  public SecretKey integIn() {
    return integIn;
  }

  public SecretKey encOut() {
    return encOut;
  }

  public SecretKey integOut() {
    return integOut;
  }

  /**
   * The kernel selectors of the packets this Child SA sends (source ours, destination the peer's), one per
   * (local, remote) traffic selector pair; ranges that are no prefix are left out.
   */
  public List<org.openswanj.kernel.Selector> outboundSelectors() {
    List<org.openswanj.kernel.Selector> out = new java.util.ArrayList<>();
    for (TrafficSelector l : localTs) {
      for (TrafficSelector r : remoteTs) {
        TrafficSelectors.toKernel(l, r).ifPresent(out::add);
      }
    }
    return out;
  }

  void wipeKeys() {
    for (SecretKey k : new SecretKey[] {encIn, integIn, encOut, integOut}) {
      if (k != null) {
        k.wipe();
      }
    }
  }
}
