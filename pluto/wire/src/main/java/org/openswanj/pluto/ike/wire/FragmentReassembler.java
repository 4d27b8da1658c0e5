package org.openswanj.pluto.ike.wire;

import java.io.ByteArrayOutputStream;
import java.time.Duration;
import java.time.Instant;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * Reassembles IKEv2 fragments (RFC 7383 §2.6) for one IKE SA and one direction (requests and responses have
 * separate Message ID spaces: use one reassembler for each). Fragments are offered only after their ICV checked
 * (§2.6: each fragment is authenticated on its own). Memory is bounded whatever arrives: at most
 * {@link Limits#maxMessages()} messages in progress (the oldest gives way), each at most
 * {@link Limits#maxFragments()} fragments and {@link Limits#maxMessageBytes()} bytes, none older than
 * {@link Limits#maxAge()} by the caller's clock. Not thread-safe: the event loop owns it.
 */
public final class FragmentReassembler {
  private final Limits limits;
  private final Map<Integer, Partial> partial = new LinkedHashMap<>();
  private long retained;

  /**
   * The bounds.
   *
   * @param maxFragments largest Total Fragments accepted
   * @param maxMessageBytes largest reassembled message (inner chain bytes)
   * @param maxAge how long a message may take to complete
   * @param maxMessages messages in reassembly at once
   */
  public record Limits(int maxFragments, int maxMessageBytes, Duration maxAge, int maxMessages) {
    /**
     * 64 fragments, 64 KiB, 30 s, 2 messages: a 4096-bit RSA chain of three certificates is under 8 KiB, 15
     * fragments of 548 bytes; the IKE window is 1, so one request (and one retransmitted old one) at a time.
     */
    public static final Limits DEFAULT = new Limits(64, 64 * 1024, Duration.ofSeconds(30), 2);

    public Limits {
      Objects.requireNonNull(maxAge, "maxAge");
      if (maxFragments < 1 || maxFragments > Ikev2Fragmentation.MAX_FRAGMENTS || maxMessageBytes < 1
          || maxMessages < 1) {
        throw new IllegalArgumentException("fragment limits out of range: " + this);
      }
    }
  }

  /** What one offered fragment led to. */
  public sealed interface Outcome {
    /**
     * Stored; more to come.
     *
     * @param have fragments held for this message
     * @param total fragments expected
     */
    record Incomplete(int have, int total) implements Outcome {}

    /**
     * The message is whole: decode {@code chain} starting with {@code firstPayload} (IkeCodec.decodeChain).
     *
     * @param firstPayload the Next Payload of fragment 1
     * @param chain the inner payload chain
     * @param fragments how many fragments it came in
     */
    record Complete(int firstPayload, byte[] chain, int fragments) implements Outcome {}

    /**
     * Not stored; log {@code reason} (rate-limited) and go on.
     *
     * @param reason why, in one line
     */
    record Dropped(String reason) implements Outcome {}
  }

  public FragmentReassembler(Limits limits) {
    this.limits = Objects.requireNonNull(limits, "limits");
  }

  /**
   * Offers one authenticated fragment.
   *
   * @param messageId the IKE header's Message ID
   * @param fragment the decoded SKF payload (its number and total; its body is ignored here)
   * @param piece the fragment's decrypted content
   * @param now the caller's clock
   */
  public Outcome offer(int messageId, SkfPayload fragment, byte[] piece, Instant now) {
    expire(now);
    int number = fragment.fragmentNumber();
    int total = fragment.totalFragments();
    if (total > limits.maxFragments()) {
      return new Outcome.Dropped("fragment " + number + " of " + total + " for message " + messageId
          + ": more than " + limits.maxFragments() + " fragments");
    }
    Partial p = partial.get(messageId);
    if (p != null && total < p.total) {
      // RFC 7383 §2.6.1: a smaller Total Fragments than already seen is a stale fragment.
      return new Outcome.Dropped("fragment " + number + " of " + total + " for message " + messageId
          + ": older than the " + p.total + "-fragment set being reassembled (RFC 7383 §2.6.1)");
    }
    if (p != null && total > p.total) {
      // RFC 7383 §2.6.1: a larger total means the sender refragmented (smaller PMTU); start over.
      discard(messageId);
      p = null;
    }
    if (p == null) {
      p = start(messageId, total, now);
    }
    if (p.pieces[number - 1] != null) {
      return new Outcome.Dropped("fragment " + number + " of " + total + " for message " + messageId
          + ": duplicate (RFC 7383 §2.6.1)");
    }
    if (p.bytes + piece.length > limits.maxMessageBytes()) {
      discard(messageId);
      return new Outcome.Dropped("message " + messageId + " would exceed " + limits.maxMessageBytes()
          + " bytes in fragments; discarded");
    }
    p.pieces[number - 1] = piece.clone();
    p.bytes += piece.length;
    p.have++;
    retained += piece.length;
    if (number == 1) {
      p.firstPayload = fragment.firstInnerPayload();
    }
    return p.have < total ? new Outcome.Incomplete(p.have, total) : complete(messageId, p);
  }

  /**
   * Opens the SKF payload of a decoded datagram with the SA's keys and offers it.
   *
   * @throws IkeProtocolException if the fragment does not authenticate or is malformed: drop it silently (§2.6)
   */
  public Outcome offer(byte[] datagram, IkeMessage outer, IkeCodec.SkOpener opener, Instant now)
      throws IkeProtocolException {
    Payload last = outer.payloads().isEmpty() ? null : outer.payloads().get(outer.payloads().size() - 1);
    if (!(last instanceof SkfPayload skf)) {
      throw new InvalidSyntaxException("message has no Encrypted Fragment payload");
    }
    byte[] piece = IkeCodec.openFragment(datagram, outer, opener);
    return offer(outer.header().messageId(), skf, piece, now);
  }

  /** Drops messages older than maxAge; {@link #offer} calls it, a timer may too. */
  public void expire(Instant now) {
    Iterator<Map.Entry<Integer, Partial>> it = partial.entrySet().iterator();
    while (it.hasNext()) {
      Partial p = it.next().getValue();
      if (!now.isBefore(p.started.plus(limits.maxAge()))) {
        retained -= p.bytes;
        it.remove();
      }
    }
  }

  /** Messages in reassembly. */
  public int pending() {
    return partial.size();
  }

  /** Bytes of fragment content held. */
  public long retainedBytes() {
    return retained;
  }

  private Partial start(int messageId, int total, Instant now) {
    if (partial.size() >= limits.maxMessages()) {
      discard(partial.keySet().iterator().next());
    }
    Partial p = new Partial(total, now);
    partial.put(messageId, p);
    return p;
  }

  private Outcome complete(int messageId, Partial p) {
    discard(messageId);
    ByteArrayOutputStream out = new ByteArrayOutputStream(p.bytes);
    for (byte[] piece : p.pieces) {
      out.writeBytes(piece);
    }
    return new Outcome.Complete(p.firstPayload, out.toByteArray(), p.total);
  }

  private void discard(int messageId) {
    Partial p = partial.remove(messageId);
    if (p != null) {
      retained -= p.bytes;
    }
  }

  /** One message being put together. */
  private static final class Partial {
    final int total;
    final Instant started;
    final byte[][] pieces;
    int have;
    int bytes;
    int firstPayload;

    Partial(int total, Instant started) {
      this.total = total;
      this.started = started;
      this.pieces = new byte[total][];
    }
  }
}
