package org.openswanj.pluto.daemon;

import static org.junit.jupiter.api.Assertions.*;

import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;

class ThreadEventLoopTest {
  /**
   * Shutting down: the tasks already queued run, the timers still pending do not, and close() does not wait for
   * them (it waited its full 2 s for a pending retransmit, which made every ipsec setup stop take 2 s longer).
   */
  @Test
  void closeRunsQueuedTasksAndDropsPendingTimersWithoutWaitingForThem() throws Exception {
    ThreadEventLoop loop = new ThreadEventLoop(1, Clock.systemUTC());
    AtomicBoolean timerRan = new AtomicBoolean();
    CountDownLatch queuedRan = new CountDownLatch(1);
    CountDownLatch blocker = new CountDownLatch(1);
    loop.schedule(Duration.ofSeconds(30), () -> timerRan.set(true));
    loop.execute(() -> {
      try {
        blocker.await(5, TimeUnit.SECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    });
    loop.execute(queuedRan::countDown);
    blocker.countDown();
    long t0 = System.nanoTime();
    loop.close();
    long tookMs = (System.nanoTime() - t0) / 1_000_000;
    assertTrue(queuedRan.await(0, TimeUnit.SECONDS), "a task queued before close ran");
    assertFalse(timerRan.get());
    assertTrue(tookMs < 1500, "close waited " + tookMs + " ms for a timer 30 s away");
  }
}
