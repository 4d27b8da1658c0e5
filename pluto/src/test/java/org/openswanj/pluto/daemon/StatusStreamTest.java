package org.openswanj.pluto.daemon;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.Iterator;
import java.util.List;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.openswanj.pluto.daemon.control.WhackReply;

class StatusStreamTest {
  /** A client whose queue the test drains by hand, as the session thread would. */
  private static final class SlowClient implements WhackReply {
    final Deque<String> queued = new ArrayDeque<>();
    final List<String> read = new ArrayList<>();
    int maxBacklog;
    boolean closed;

    @Override
    public void line(int code, String text) {
      queued.add(code + " " + text);
      maxBacklog = Math.max(maxBacklog, queued.size());
    }

    @Override
    public void close() {
      closed = true;
    }

    @Override
    public boolean closed() {
      return closed;
    }

    @Override
    public int backlog() {
      return queued.size();
    }

    void readAll() {
      read.addAll(queued);
      queued.clear();
    }
  }

  private static Iterator<String> lines(int n, int[] made) {
    return IntStream.range(0, n).mapToObj(i -> {
      made[0]++;
      return "line " + i;
    }).iterator();
  }

  @Test
  void aShortReplyIsWrittenAndClosedAtOnce() {
    ManualEventLoop loop = new ManualEventLoop(Instant.EPOCH);
    SlowClient c = new SlowClient();
    StatusStream.send(loop, c, List.of("a", "b").iterator());
    assertTrue(c.closed);
    assertEquals(List.of("0 a", "0 b"), List.copyOf(c.queued));
  }

  @Test
  void aLongReplyGoesInSlicesThatLetOtherWorkRunAndWaitsForASlowReader() {
    ManualEventLoop loop = new ManualEventLoop(Instant.EPOCH);
    SlowClient c = new SlowClient();
    int[] made = {0};
    int total = 100_000;
    StatusStream.send(loop, c, lines(total, made));
    // hasNext() of a stream's iterator makes the next line ahead
    assertTrue(made[0] <= StatusStream.SLICE + 1, "only the first slice is made before the loop gets control back: "
        + made[0]);
    boolean[] otherRan = {false};
    loop.execute(() -> otherRan[0] = made[0] < total);
    loop.runPending();
    assertTrue(otherRan[0], "work posted meanwhile ran before the reply was finished");
    assertFalse(c.closed, "the client has read nothing: the reply waits");
    assertTrue(c.maxBacklog <= StatusStream.HIGH_WATER + StatusStream.SLICE, "backlog " + c.maxBacklog);
    for (int i = 0; i < 1_000 && !c.closed; i++) {
      c.readAll();
      loop.advance(Duration.ofMillis(5));
    }
    c.readAll();
    assertTrue(c.closed);
    assertEquals(total, c.read.size());
    assertEquals("0 line 0", c.read.get(0));
    assertEquals("0 line " + (total - 1), c.read.get(total - 1));
    assertTrue(c.maxBacklog <= StatusStream.HIGH_WATER + StatusStream.SLICE, "backlog " + c.maxBacklog);
  }

  @Test
  void aClientThatWentAwayStopsTheReply() {
    ManualEventLoop loop = new ManualEventLoop(Instant.EPOCH);
    SlowClient c = new SlowClient();
    int[] made = {0};
    StatusStream.send(loop, c, lines(50_000, made));
    c.closed = true;
    loop.advance(Duration.ofSeconds(1));
    assertTrue(made[0] <= StatusStream.SLICE + 1, "no line is made for a client that is gone: " + made[0]);
  }
}
