package org.openswanj.pluto.ikev1;

import java.net.InetSocketAddress;
import java.util.List;
import org.openswanj.pluto.crypto.Ikev1KeyDerivation;
import org.openswanj.pluto.engine.EngineMetrics.Drop;
import org.openswanj.pluto.engine.Outcome;
import org.openswanj.pluto.engine.SaEvent;
import org.openswanj.pluto.ike.wire.ExchangeType;
import org.openswanj.pluto.ike.wire.IkeHeader;
import org.openswanj.pluto.ike.wire.IkeProtocolException;
import org.openswanj.pluto.ike.wire.V1AttributePayload;

/**
 * The ISAKMP Transaction exchange (draft-ietf-ipsec-isakmp-mode-cfg-05 §3.1-3.2) that carries XAUTH and
 * ModeConfig: HDR*, HASH, ATTR, protected like an Informational exchange, HASH = prf(SKEYID_a, M-ID | ATTR),
 * each exchange with its own message ID and phase 2 IV (RFC 2409 App. B), the answer continuing its CBC chain.
 * Receives, checks and hands each attribute payload to the {@link XauthServer}; sends and resends ours.
 */
final class Transaction {
  private final Ikev1Engine e;

  Transaction(Ikev1Engine engine) {
    this.e = engine;
  }

  // ---- receiving ----

  void onMessage(InetSocketAddress remote, IkeHeader h, byte[] bytes) {
    IsakmpSa sa = e.find(h.initiatorSpi(), h.responderSpi());
    if (sa == null || sa.keys == null || sa.state == null || !sa.state.keyed() || !h.encrypted()) {
      e.dropped(Drop.UNKNOWN_SA, "Transaction (XAUTH/ModeCfg) message " + h + " from " + remote
          + " without an established ISAKMP SA dropped");
      return;
    }
    if (!remote.getAddress().equals(sa.remote.getAddress())) {
      e.dropped(Drop.WRONG_PEER, "Transaction message for #" + sa.serial + " from " + remote + " dropped: the ISAKMP SA's peer is "
          + sa.remote.getAddress().getHostAddress());
      return;
    }
    e.guard.run(sa, SaEvent.DATAGRAM, () -> onMessage(sa, h, bytes));
  }

  private void onMessage(IsakmpSa sa, IkeHeader h, byte[] bytes) {
    CfgState c = sa.cfg;
    if (c == null) {
      e.dropped(Drop.UNEXPECTED, "\"" + sa.conn.name() + "\" #" + sa.serial + ": Transaction (XAUTH/ModeCfg) message dropped: the"
          + " conn uses neither XAUTH nor ModeCfg");
      return;
    }
    if (c.sender.answerDuplicate(bytes)) {
      return;
    }
    int mid = h.messageId();
    if (!continuing(c, mid) && sa.usedMessageIds.contains(mid)) {
      e.dropped(Drop.MESSAGE_ID, "\"" + sa.conn.name() + "\" #" + sa.serial + ": Transaction message " + String.format("%08x", mid)
          + " dropped: message ID already used (replay)");
      return;
    }
    try {
      e.machine.run(e, V1Transitions.keeping(sa.state, ExchangeType.TRANSACTION).orElseThrow(),
          new V1Transitions.Packet(sa, null, h, null, bytes, null));
    } catch (IkeProtocolException ex) {
      V1Log.sa(sa, Outcome.LOG_SERIOUS, "dropping Transaction (XAUTH/ModeCfg) message: " + ex.getMessage());
    }
  }

  /** The answer within our exchange (same message ID) continues its CBC chain; a new one starts its own IV. */
  private static boolean continuing(CfgState c, int mid) {
    return mid == c.messageId && c.iv != null;
  }

  /** The opener: decrypted with the exchange's IV, HASH checked (mode-cfg-05 §3.2). */
  V1Protect.Opened open(V1Transitions.Packet in) throws IkeProtocolException {
    IsakmpSa sa = in.sa();
    CfgState c = sa.cfg;
    int mid = in.header().messageId();
    byte[] a = sa.keys.skeyidA().bytes();
    return QuickMode.openHashed(sa, in.header(), in.bytes(), continuing(c, mid) ? c.iv : V1Protect.phase2Iv(sa, mid),
        "Transaction HASH", t -> Ikev1KeyDerivation.quickHash1(sa.algs.prf(), a, mid, t));
  }

  /** One checked attribute payload, to the XAUTH / ModeConfig server or client. */
  void onAttributes(V1Transitions.Packet in, V1Protect.Opened o) {
    IsakmpSa sa = in.sa();
    CfgState c = sa.cfg;
    int mid = in.header().messageId();
    V1AttributePayload attr = MainMode.first(o.payloads(), V1AttributePayload.class);
    sa.usedMessageIds.add(mid);
    sa.lastInbound = e.loop().now();
    c.sender.received(in.bytes());
    c.messageId = mid;
    c.iv = o.nextIv();
    if (c.client) {
      e.xauthClient.onAttributes(sa, c, attr);
    } else {
      e.xauth.onAttributes(sa, c, attr);
    }
  }

  // ---- sending ----

  /** Starts a new exchange with {@code attr} (a fresh message ID and IV); resent until answered. */
  void start(IsakmpSa sa, CfgState c, V1AttributePayload attr) {
    int mid;
    do {
      mid = e.randomMessageId();
    } while (sa.usedMessageIds.contains(mid));
    sa.usedMessageIds.add(mid);
    c.messageId = mid;
    c.iv = V1Protect.phase2Iv(sa, mid);
    send(sa, c, attr, true);
  }

  /** Answers within the exchange in progress (REPLY to a REQUEST, ACK to a SET): sent once, resent on duplicates. */
  void answer(IsakmpSa sa, CfgState c, V1AttributePayload attr) {
    send(sa, c, attr, false);
  }

  private void send(IsakmpSa sa, CfgState c, V1AttributePayload attr, boolean expectAnswer) {
    int mid = c.messageId;
    byte[] a = sa.keys.skeyidA().bytes();
    var msg = V1Protect.hashed(t -> Ikev1KeyDerivation.quickHash1(sa.algs.prf(), a, mid, t), List.of(attr));
    IkeHeader h = IkeHeader.v1(sa.cookieI, sa.cookieR, ExchangeType.TRANSACTION, 0, mid);
    V1Protect.Sealed s = V1Protect.seal(sa, h, msg, c.iv);
    c.iv = s.nextIv();
    c.sender.send(s.bytes(), expectAnswer ? attempts -> {
      V1Log.sa(sa, Outcome.LOG_SERIOUS, sa.state + ": no answer to our " + attr.type() + " after " + attempts
          + " retransmissions; deleting the ISAKMP SA");
      e.info.deleteIsakmp(sa, true);
    } : null);
  }
}
