package org.openswanj.pluto.ikev2;

import java.util.List;
import org.openswanj.pluto.engine.Outcome;
import org.openswanj.pluto.ike.wire.ExchangeType;
import org.openswanj.pluto.ike.wire.IkeCodec;
import org.openswanj.pluto.ike.wire.IkeHeader;
import org.openswanj.pluto.ike.wire.IkeMessage;
import org.openswanj.pluto.ike.wire.IkeProtocolException;
import org.openswanj.pluto.ike.wire.IntegrityCheckFailedException;
import org.openswanj.pluto.ike.wire.Payload;

/**
 * Requests and responses on an IKE SA: message IDs and the window of one (RFC 7296 §2.3), retransmission
 * with back-off (§2.1), the cached last response for retransmitted requests (§2.1), SK protection (§3.14).
 */
final class Messenger {
  private final Ikev2Engine engine;

  Messenger(Ikev2Engine engine) {
    this.engine = engine;
  }

  /** Sends a request now, or queues it behind the outstanding one. */
  void request(IkeSa sa, ExchangeType exchange, List<Payload> payloads, String what, IkeSa.ResponseHandler h) {
    if (sa.outstanding != null) {
      sa.queued.add(() -> request(sa, exchange, payloads, what, h));
      return;
    }
    int mid = sa.nextRequestId++;
    IkeHeader hdr = IkeHeader.v2(sa.spiI, sa.spiR, exchange, sa.originalInitiator, false, mid);
    List<byte[]> bytes;
    if (exchange == ExchangeType.IKE_SA_INIT) {
      sa.initRequest = IkeCodec.encode(hdr, payloads);
      bytes = List.of(sa.initRequest);
    } else {
      bytes = engine.fragments.protect(sa, hdr, payloads, what);
    }
    IkeSa.Outstanding o = new IkeSa.Outstanding(mid, bytes, h, what);
    sa.outstanding = o;
    transmit(sa, o);
  }

  private void transmit(IkeSa sa, IkeSa.Outstanding o) {
    send(sa, o.bytes); // RFC 7383 §2.6.1: a retransmission resends every fragment
    o.sent++;
    long factor = 1L << Math.min(o.sent - 1, 10);
    o.timer = engine.guard.schedule(sa, engine.settings().retransmitBase().multipliedBy(factor), () -> retransmit(sa, o));
  }

  private void retransmit(IkeSa sa, IkeSa.Outstanding o) {
    if (sa.outstanding != o) {
      return;
    }
    if (o.sent > engine.settings().maxRetransmits()) {
      sa.outstanding = null;
      Ikev2Engine.failing(sa, org.openswanj.pluto.engine.EngineMetrics.Failure.TIMEOUT);
      SaLog.ike(sa, Outcome.NORETRANSMISSION, "max number of retransmissions (" + engine.settings().maxRetransmits()
          + ") reached " + sa.state.name() + " (" + o.what + ")");
      o.handler.onResponse(null);
      return;
    }
    SaLog.debug("\"" + sa.conn.name() + "\" #" + sa.serial + ": retransmitting " + o.what);
    transmit(sa, o);
  }

  /** Gives up on the outstanding request without calling its handler (the SA is going away). */
  void abandon(IkeSa sa) {
    engine.fragments.forget(sa);
    if (sa.outstanding != null && sa.outstanding.timer != null) {
      sa.outstanding.timer.cancel();
    }
    sa.outstanding = null;
    sa.queued.clear();
  }

  /** A response arrived for the outstanding request: stop retransmitting, run its handler, send the next. */
  void responded(IkeSa sa, Ikev2Message response) {
    IkeSa.Outstanding o = sa.outstanding;
    o.timer.cancel();
    sa.outstanding = null;
    o.handler.onResponse(response);
    if (sa.outstanding == null && !sa.queued.isEmpty() && !sa.deleting) {
      sa.queued.poll().run();
    }
  }

  /** Answers the peer's request and caches the answer for its retransmissions. */
  void respond(IkeSa sa, IkeHeader request, List<Payload> payloads) {
    IkeHeader hdr = IkeHeader.v2(sa.spiI, sa.spiR, request.exchange(), sa.originalInitiator, true, request.messageId());
    List<byte[]> bytes;
    if (request.exchange() == ExchangeType.IKE_SA_INIT) {
      sa.initResponse = IkeCodec.encode(hdr, payloads);
      bytes = List.of(sa.initResponse);
    } else {
      // RFC 7383 §2.5: a response is fragmented by the same rule as a request
      bytes = engine.fragments.protect(sa, hdr, payloads, request.exchange() + " response");
    }
    sa.lastResponse = bytes;
    sa.lastResponseId = request.messageId();
    sa.expectedRequestId = request.messageId() + 1;
    send(sa, bytes);
  }

  /** Sends the cached response again (RFC 7296 §2.1), all its fragments if it went in fragments. */
  void resendResponse(IkeSa sa) {
    send(sa, sa.lastResponse);
  }

  /** A request sent once and never retransmitted (a last word before the SA goes). */
  void sendOnce(IkeSa sa, IkeHeader hdr, List<Payload> payloads, String what) {
    send(sa, engine.fragments.protect(sa, hdr, payloads, what));
  }

  private void send(IkeSa sa, List<byte[]> datagrams) {
    for (byte[] d : datagrams) {
      engine.transport().send(sa.local, sa.remote, d);
    }
  }

  /** An unprotected answer with no state behind it (COOKIE, INVALID_KE_PAYLOAD, NO_PROPOSAL_CHOSEN). */
  void respondStateless(java.net.InetSocketAddress local, java.net.InetSocketAddress remote, IkeHeader request,
      List<Payload> payloads) {
    IkeHeader hdr = IkeHeader.v2(request.initiatorSpi(), 0, request.exchange(), false, true, request.messageId());
    engine.transport().send(local, remote, IkeCodec.encode(hdr, payloads));
  }

  /** Decrypts and checks the SK payload; integrity failures are silent drops (RFC 7296 §2.21.2). */
  Ikev2Message open(IkeSa sa, IkeMessage outer, byte[] raw) throws IkeProtocolException {
    if (sa.recvCipher == null) {
      throw new IntegrityCheckFailedException("no keys yet for an encrypted message");
    }
    List<Payload> inner = IkeCodec.decodeEncrypted(raw, outer, Fragments.opener(sa));
    return new Ikev2Message(outer.header(), inner, raw);
  }
}
