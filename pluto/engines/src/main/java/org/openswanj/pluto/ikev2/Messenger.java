package org.openswanj.pluto.ikev2;

import java.util.List;
import org.openswanj.pluto.engine.Outcome;
import org.openswanj.pluto.ike.wire.AuthenticationFailedException;
import org.openswanj.pluto.ike.wire.ExchangeType;
import org.openswanj.pluto.ike.wire.IkeCodec;
import org.openswanj.pluto.ike.wire.IkeHeader;
import org.openswanj.pluto.ike.wire.IkeMessage;
import org.openswanj.pluto.ike.wire.IkeProtocolException;
import org.openswanj.pluto.ike.wire.IntegrityCheckFailedException;
import org.openswanj.pluto.ike.wire.InvalidSyntaxException;
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

  /**
   * Sends a request now, or queues it behind the outstanding one. {@code h} gets the response unless the
   * response's row in {@link V2Transitions} names a handler (IKE_SA_INIT, IKE_AUTH), and null when none comes.
   */
  void request(IkeSa sa, ExchangeType exchange, List<Payload> payloads, String what, IkeSa.ResponseHandler h) {
    if (sa.window.busy()) {
      sa.window.queue(() -> request(sa, exchange, payloads, what, h));
      return;
    }
    sendRequest(sa, sa.window.takeRequestId(), exchange, payloads, what, h);
  }

  /**
   * RFC 6311 §5.1: the message ID synchronisation goes as an INFORMATIONAL with message ID zero, outside the
   * counter (which it resets); retransmitted and answered like any request of ours.
   */
  void requestMessageIdSync(IkeSa sa, List<Payload> payloads, String what, IkeSa.ResponseHandler h) {
    if (sa.window.busy()) {
      sa.window.queue(() -> requestMessageIdSync(sa, payloads, what, h));
      return;
    }
    sendRequest(sa, 0, ExchangeType.INFORMATIONAL, payloads, what, h);
  }

  private void sendRequest(IkeSa sa, int mid, ExchangeType exchange, List<Payload> payloads, String what,
      IkeSa.ResponseHandler h) {
    IkeHeader hdr = IkeHeader.v2(sa.spiI, sa.spiR, exchange, sa.originalInitiator, false, mid);
    List<byte[]> bytes;
    if (exchange == ExchangeType.IKE_SA_INIT) {
      sa.initRequest = IkeCodec.encode(hdr, payloads);
      bytes = List.of(sa.initRequest);
    } else {
      bytes = engine.fragments.protect(sa, hdr, payloads, what);
    }
    MessageWindow.Outstanding o = new MessageWindow.Outstanding(mid, bytes, h, what);
    sa.window.sent(o);
    transmit(sa, o);
  }

  private void transmit(IkeSa sa, MessageWindow.Outstanding o) {
    send(sa, o.bytes); // RFC 7383 §2.6.1: a retransmission resends every fragment
    o.sent++;
    long factor = 1L << Math.min(o.sent - 1, 10);
    o.timer = engine.guard.schedule(sa, engine.settings().retransmitBase().multipliedBy(factor), () -> retransmit(sa, o));
  }

  private void retransmit(IkeSa sa, MessageWindow.Outstanding o) {
    if (sa.window.outstanding() != o) {
      return;
    }
    if (o.sent > engine.settings().maxRetransmits()) {
      sa.window.complete();
      Ikev2Engine.failing(sa, org.openswanj.pluto.engine.EngineMetrics.Failure.TIMEOUT);
      SaLog.ike(sa, Outcome.NORETRANSMISSION, "max number of retransmissions (" + engine.settings().maxRetransmits()
          + ") reached " + sa.state.name() + " (" + o.what + ")");
      o.handler.onResponse(null);
      if (sa.state.established() && !sa.deleting) {
        engine.informational.unanswered(sa, o.what);
      }
      return;
    }
    SaLog.debug("\"" + sa.conn.name() + "\" #" + sa.serial + ": retransmitting " + o.what);
    transmit(sa, o);
  }

  /** Gives up on the outstanding request without calling its handler (the SA is going away). */
  void abandon(IkeSa sa) {
    engine.fragments.forget(sa);
    sa.window.abandon();
  }

  /** A response arrived for the outstanding request: it stops being retransmitted and is returned. */
  MessageWindow.Outstanding answered(IkeSa sa) {
    MessageWindow.Outstanding o = sa.window.complete();
    o.timer.cancel();
    return o;
  }

  /** After a response was handled: the next queued request goes, unless another is outstanding or the SA went. */
  void sendQueued(IkeSa sa) {
    if (!sa.window.busy() && !sa.deleting) {
      Runnable next = sa.window.nextQueued();
      if (next != null) {
        next.run();
      }
    }
  }

  /** The payloads of an answer, or the typed error that refuses the request. */
  @FunctionalInterface
  interface Answer {
    List<Payload> build() throws IkeProtocolException;
  }

  /**
   * The one place a responder's typed failure becomes its error notify (STYLE rule 3): builds the answer and
   * sends it, or logs the refusal with the SA's prefix and answers with the exception's notify. An
   * AUTHENTICATION_FAILED refusal ends the IKE SA (RFC 7296 §2.21.2). Returns whether the request succeeded.
   */
  boolean answer(IkeSa sa, IkeHeader request, Answer a) {
    List<Payload> out;
    try {
      out = a.build();
    } catch (IkeProtocolException ex) {
      boolean auth = ex instanceof AuthenticationFailedException;
      Ikev2Engine.failing(sa, Ikev2Engine.failureOf(ex.notifyType()));
      SaLog.ike(sa, auth ? Outcome.AUTHFAILED : Outcome.LOG_SERIOUS, ex.getMessage() + ": answering "
          + ex.notifyType());
      respond(sa, request, List.of(ex.toNotify()));
      if (auth) {
        engine.informational.discard(sa);
      }
      return false;
    }
    respond(sa, request, out);
    return true;
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
    sa.window.answered(request.messageId(), bytes);
    send(sa, bytes);
  }

  /**
   * Answers an RFC 6311 synchronisation (message ID zero, §5.1) without touching the window's cache, which keeps
   * the answer to the peer's last ordinary request; returns what was sent, for the sync's own retransmissions.
   */
  List<byte[]> respondMessageIdSync(IkeSa sa, IkeHeader request, List<Payload> payloads) {
    IkeHeader hdr = IkeHeader.v2(sa.spiI, sa.spiR, request.exchange(), sa.originalInitiator, true, request.messageId());
    List<byte[]> bytes = engine.fragments.protect(sa, hdr, payloads, "IKEV2_MESSAGE_ID_SYNC response");
    send(sa, bytes);
    return bytes;
  }

  /** Sends datagrams already made once more (a cached answer). */
  void resend(IkeSa sa, List<byte[]> datagrams) {
    send(sa, datagrams);
  }

  /** Sends the cached response again (RFC 7296 §2.1), all its fragments if it went in fragments. */
  void resendResponse(IkeSa sa) {
    send(sa, sa.window.lastResponse());
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
    byte[] plain = IkeCodec.openFragment(raw, outer, Fragments.opener(sa)); // integrity first: failures are silent
    List<Payload> inner;
    try {
      inner = IkeCodec.decodeEncrypted(raw, outer, (aad, body) -> plain);
    } catch (IkeProtocolException ex) {
      throw new MalformedInner(ex.getMessage());
    }
    return new Ikev2Message(outer.header(), inner, raw);
  }

  /**
   * The inner payloads of a message whose checksum was valid do not decode. RFC 7296 §3.10.1: only then may
   * INVALID_SYNTAX be answered (and only in an encrypted message), so a request's is answered, not dropped.
   */
  static final class MalformedInner extends InvalidSyntaxException {
    private static final long serialVersionUID = 1L;

    MalformedInner(String message) {
      super(message);
    }
  }
}
