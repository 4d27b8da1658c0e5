package org.openswanj.pluto.ikev2;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** RFC 7296 §2.1-2.3 as pluto counts them: a window of one each way, answers cached for retransmissions. */
class MessageWindowTest {
  private static MessageWindow.Outstanding request(MessageWindow w) {
    MessageWindow.Outstanding o = new MessageWindow.Outstanding(w.takeRequestId(), List.of(new byte[1]), r -> { }, "x");
    w.sent(o);
    return o;
  }

  @Test
  void ourRequestsGoOneAtATimeWithConsecutiveIds() {
    MessageWindow w = new MessageWindow();
    List<String> sent = new ArrayList<>();
    MessageWindow.Outstanding first = request(w);
    assertEquals(0, first.messageId);
    assertTrue(w.busy());
    w.queue(() -> sent.add("second"));
    assertTrue(w.awaits(0));
    assertFalse(w.awaits(1), "§2.3: a response to a request we did not send is not ours");
    assertSame(first, w.complete());
    assertFalse(w.busy());
    w.nextQueued().run();
    assertEquals(List.of("second"), sent);
    assertNull(w.nextQueued());
    assertEquals(1, request(w).messageId);
    assertEquals(2, w.nextRequestId());
  }

  @Test
  void ikeSaInitRetriesKeepMessageIdZero() {
    MessageWindow w = new MessageWindow();
    request(w);
    w.complete();
    w.restartInit(); // RFC 7296 §1.3 INVALID_KE_PAYLOAD, §2.6 COOKIE
    assertEquals(0, request(w).messageId);
  }

  @Test
  void thePeersRequestsAreNewRetransmittedOrOutside() {
    MessageWindow w = new MessageWindow();
    assertEquals(MessageWindow.Verdict.NEW, w.classify(0));
    assertEquals(MessageWindow.Verdict.OUTSIDE, w.classify(1), "§2.3: no request beyond the window");
    assertFalse(w.answeredInit());
    w.accept(0);
    assertEquals(MessageWindow.Verdict.OUTSIDE, w.classify(0), "processing: a retransmission waits for the answer");
    List<byte[]> answer = List.of(new byte[] {1});
    w.answered(0, answer);
    assertTrue(w.answeredInit());
    assertEquals(MessageWindow.Verdict.RETRANSMISSION, w.classify(0));
    assertSame(answer, w.lastResponse());
    assertEquals(MessageWindow.Verdict.NEW, w.classify(1));
    assertEquals(MessageWindow.Verdict.OUTSIDE, w.classify(2));
  }

  @Test
  void abandonStopsTheOutstandingRequestAndDropsTheQueue() {
    MessageWindow w = new MessageWindow();
    request(w);
    w.queue(() -> { });
    w.abandon();
    assertFalse(w.busy());
    assertNull(w.nextQueued());
  }

  @Test
  void countersResumeUnsignedAcrossTheIntBoundary() {
    MessageWindow w = new MessageWindow();
    w.resume(0xffff_fffeL, 7);
    assertEquals(0xffff_fffeL, w.nextRequestId());
    assertEquals(0xffff_fffe, request(w).messageId);
    assertEquals(MessageWindow.Verdict.NEW, w.classify(7));
  }
}
