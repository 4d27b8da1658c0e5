package org.openswanj.pluto.ikev2;

import java.net.Inet6Address;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.openswanj.conf.Fragmentation;
import org.openswanj.pluto.crypto.IntegrityException;
import org.openswanj.pluto.engine.EngineMetrics.Drop;
import org.openswanj.pluto.engine.Outcome;
import org.openswanj.pluto.ike.wire.FragmentReassembler;
import org.openswanj.pluto.ike.wire.IkeCodec;
import org.openswanj.pluto.ike.wire.IkeHeader;
import org.openswanj.pluto.ike.wire.IkeMessage;
import org.openswanj.pluto.ike.wire.IkeProtocolException;
import org.openswanj.pluto.ike.wire.Ikev2Fragmentation;
import org.openswanj.pluto.ike.wire.IntegrityCheckFailedException;
import org.openswanj.pluto.ike.wire.Payload;
import org.openswanj.pluto.ike.wire.SkfPayload;

/**
 * IKEv2 fragmentation (RFC 7383) on an IKE SA: whether to announce it (§2.3), when to send a protected message as
 * Encrypted Fragment payloads (§2.5) and the bounded reassembly of the peer's (§2.6). The cutting, sealing and
 * bounds themselves are pluto-wire's {@link Ikev2Fragmentation} and {@link FragmentReassembler}. Event loop only.
 */
final class Fragments {
  /** 64 fragments, 64 KiB, 30 s, 2 messages per direction and IKE SA. */
  static final FragmentReassembler.Limits LIMITS = FragmentReassembler.Limits.DEFAULT;
  /**
   * What all IKE SAs together may hold in fragments (RFC 7383 §5: reassembly costs the responder memory, and a
   * half-open SA's keys are the peer's to use): 16 MiB, some 2,000 certificate IKE_AUTHs at once.
   */
  static final long BUDGET = 16L << 20;
  private final Ikev2Engine e;
  private long budget = BUDGET;
  /** Bytes each IKE SA held when last looked at, and their sum. */
  private final Map<IkeSa, Long> held = new HashMap<>();
  private long total;

  Fragments(Ikev2Engine engine) {
    this.e = engine;
  }

  /** RFC 7383 §2.3: we announce support unless the conn says {@code fragmentation=no}. */
  static boolean announce(IkeSa sa) {
    return sa.conn.config().fragmentation() != Fragmentation.NO;
  }

  /** The peer's IKE_SA_INIT message: remember whether both sides announced support (§2.3). */
  static void negotiated(IkeSa sa, List<Payload> peerInit, boolean weAnnounced) {
    sa.fragmentsAnnounced = weAnnounced;
    sa.peerFragments = Ikev2Fragmentation.peerSupports(peerInit);
  }

  /**
   * Seals a message after IKE_SA_INIT: one SK datagram, or (§2.5) SKF fragments when both sides announced support
   * and the message exceeds the §2.5.1 size, or always with {@code fragmentation=force}. The list is sent, and
   * resent unchanged on retransmission (§2.6.1).
   */
  List<byte[]> protect(IkeSa sa, IkeHeader hdr, List<Payload> payloads, String what) {
    IkeCodec.SkSealer sealer = sealer(sa);
    byte[] whole = IkeCodec.encodeEncrypted(hdr, payloads, sealer);
    int limit = maxMessageSize(sa);
    boolean force = sa.conn.config().fragmentation() == Fragmentation.FORCE;
    // §2.5: fragmentation is used only when both peers announced support
    if (!sa.fragmentsAnnounced || !sa.peerFragments || (!force && whole.length <= limit)) {
      return List.of(whole);
    }
    List<byte[]> fragments;
    try {
      fragments = Ikev2Fragmentation.split(hdr, payloads, sealer, limit);
    } catch (IllegalArgumentException ex) {
      SaLog.ike(sa, Outcome.LOG_SERIOUS, "cannot fragment " + what + " (" + ex.getMessage() + "); sending it whole");
      return List.of(whole);
    }
    SaLog.ike(sa, Outcome.COMMENT, "sending " + what + " of " + whole.length + " bytes in " + fragments.size()
        + (fragments.size() == 1 ? " fragment" : " fragments") + " of at most " + limit + " bytes (RFC 7383)");
    sa.fragmentsSent += fragments.size();
    return fragments;
  }

  /** §2.5.1: without a known path MTU, 576 (IPv4) or 1280 (IPv6) less the IP and UDP headers and marker. */
  int maxMessageSize(IkeSa sa) {
    Ikev2Fragmentation.IpVersion ip = sa.remote.getAddress() instanceof Inet6Address
        ? Ikev2Fragmentation.IpVersion.IPV6 : Ikev2Fragmentation.IpVersion.IPV4;
    Ikev2Fragmentation.Encapsulation encap = sa.remote.getPort() == e.settings().nattPort()
        ? Ikev2Fragmentation.Encapsulation.PORT_4500 : Ikev2Fragmentation.Encapsulation.PORT_500;
    return Ikev2Fragmentation.defaultMaxMessageSize(ip, encap);
  }

  /** The number of an SKF message's fragment; 0 when the message is not a fragment. */
  static int fragmentNumber(IkeMessage outer) {
    List<Payload> p = outer.payloads();
    return !p.isEmpty() && p.get(p.size() - 1) instanceof SkfPayload skf ? skf.fragmentNumber() : 0;
  }

  /**
   * One fragment of the peer's request or response, its Message ID already checked: authenticated on its own and
   * kept (§2.6), the whole message returned once every fragment is in, else null. A fragment that is not kept is
   * logged (rate-limited) with the reason.
   */
  Ikev2Message receive(IkeSa sa, IkeMessage outer, byte[] raw, boolean response) {
    IkeHeader h = outer.header();
    String where = sa.logPrefix() + ": " + h.exchange() + (response ? " response" : " request") + " fragment";
    if (!sa.fragmentsAnnounced) {
      // §2.3: a peer may fragment only when we announced support
      e.dropped(Drop.FRAGMENT, where + " dropped: fragmentation was not negotiated (RFC 7383 §2.3)");
      return null;
    }
    SkfPayload skf = (SkfPayload) outer.payloads().get(outer.payloads().size() - 1);
    byte[] piece;
    try {
      piece = IkeCodec.openFragment(raw, outer, opener(sa)); // §2.6: each fragment authenticated before it is kept
    } catch (IkeProtocolException ex) {
      e.dropped(Drop.FRAGMENT, where + " " + skf.fragmentNumber() + " dropped: " + ex.getMessage());
      return null;
    }
    if (overBudget(piece.length)) {
      e.dropped(Drop.FRAGMENT, where + " " + skf.fragmentNumber() + " dropped: the fragments of all IKE SAs fill "
          + budget + " bytes (RFC 7383 §5)");
      return null;
    }
    FragmentReassembler r = reassembler(sa, response);
    int before = r.pending();
    FragmentReassembler.Outcome o = r.offer(h.messageId(), skf, piece, e.loop().now());
    account(sa);
    if (o instanceof FragmentReassembler.Outcome.Dropped d) {
      e.dropped(Drop.FRAGMENT, where + " dropped: " + d.reason());
      return null;
    }
    if (o instanceof FragmentReassembler.Outcome.Incomplete) {
      if (r.pending() > before) {
        scheduleExpiry(sa, r, where);
      }
      return null;
    }
    FragmentReassembler.Outcome.Complete c = (FragmentReassembler.Outcome.Complete) o;
    List<Payload> inner;
    try {
      inner = IkeCodec.decodeChain(2, c.firstPayload(), c.chain(), 0, c.chain().length);
    } catch (IkeProtocolException ex) {
      e.dropped(Drop.FRAGMENT, where + "s reassembled into a malformed message, dropped: " + ex.getMessage());
      return null;
    }
    sa.fragmentsReceived += c.fragments();
    SaLog.ike(sa, Outcome.COMMENT, "received " + h.exchange() + (response ? " response" : " request") + " in "
        + c.fragments() + " fragments, reassembled " + c.chain().length + " bytes (RFC 7383)");
    return new Ikev2Message(h, inner, raw);
  }

  /** §2.6.1: a message not completed within the time limit is discarded, its fragments freed. */
  private void scheduleExpiry(IkeSa sa, FragmentReassembler r, String where) {
    e.guard.schedule(sa, LIMITS.maxAge(), () -> {
      int pending = r.pending();
      r.expire(e.loop().now());
      account(sa);
      if (r.pending() < pending) {
        e.dropped(Drop.FRAGMENT, where + "s discarded: message incomplete after " + LIMITS.maxAge().toSeconds() + " s");
      }
    });
  }

  /** The SA is going away: its fragments are freed. */
  void forget(IkeSa sa) {
    sa.requestFragments = null;
    sa.responseFragments = null;
    account(sa);
  }

  /** Another budget than {@link #BUDGET}, for tests that cannot fill 16 MiB. */
  void budget(long bytes) {
    budget = bytes;
  }

  /** Fragment bytes held by all IKE SAs. */
  long retainedBytes() {
    return total;
  }

  private void account(IkeSa sa) {
    long now = retained(sa);
    Long before = now == 0 ? held.remove(sa) : held.put(sa, now);
    total += now - (before == null ? 0 : before);
  }

  private static long retained(IkeSa sa) {
    return (sa.requestFragments == null ? 0 : sa.requestFragments.retainedBytes())
        + (sa.responseFragments == null ? 0 : sa.responseFragments.retainedBytes());
  }

  /** Over budget with {@code incoming} more bytes, after messages past their time are let go. */
  private boolean overBudget(int incoming) {
    if (total + incoming <= budget) {
      return false;
    }
    java.time.Instant now = e.loop().now();
    for (IkeSa s : new ArrayList<>(held.keySet())) {
      for (FragmentReassembler r : new FragmentReassembler[] {s.requestFragments, s.responseFragments}) {
        if (r != null) {
          r.expire(now);
        }
      }
      account(s);
    }
    return total + incoming > budget;
  }

  private static FragmentReassembler reassembler(IkeSa sa, boolean response) {
    if (response) {
      if (sa.responseFragments == null) {
        sa.responseFragments = new FragmentReassembler(LIMITS);
      }
      return sa.responseFragments;
    }
    if (sa.requestFragments == null) {
      sa.requestFragments = new FragmentReassembler(LIMITS);
    }
    return sa.requestFragments;
  }

  static IkeCodec.SkSealer sealer(IkeSa sa) {
    return new IkeCodec.SkSealer() {
      @Override
      public int sealedLength(int plaintextLength) {
        return sa.sendCipher.sealedLength(plaintextLength);
      }

      @Override
      public byte[] seal(byte[] aad, byte[] plaintext) {
        return sa.sendCipher.seal(aad, plaintext);
      }
    };
  }

  static IkeCodec.SkOpener opener(IkeSa sa) {
    return (aad, body) -> {
      if (sa.recvCipher == null) {
        throw new IntegrityCheckFailedException("no keys yet for an encrypted message");
      }
      try {
        return sa.recvCipher.open(aad, body);
      } catch (IntegrityException ex) {
        throw new IntegrityCheckFailedException(ex.getMessage());
      }
    };
  }
}
