package org.openswanj.testing.load;

import java.net.InetSocketAddress;
import org.openswanj.pluto.crypto.DhKeyPair;
import org.openswanj.pluto.crypto.IkeSaKeys;

/**
 * The state of one initiator handshake: what was sent, what is awaited, and the keys once derived. Owned by
 * one {@link Worker} thread; never shared.
 */
final class Handshake {
  /** What the next response answers (RFC 7296 §1.2: message IDs 0 and 1). */
  enum Phase {
    IKE_SA_INIT,
    IKE_AUTH
  }

  final long spiI;
  final InetSocketAddress local;
  final InetSocketAddress peer;
  final byte[] idData;
  final long startedNanos;
  java.nio.channels.DatagramChannel channel;
  Phase phase = Phase.IKE_SA_INIT;
  byte[] lastRequest;
  int tries;
  int cookies;
  byte[] cookie;
  /**
   * RFC 7296 §2.6 leaves this open: the request was retransmitted before the COOKIE came, so an IKE_SA_INIT
   * answer may be to the request without the cookie while our AUTH covers the one with it.
   */
  boolean ambiguous;
  /** TSi and TSr of the Child SA (RFC 7296 §2.9). */
  Selectors selectors;
  /** IKE_AUTH onwards goes to port 4500 behind the non-ESP marker (RFC 7296 §2.23, RFC 3948 §2.2). */
  boolean natT;
  long deadlineNanos;
  long timeoutNanos;
  DhKeyPair dh;
  byte[] ni;
  byte[] nr;
  long spiR;
  byte[] initRequest;
  byte[] initResponse;
  IkeSaKeys keys;
  SkCodec out;
  SkCodec in;

  /** One selector each way; a single address is a /32 (or /128). */
  record Selectors(org.openswanj.pluto.ike.wire.TrafficSelector tsi, org.openswanj.pluto.ike.wire.TrafficSelector tsr) {}

  Handshake(long spiI, InetSocketAddress local, InetSocketAddress peer, byte[] idData, long startedNanos) {
    this.spiI = spiI;
    this.local = local;
    this.peer = peer;
    this.idData = idData;
    this.startedNanos = startedNanos;
  }

  /** Zeroes the IKE SA keys once the handshake is over (we keep no SA). */
  void wipe() {
    if (keys != null) {
      keys.wipe();
    }
    if (out != null) {
      out.wipe();
      in.wipe();
    }
  }
}
