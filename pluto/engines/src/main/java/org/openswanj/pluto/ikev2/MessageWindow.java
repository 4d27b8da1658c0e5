package org.openswanj.pluto.ikev2;

import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import org.openswanj.pluto.engine.EventLoop;

/**
 * The message IDs of one IKE SA, both directions, with the window of one that pluto announces (RFC 7296 §2.3: no
 * SET_WINDOW_SIZE, so one request of ours is outstanding and the rest queue; of the peer's, one new request is
 * processed and the last answer is kept to answer its retransmissions, §2.1). No clock or socket: {@link Messenger}
 * sends and times, this class only counts.
 */
final class MessageWindow {
  /** A request of the peer's, against the window. */
  enum Verdict {
    /** The next one expected (§2.2): process it. */
    NEW,
    /** The one last answered: send the cached answer again, process nothing (§2.1). */
    RETRANSMISSION,
    /** Anything else: drop it (§2.3). */
    OUTSIDE
  }

  /** A request of ours waiting for its response (retransmitted with back-off by {@link Messenger}). */
  static final class Outstanding {
    final int messageId;
    /** One datagram, or the fragments of the request (RFC 7383 §2.5), sent again as they are. */
    final List<byte[]> bytes;
    final IkeSa.ResponseHandler handler;
    final String what;
    int sent;
    EventLoop.Timer timer;

    Outstanding(int messageId, List<byte[]> bytes, IkeSa.ResponseHandler handler, String what) {
      this.messageId = messageId;
      this.bytes = bytes;
      this.handler = handler;
      this.what = what;
    }
  }

  private int nextRequestId;
  private Outstanding outstanding;
  private final Deque<Runnable> queued = new ArrayDeque<>();
  private int expectedRequestId;
  private int lastResponseId = -1;
  private List<byte[]> lastResponse;

  // ---- our requests ----

  /** True while a request of ours waits for its response: another must queue. */
  boolean busy() {
    return outstanding != null;
  }

  void queue(Runnable send) {
    queued.add(send);
  }

  /** The message ID for our next request, consumed. */
  int takeRequestId() {
    return nextRequestId++;
  }

  /** RFC 7296 §1.3, §2.6: an IKE_SA_INIT sent again (new group, COOKIE) keeps message ID zero. */
  void restartInit() {
    nextRequestId = 0;
  }

  void sent(Outstanding o) {
    outstanding = o;
  }

  /** The request waiting for its response, or null. */
  Outstanding outstanding() {
    return outstanding;
  }

  /** True if a response with this message ID answers our outstanding request. */
  boolean awaits(int messageId) {
    return outstanding != null && outstanding.messageId == messageId;
  }

  /** The outstanding request is done (answered or given up): returns it and frees the window. */
  Outstanding complete() {
    Outstanding o = outstanding;
    outstanding = null;
    return o;
  }

  /** The next queued request to send, or null. */
  Runnable nextQueued() {
    return queued.poll();
  }

  /** The SA is going away: the outstanding request stops retransmitting, queued ones are dropped. */
  void abandon() {
    if (outstanding != null && outstanding.timer != null) {
      outstanding.timer.cancel();
    }
    outstanding = null;
    queued.clear();
  }

  // ---- the peer's requests ----

  Verdict classify(int messageId) {
    if (lastResponse != null && messageId == lastResponseId) {
      return Verdict.RETRANSMISSION;
    }
    return messageId == expectedRequestId ? Verdict.NEW : Verdict.OUTSIDE;
  }

  /**
   * Processing of request {@code messageId} starts: the window moves now, so a retransmission that arrives while a
   * helper computes the answer is dropped (not processed twice), and answered from the cache once it is sent.
   */
  void accept(int messageId) {
    expectedRequestId = messageId + 1;
  }

  /** Our answer to request {@code messageId}, kept for its retransmissions. */
  void answered(int messageId, List<byte[]> datagrams) {
    lastResponse = datagrams;
    lastResponseId = messageId;
    expectedRequestId = messageId + 1;
  }

  /** The last answer as sent (one datagram or its fragments), or null. */
  List<byte[]> lastResponse() {
    return lastResponse;
  }

  /** True once we answered the peer's IKE_SA_INIT (message ID 0). */
  boolean answeredInit() {
    return lastResponse != null && lastResponseId == 0;
  }

  // ---- counters as numbers (status, cluster replication, takeover) ----

  /** The message ID of our next request (RFC 7296 §2.2), unsigned. */
  long nextRequestId() {
    return Integer.toUnsignedLong(nextRequestId);
  }

  /** The message ID of the peer's next request, unsigned. */
  long expectedRequestId() {
    return Integer.toUnsignedLong(expectedRequestId);
  }

  /** Continues from counters another instance of this SA reached (cluster takeover, RFC 6311's purpose). */
  void resume(long next, long expected) {
    nextRequestId = (int) next;
    expectedRequestId = (int) expected;
  }
}
