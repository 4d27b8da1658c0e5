package org.openswanj.pluto.engine;

/**
 * What the IKE engines count for {@code whack --metrics}, called on the event loop (the daemon's implementation
 * may be read from any thread). The engines say what happened; the daemon names and exposes it.
 */
public interface EngineMetrics {
  /** Which IKE version an event belongs to (a metrics label). */
  enum IkeVersion {
    IKEV1("1"), IKEV2("2");

    private final String label;

    IkeVersion(String label) {
      this.label = label;
    }

    public String label() {
      return label;
    }
  }

  /** Why a handshake (IKE SA + first Child/IPsec SA) failed; label values as the lower-case name. */
  enum Failure {
    /** NO_PROPOSAL_CHOSEN sent or received (RFC 7296 §3.10.1, RFC 2408 §3.14.1). */
    NO_PROPOSAL,
    /** AUTHENTICATION_FAILED either way, or the peer's ID or key refused. */
    AUTH_FAILED,
    /** The peer's certificate chain refused (ipsec.d/cacerts, CRLs). */
    CERT_REFUSED,
    TS_UNACCEPTABLE,
    /** No answer after the last retransmission. */
    TIMEOUT,
    /** Any other notify, a local error, or a delete before the SA was up. */
    OTHER
  }

  /** A rekey: a new IKE/ISAKMP SA replacing one, or a new Child/IPsec SA replacing one. */
  enum Rekey { IKE, CHILD }

  /** Liveness: a probe sent (RFC 7296 §2.4 empty INFORMATIONAL, RFC 3706 R_U_THERE), or the peer declared dead. */
  enum Dpd { SENT, TIMEOUT }

  /** Why a received IKE datagram was dropped (each rate-limited {@code pluto.dropped} line has one). */
  enum Drop {
    MALFORMED,
    UNKNOWN_SA,
    /** Outside the message ID window, an unexpected response, or a replayed message ID. */
    MESSAGE_ID,
    /** An exchange the SA's state does not expect, or one not supported. */
    UNEXPECTED,
    /** From an address that is not the SA's peer. */
    WRONG_PEER,
    /** Half-open limits (RFC 7296 §2.6's flood defence). */
    HALF_OPEN_LIMIT,
    FRAGMENT,
    /** A major version other than 1 and 2 (RFC 7296 §2.5). */
    UNSUPPORTED_VERSION,
    /** Could not be decrypted or its integrity check failed. */
    UNPROTECTED,
    OTHER
  }

  void handshakeStarted(IkeVersion v);

  void handshakeCompleted(IkeVersion v);

  void handshakeFailed(IkeVersion v, Failure why);

  void rekeyed(IkeVersion v, Rekey what);

  void dpd(IkeVersion v, Dpd what);

  void dropped(Drop why);

  /** Counts nothing (tests that do not look). */
  EngineMetrics NONE = new EngineMetrics() {
    @Override
    public void handshakeStarted(IkeVersion v) {}

    @Override
    public void handshakeCompleted(IkeVersion v) {}

    @Override
    public void handshakeFailed(IkeVersion v, Failure why) {}

    @Override
    public void rekeyed(IkeVersion v, Rekey what) {}

    @Override
    public void dpd(IkeVersion v, Dpd what) {}

    @Override
    public void dropped(Drop why) {}
  };
}
